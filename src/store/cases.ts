/**
 * Stored discharges as the settlement cycle reads them: a month's cases in settlement_id order,
 * a page at a time, as arrays (no object per column), and one case by its id.
 *
 *   for (const row of monthCases(db, '2025-03')) … → {settlement_id: 'S1', institution_id: 'H001', insurance_type: '职工', total_cost: '18000.50', …}
 */
import {createHash} from 'node:crypto'
import {assert} from '../errors.js'
import type {Db} from './db.js'
import {joinedFields, KEY_CHUNK_ROWS, keyChunks, splitFields} from './joined-fields.js'

export interface CaseRow {
  settlement_id: string
  institution_id: string
  insurance_type: string
  sex: string
  age_years: string
  age_days: string
  birth_weight_g: string
  los_days: string
  /** YYYY-MM-DD or ''. */
  admit_date: string
  /** YYYY-MM-DD or ''; before the settlement month for a case declared late (跨月). */
  discharge_date: string
  dx_codes: string
  px_codes: string
  total_cost: string
  fund_recorded: string
  self_pay_all: string
  self_pay_first: string
  deductible: string
  co_pay: string
  discharge_mode: string
  other_funds: string
  /** '' (the year's method), DRG, DIP, 床日 or 项目. */
  payment_method: string
  per_diem_category: string
  row_hash: string
}

const CASE_COLUMNS = [
  'settlement_id',
  'institution_id',
  'insurance_type',
  'sex',
  'age_years',
  'age_days',
  'birth_weight_g',
  'los_days',
  'admit_date',
  'discharge_date',
  'dx_codes',
  'px_codes',
  'total_cost',
  'fund_recorded',
  'self_pay_all',
  'self_pay_first',
  'deductible',
  'co_pay',
  'discharge_mode',
  'other_funds',
  'payment_method',
  'per_diem_category',
  'row_hash',
] as const satisfies readonly (keyof CaseRow)[]

const PAGE_ROWS = 5000

/** A row maker for `columns`: one object literal made from the column list once, so that every row gets one shape at once (storing the keys in a loop cost about a second a million rows). */
function rowMaker<T>(columns: readonly (keyof CaseRow)[]): (v: readonly string[]) => T {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a constant column list of CaseRow's keys, no input reaches it
  return new Function('v', `return {${columns.map((column, k) => `${column}: v[${k}]`).join(', ')}}`) as (v: readonly string[]) => T
}

/**
 * The month's stored cases in settlement_id order, a page at a time, as objects of `columns` (which
 * start with settlement_id, the page key). A reader that needs fewer columns reads fewer: `yb cases
 * check` reads 19 of 23.
 */
export function* monthCaseColumns<T>(db: Db, month: string, columns: readonly (keyof CaseRow)[]): Generator<T> {
  for (const page of monthCasePages<T>(db, month, columns, PAGE_ROWS, () => true)) yield* page
}

/**
 * The month's cases in pages of `pageRows` in settlement_id order; `take()` is asked before each
 * page that has cases, and a page not taken is stepped over along the index without reading its rows (its last
 * key found by an OFFSET): two readers that take every other page read the month between them.
 */
export function* monthCasePages<T>(db: Db, month: string, columns: readonly (keyof CaseRow)[], pageRows: number, take: () => boolean): Generator<T[]> {
  assert(columns[0] === 'settlement_id', 'the page key comes first')
  const rowOf = rowMaker<T>(columns)
  const where = 'FROM settlement_case WHERE month = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?'
  // A row crosses as one string (joined-fields.ts); a page with a row that does not split is read again a value per column.
  const joined = db.prepare(`SELECT ${joinedFields(columns)} ${where}`).pluck()
  const page = db.prepare(`SELECT ${columns.join(', ')} ${where}`).raw(true)
  const read = (after: string): string[][] => {
    const rows: string[][] = []
    for (const line of joined.all(month, after, pageRows) as string[]) {
      const values = splitFields(line, columns.length)
      if (values === undefined) return page.all(month, after, pageRows) as string[][]
      rows.push(values)
    }
    return rows
  }
  const lastKey = db.prepare('SELECT settlement_id FROM settlement_case WHERE month = ? AND settlement_id > ? ORDER BY settlement_id LIMIT 1 OFFSET ?').pluck()
  const more = db.prepare('SELECT 1 FROM settlement_case WHERE month = ? AND settlement_id > ? LIMIT 1').pluck()
  let after = ''
  for (;;) {
    // take() is asked only for a page that has cases: readers stepping over different pages count the same pages.
    if (more.get(month, after) === undefined) return
    if (!take()) {
      const last = lastKey.get(month, after, pageRows - 1) as string | undefined
      // A page not taken that is not full is the month's last.
      if (last === undefined) return
      after = last
      continue
    }
    const rows = read(after)
    yield rows.map(rowOf)
    if (rows.length < pageRows) return
    after = rows[rows.length - 1]![0]!
  }
}

