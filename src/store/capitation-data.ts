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
import type {ColumnSpec} from '../io/columns.js'
import {importKeyedFile, type KeyedImportResult, type KeyedTable} from './keyed-import.js'
import {assertWritable} from './periods.js'
import {type ImportFileOptions, institutionPoolCheck} from './settlement-data.js'
import {ENROLLMENT_TABLE, OUTPATIENT_TABLE} from './tables.js'

/** One month's file of an institution-pool-category table: the month writable, the institution serving the pool, the row completed. */
function importMonthly(db: Db, month: string, options: ImportFileOptions, file: {kind: string; what: string; specs: readonly ColumnSpec[]; table: KeyedTable; complete: (record: Record<string, string>) => Record<string, string>}): Promise<KeyedImportResult> {
  assertWritable(db, {month}, `importing ${month} ${file.what}`, options.file)
  const checkInstitution = institutionPoolCheck(db, options.file)
  return importKeyedFile(db, {
    ...options,
    kind: file.kind,
    specs: file.specs,
    table: file.table,
    fixed: {month},
    scope: month,
    toRow(record, line, errors) {
      const before = errors.length
      checkInstitution(record.institution_id!, record.pool!, 'pool', line, errors)
      return errors.length > before ? undefined : file.complete({...record, category: record.category ?? ''})
    },
  })
}

export function importEnrollment(db: Db, month: string, options: ImportFileOptions): Promise<KeyedImportResult> {
  return importMonthly(db, month, options, {kind: 'enrollment', what: 'enrolment', specs: ENROLLMENT_COLUMNS, table: ENROLLMENT_TABLE, complete: (record) => record})
}

export function importOutpatient(db: Db, month: string, options: ImportFileOptions): Promise<KeyedImportResult> {
  return importMonthly(db, month, options, {kind: 'outpatient', what: 'outpatient spending', specs: OUTPATIENT_COLUMNS, table: OUTPATIENT_TABLE, complete: (record) => ({...record, outside_fund_yuan: record.outside_fund_yuan || '0.00'})})
}
