/**
 * The monthly inputs of 按人头付费 and 门特 packages, imported as every settlement file is
 * (importKeyedFile: one transaction, idempotent by key, --replace, --rejects, every record
 * accounted): enrolment per institution, pool and category, and the fund's outpatient spending
 * on the enrolled. A closed month takes none; an institution must be in the workspace and serve
 * the pool.
 *
 *   await importEnrollment(db, '2025-03', {file: 'enrollment-2025-03.csv', …}) → {rowsRead: 12, inserted: 12, …}
 */
import {ENROLLMENT_COLUMNS, OUTPATIENT_COLUMNS} from '../io/capitation-columns.js'
import type {Db} from './db.js'
import {importKeyedFile, type KeyedImportResult} from './keyed-import.js'
import {assertWritable} from './periods.js'
import {type ImportFileOptions, institutionPoolCheck} from './settlement-data.js'
import {ENROLLMENT_TABLE, OUTPATIENT_TABLE} from './tables.js'

export function importEnrollment(db: Db, month: string, options: ImportFileOptions): Promise<KeyedImportResult> {
  assertWritable(db, {month}, `importing ${month} enrolment`, options.file)
  const checkInstitution = institutionPoolCheck(db, options.file)
  return importKeyedFile(db, {
    ...options,
    kind: 'enrollment',
    specs: ENROLLMENT_COLUMNS,
    table: ENROLLMENT_TABLE,
    fixed: {month},
    scope: month,
    toRow(record, line, errors) {
      const before = errors.length
      checkInstitution(record.institution_id!, record.pool!, 'pool', line, errors)
      return errors.length > before ? undefined : {...record, category: record.category ?? ''}
    },
  })
}

export function importOutpatient(db: Db, month: string, options: ImportFileOptions): Promise<KeyedImportResult> {
  assertWritable(db, {month}, `importing ${month} outpatient spending`, options.file)
  const checkInstitution = institutionPoolCheck(db, options.file)
  return importKeyedFile(db, {
    ...options,
    kind: 'outpatient',
    specs: OUTPATIENT_COLUMNS,
    table: OUTPATIENT_TABLE,
    fixed: {month},
    scope: month,
    toRow(record, line, errors) {
      const before = errors.length
      checkInstitution(record.institution_id!, record.pool!, 'pool', line, errors)
      return errors.length > before ? undefined : {...record, category: record.category ?? '', outside_fund_yuan: record.outside_fund_yuan || '0.00'}
    },
  })
}
