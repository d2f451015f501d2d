/**
 * The settlement data of a workspace: institutions, DRG weights per year, and discharges per
 * month, each imported with importKeyedFile under the row rules below.
 *
 *   await importInstitutions(db, {file: 'institutions.csv', …}) → {inserted: 40, …}
 */
import {createHash} from 'node:crypto'
import {assert, type InputError, inputError} from '../errors.js'
import {parseFen} from '../clearing/fen.js'
import {parseSex} from '../io/case-row.js'
import {caseConsistency} from '../io/case-checks.js'
import {type Dec, parseDecimal, ZERO} from '../clearing/money.js'
import {CASE_FILE_COLUMNS, DEDUCTION_COLUMNS, INSTITUTION_COLUMNS, joinedCodes, WEIGHT_COLUMNS} from '../io/columns.js'
import type {TextEncoding} from '../io/text-stream.js'
import type {Db} from './db.js'
import {importKeyedFile, type KeyedImportResult} from './keyed-import.js'
import {CASE_TABLE, DEDUCTION_TABLE, INSTITUTION_TABLE, WEIGHT_TABLE} from './tables.js'
import {assertWritable, closedError, closedFor} from './periods.js'
import {importCorrections} from './corrections.js'
import {ensurePersonSecret, personKeyer} from './person-key.js'
import type {RecordPlan} from './keyed-records.js'
import {importWorkers, recordsFromWorker} from './import-source.js'

export interface ImportFileOptions {
  readonly file: string
  readonly encoding: TextEncoding
  readonly replace: boolean
  readonly rejects?: string
  /** Bytes of the file read so far, and its size (0 when it has none: a pipe or device). */
  readonly onProgress?: (bytesRead: number, bytesTotal: number) => void
}

const POOLS = new Set(['职工', '居民'])

export function importInstitutions(db: Db, options: ImportFileOptions): Promise<KeyedImportResult> {
  return importKeyedFile(db, {
    ...options,
    kind: 'institution',
    specs: INSTITUTION_COLUMNS,
    table: INSTITUTION_TABLE,
    fixed: {},
    scope: 'institutions',
    toRow(record, line, errors) {
      const pools = record.pools!.split(/[|、,，/]/).map((pool) => pool.trim()).filter(Boolean)
      const unknown = pools.filter((pool) => !POOLS.has(pool))
      if (pools.length === 0 || unknown.length > 0) {
        errors.push(inputError(options.file, line, 'pools', 'value_not_allowed', `"${record.pools}" is not a list of pools`, 'use 职工, 居民 or 职工|居民'))
        return undefined
      }
      return {...record, pools: [...new Set(pools)].sort().join('|')}
    },
  })
}

export function importWeights(db: Db, year: number, options: ImportFileOptions): Promise<KeyedImportResult> {
  assertWritable(db, {year}, `importing ${year} weights`, options.file)
  return importKeyedFile(db, {
    ...options,
    kind: 'weights',
    specs: WEIGHT_COLUMNS,
    table: WEIGHT_TABLE,
    fixed: {year: String(year)},
    scope: String(year),
    toRow: (record) => record,
  })
}

/** A row's institution must be in the workspace and serve the row's pool; adds an error when not. */
export function institutionPoolCheck(db: Db, file: string): (institutionId: string, pool: string, poolColumn: string, line: number, errors: InputError[]) => void {
  const institution = db.prepare('SELECT pools FROM institution WHERE institution_id = ?')
  // An import does not change institutions: each is looked up once.
  const seen = new Map<string, {pools: string} | undefined>()
  return (institutionId, pool, poolColumn, line, errors) => {
    if (!seen.has(institutionId)) seen.set(institutionId, institution.get(institutionId) as {pools: string} | undefined)
    const known = seen.get(institutionId)
    if (known === undefined) {
      errors.push(inputError(file, line, 'institution_id', 'reference_unknown', `institution ${institutionId} is not in the workspace`, 'import it with `yb institution import`'))
    } else if (!known.pools.split('|').includes(pool)) {
      errors.push(inputError(file, line, poolColumn, 'value_not_allowed', `institution ${institutionId} does not serve pool ${pool} (it serves ${known.pools})`))
    }
  }
}