/** The month's cases in settlement_id order, a page at a time. */
export function monthCases(db: Db, month: string): Generator<CaseRow> {
  return monthCaseColumns<CaseRow>(db, month, CASE_COLUMNS)
}

/** The month's cases in pages of `pageRows`, every column the cycle reads; see monthCasePages. */
export function monthCaseRowPages(db: Db, month: string, pageRows: number, take: () => boolean): Generator<CaseRow[]> {
  return monthCasePages<CaseRow>(db, month, CASE_COLUMNS, pageRows, take)
}

/** The stored cases of these settlement ids (in chunks, any number of them). */
export function* storedCases(db: Db, settlementIds: readonly string[]): Generator<CaseRow> {
  const CHUNK = 500
  for (let k = 0; k < settlementIds.length; k += CHUNK) {
    const chunk = settlementIds.slice(k, k + CHUNK)
    yield* db.prepare(`SELECT ${CASE_COLUMNS.join(', ')} FROM settlement_case WHERE settlement_id IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as CaseRow[]
  }
}

/** The month's stored cases (one institution's, when given). */
export function monthCaseCount(db: Db, month: string, institutionId?: string): number {
  return institutionId === undefined
    ? (db.prepare('SELECT COUNT(*) AS n FROM settlement_case WHERE month = ?').get(month) as {n: number}).n
    : (db.prepare('SELECT COUNT(*) AS n FROM settlement_case WHERE month = ? AND institution_id = ?').get(month, institutionId) as {n: number}).n
}

/** One stored case with its month and every stored column, or undefined. */
export function storedCase(db: Db, settlementId: string): (CaseRow & {month: string}) | undefined {
  return db.prepare('SELECT * FROM settlement_case WHERE settlement_id = ?').get(settlementId) as (CaseRow & {month: string}) | undefined
}

/** Cases of the months whose pool is not one of `pools`: the first few ids and the count per pool. */
export function casesOutsidePools(db: Db, months: readonly string[], pools: readonly string[]): {pool: string; cases: number; examples: string[]}[] {
  if (months.length === 0) return []
  const marks = months.map(() => '?').join(', ')
  const poolMarks = pools.map(() => '?').join(', ')
  const rows = db
    .prepare(`SELECT insurance_type AS pool, COUNT(*) AS cases, MIN(settlement_id) AS first FROM settlement_case WHERE month IN (${marks}) AND insurance_type NOT IN (${poolMarks || "''"}) GROUP BY insurance_type ORDER BY insurance_type`)
    .all(...months, ...pools) as {pool: string; cases: number; first: string}[]
  return rows.map((r) => ({pool: r.pool, cases: r.cases, examples: [r.first]}))
}

/** Per institution (and '' for the region): cases of the months paid by the year's method (not 床日 or 项目), by month. */
export function methodDischarges(db: Db, fromMonth: string, toMonth: string): {institutionId: string; month: string; cases: number}[] {
  return db
    .prepare("SELECT institution_id AS institutionId, month, COUNT(*) AS cases FROM settlement_case WHERE month >= ? AND month <= ? AND payment_method NOT IN ('床日', '项目') GROUP BY institution_id, month ORDER BY institution_id, month")
    .all(fromMonth, toMonth) as {institutionId: string; month: string; cases: number}[]
}

/**
 * The hash a payment run records of its month's cases: their row hashes in settlement_id order.
 * SQLite joins a chunk of them into one text, in key order (group_concat … ORDER BY): a million
 * rows in about two thirds of the time of a value a row.
 */
export function monthCasesSha256(db: Db, month: string, chunkRows = KEY_CHUNK_ROWS): string {
  const hash = createHash('sha256')
  const chunk = db.prepare("SELECT max(settlement_id), group_concat(row_hash, '' ORDER BY settlement_id) FROM (SELECT settlement_id, row_hash FROM settlement_case WHERE month = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?)").raw(true)
  for (const {row: [, rowHashes]} of keyChunks<[string, string | null]>(chunk, [month], chunkRows)) hash.update(rowHashes ?? '')
  return hash.digest('hex')
}
