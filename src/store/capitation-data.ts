/**
 * The monthly inputs of 按人头付费 and 门特 packages, imported as every settlement file is
 * (importKeyedFile: one transaction, idempotent by key, --replace, --rejects, every record
 * accounted): enrolment per institution, pool and category, and the fund's outpatient spending
 * on the enrolled. A closed month takes none; an institution must be in the workspace and serve
 * the pool.
 *
 *   await importEnrollment(db, '2025-03', {file: 'enrollment-2025-03.csv', …}) → {rowsRead: 12, inserted: 12, …}
 */
import {createHash} from 'node:crypto'
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

export interface StoredCapitationRow {
  readonly institutionId: string
  readonly pool: string
  readonly category: string
  /** null: spending stored without enrolment. */
  readonly persons: string | null
  readonly ownYuan: string
  readonly outsideYuan: string
}

/** The month's enrolment with its spending (0 where none is stored), and spending stored without enrolment, in key order. */
export function monthCapitationRows(db: Db, month: string): StoredCapitationRow[] {
  const rows = db
    .prepare(
      `SELECT e.institution_id, e.pool, e.category, e.persons, COALESCE(o.own_fund_yuan, '0.00'), COALESCE(o.outside_fund_yuan, '0.00')
       FROM enrollment e LEFT JOIN outpatient_spending o USING (month, institution_id, pool, category) WHERE e.month = ?
       UNION ALL
       SELECT o.institution_id, o.pool, o.category, NULL, o.own_fund_yuan, o.outside_fund_yuan
       FROM outpatient_spending o WHERE o.month = ? AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.month = o.month AND e.institution_id = o.institution_id AND e.pool = o.pool AND e.category = o.category)
       ORDER BY 1, 2, 3`,
    )
    .raw(true)
    .all(month, month) as [string, string, string, string | null, string, string][]
  return rows.map(([institutionId, pool, category, persons, ownYuan, outsideYuan]) => ({institutionId, pool, category, persons, ownYuan, outsideYuan}))
}

/** A hash of the month's capitation inputs (their row hashes in key order), for what a payment run read. */
export function monthCapitationSha256(db: Db, month: string): string {
  const hash = createHash('sha256')
  for (const table of ['enrollment', 'outpatient_spending']) {
    for (const value of db.prepare(`SELECT row_hash FROM ${table} WHERE month = ? ORDER BY institution_id, pool, category`).pluck().iterate(month) as IterableIterator<string>) hash.update(`${table}\t${value}\n`)
  }
  return hash.digest('hex')
}

/** The pools and categories the months' enrolment names, each with its rows and one institution. */
export function enrolledKinds(db: Db, months: readonly string[]): {pool: string; category: string; rows: number; example: string}[] {
  if (months.length === 0) return []
  return (
    db
      .prepare(`SELECT pool, category, COUNT(*), MIN(institution_id) FROM enrollment WHERE month IN (${months.map(() => '?').join(', ')}) GROUP BY pool, category ORDER BY pool, category`)
      .raw(true)
      .all(...months) as [string, string, number, string][]
  ).map(([pool, category, rows, example]) => ({pool, category, rows, example}))
}

/** The institutions with enrolment in the months. */
export function enrolledInstitutions(db: Db, months: readonly string[]): string[] {
  if (months.length === 0) return []
  return db.prepare(`SELECT DISTINCT institution_id FROM enrollment WHERE month IN (${months.map(() => '?').join(', ')}) ORDER BY institution_id`).pluck().all(...months) as string[]
}