export function importCases(db: Db, month: string, options: ImportFileOptions): Promise<KeyedImportResult> {
  assertWritable(db, {month}, `importing cases into ${month}`, options.file)
  const storedMonth = db.prepare('SELECT month FROM settlement_case WHERE settlement_id = ?').pluck()
  // A large file is read and checked on a worker while this thread stores its rows (import-source.ts).
  const workers = importWorkers(db, options.file)
  if (workers > 0) ensurePersonSecret(db)
  return importKeyedFile(db, {
    ...options,
    ...casePlan(db, month, options.file),
    kind: 'cases',
    scope: month,
    // A case already settled in another month stays there when that month is closed: a change to it is a correction.
    onConflict(row, line, errors) {
      const settledIn = storedMonth.get(row.settlement_id!) as string | undefined
      const closed = settledIn === undefined || settledIn === month ? undefined : closedFor(db, {month: settledIn})
      if (closed !== undefined) errors.push(closedError(closed, `moving case ${row.settlement_id} from ${settledIn} to ${month}`, options.file, line, 'settlement_id'))
    },
    ...(workers > 0 ? {records: () => recordsFromWorker(db.name, {month, file: options.file, encoding: options.encoding}, workers)} : {}),
  })
}

/** How a month's case file becomes rows (the worker makes the same plan over its own connection). */
export function casePlan(db: Db, month: string, file: string): RecordPlan {
  const check = caseRowCheck(db, month, file)
  return {file, specs: CASE_FILE_COLUMNS, table: CASE_TABLE, fixed: {month}, toRow: (record, line, errors) => check(record, line, errors)}
}

/** Corrections of cases settled in closed months, settled in `month` (open) as 冲正 / 补退 lines. */
export function importCaseCorrections(db: Db, month: string, options: ImportFileOptions): Promise<KeyedImportResult> {
  assertWritable(db, {month}, `importing corrections into ${month}`, options.file)
  return importCorrections(db, month, options, caseRowCheck(db, month, options.file))
}

/** The row rules of a case: its institution serves its pool, it is not discharged after the month, its sex is a code, blank patient parts are 0. */
function caseRowCheck(db: Db, month: string, file: string): (record: Record<string, string>, line: number, errors: InputError[]) => Record<string, string> | undefined {
  const checkInstitution = institutionPoolCheck(db, file)
  const personKey = personKeyer(db)
  return (record, line, errors) => {
    const before = errors.length
    checkInstitution(record.institution_id!, record.insurance_type!, 'insurance_type', line, errors)
    // A case is settled in the month it is declared: discharged then, or earlier and declared late (跨月), never later.
    if (record.discharge_date && record.discharge_date.slice(0, 7) > month) {
      errors.push(inputError(file, line, 'discharge_date', 'value_not_allowed', `discharge date ${record.discharge_date} is after ${month}: a case is settled in the month it is declared, not before its discharge`))
    }
    caseConsistency(record, file, line, errors)
    const sex = normalizeSex(record.sex!, file, line, errors)
    if (errors.length > before || sex === undefined) return undefined
    // The record is the import's own copy of the row: completed in place, not copied again.
    const codes = joinedCodes(record)
    record.sex = sex
    for (const column of PATIENT_PARTS) if (!record[column]) record[column] = '0.00'
    record.dx_codes = codes.dx_codes
    record.px_codes = codes.px_codes
    record.person_id = personKey(record.person_id ?? '')
    return record
  }
}

/** Stored as '1', '2', or '' when not stated (the grouper's parseSex decides what a code means). */
function normalizeSex(text: string, file: string, line: number, errors: InputError[]): string | undefined {
  const sex = parseSex(text)
  if (sex === undefined) errors.push(inputError(file, line, 'sex', 'value_not_allowed', `"${text}" is not a sex code`, 'use 1 or 男, 2 or 女; 0, 9 or blank when not stated'))
  return sex === undefined ? undefined : sex === 0 ? '' : String(sex)
}

/** Optional patient-side amounts: blank means nothing was paid that way (stored as 0.00). */
const PATIENT_PARTS = ['self_pay_all', 'self_pay_first', 'deductible', 'co_pay', 'other_funds'] as const

export function importDeductions(db: Db, year: number, options: ImportFileOptions): Promise<KeyedImportResult> {
  assertWritable(db, {year}, `importing ${year} deductions`, options.file)
  const checkInstitution = institutionPoolCheck(db, options.file)
  const stored = db.prepare('SELECT year, month FROM deduction WHERE deduction_id = ?')
  return importKeyedFile(db, {
    ...options,
    kind: 'deductions',
    specs: DEDUCTION_COLUMNS,
    table: DEDUCTION_TABLE,
    fixed: {year: String(year)},
    scope: String(year),
    toRow(record, line, errors) {
      const before = errors.length
      checkInstitution(record.institution_id!, record.pool!, 'pool', line, errors)
      if (record.month && !record.month.startsWith(`${year}-`)) errors.push(inputError(options.file, line, 'month', 'value_not_allowed', `${record.month} is not in ${year}`))
      // A deduction dated in a closed month, or one that was, would change what that month paid.
      const earlier = stored.get(record.deduction_id!) as {year: number; month: string} | undefined
      for (const month of new Set([record.month ?? '', earlier?.year === year ? earlier.month : ''].filter(Boolean))) {
        const closed = closedFor(db, {month})
        if (closed !== undefined) errors.push(closedError(closed, `deduction ${record.deduction_id} dated ${month}`, options.file, line, 'month'))
      }
      return errors.length > before ? undefined : record
    },
  })
}

/** Σ deductions per institution and pool for a month ('YYYY-MM'), or for the year itself ('' month). */
export function deductionsFor(db: Db, year: number, month: string): Map<string, Dec> {
  const totals = new Map<string, Dec>()
  for (const [institutionId, pool, amount] of db.prepare('SELECT institution_id, pool, amount_yuan FROM deduction WHERE year = ? AND month = ?').raw(true).iterate(year, month) as IterableIterator<[string, string, string]>) {
    const key = `${institutionId}\t${pool}`
    totals.set(key, (totals.get(key) ?? ZERO).plus(parseDecimal(amount)))
  }
  return totals
}

/** Every deduction of a year per institution and pool: those dated in a month (taken off its payment) and the undated ones (taken at the clearing). */
export function yearDeductions(db: Db, year: number): {dated: Map<string, Dec>; undated: Map<string, Dec>} {
  const dated = new Map<string, Dec>()
  const undated = new Map<string, Dec>()
  for (const [institutionId, pool, month, amount] of db.prepare('SELECT institution_id, pool, month, amount_yuan FROM deduction WHERE year = ?').raw(true).iterate(year) as IterableIterator<[string, string, string, string]>) {
    const into = month === '' ? undated : dated
    const key = `${institutionId}\t${pool}`
    into.set(key, (into.get(key) ?? ZERO).plus(parseDecimal(amount)))
  }
  return {dated, undated}
}

/** Σ fund recorded per institution, pool and year ('H001\t职工\t2024'), in 分 (money is summed in code, never in SQL). */
export function fundSpendingFen(db: Db, years: readonly number[]): Map<string, number> {
  const totals = new Map<string, number>()
  if (years.length === 0) return totals
  const rows = db
    .prepare('SELECT institution_id, insurance_type, month, fund_recorded FROM settlement_case WHERE month >= ? AND month <= ?')
    .raw(true)
    .iterate(`${years[0]}-01`, `${years[years.length - 1]}-12`) as IterableIterator<[string, string, string, string]>
  for (const [institutionId, pool, month, fund] of rows) {
    const key = `${institutionId}\t${pool}\t${month.slice(0, 4)}`
    const total = (totals.get(key) ?? 0) + parseFen(fund)
    assert(Number.isSafeInteger(total), 'a year of fund spending in 分 stays a safe integer')
    totals.set(key, total)
  }
  return totals
}

export interface DeductionRow {
  deduction_id: string
  month: string
  institution_id: string
  pool: string
  kind: string
  amount_yuan: string
  basis: string
}

/** A year's deductions as stored: dated ones by month, then the undated ones. */
export function deductionRows(db: Db, year: number): DeductionRow[] {
  return db.prepare("SELECT deduction_id, month, institution_id, pool, kind, amount_yuan, basis FROM deduction WHERE year = ? ORDER BY month = '', month, institution_id, deduction_id").all(year) as DeductionRow[]
}

export interface CaseListRow {
  settlement_id: string
  institution_id: string
  insurance_type: string
  discharge_date: string
  los_days: string
  dx_codes: string
  px_codes: string
  total_cost: string
  fund_recorded: string
  payment_method: string
}

/** A page of a month's stored cases after `after` (settlement_id order), optionally one institution's. */
export function casePage(db: Db, month: string, options: {after: string; limit: number; institution?: string}): CaseListRow[] {
  return db
    .prepare(
      `SELECT settlement_id, institution_id, insurance_type, discharge_date, los_days, dx_codes, px_codes, total_cost, fund_recorded, payment_method
       FROM settlement_case WHERE month = ? AND settlement_id > ? AND (? IS NULL OR institution_id = ?) ORDER BY settlement_id LIMIT ?`,
    )
    .all(month, options.after, options.institution ?? null, options.institution ?? null, options.limit) as CaseListRow[]
}

/** A hash of a month's deductions (their ids and row hashes), for a run's record of what it read. */
export function monthDeductionsSha256(db: Db, year: number, month: string): string {
  const hash = createHash('sha256')
  for (const [id, rowHash] of db.prepare('SELECT deduction_id, row_hash FROM deduction WHERE year = ? AND month = ? ORDER BY deduction_id').raw(true).iterate(year, month) as IterableIterator<[string, string]>) hash.update(`${id}\t${rowHash}\n`)
  return hash.digest('hex')
}
