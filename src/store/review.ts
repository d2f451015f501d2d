/**
 * The month's priced cases for `yb review`, a page at a time straight from SQLite: the current
 * payment run's cases with their codes and 特例单议 mark, filtered, in settlement_id order, read by
 * key (after / before an id) so that a page deep in a million cases costs the same as the first.
 *
 *   const source = reviewSource(db, '2025-03'); source.page({status: 'qy'}, {after: ''}, 20) → [{settlementId: 'S…', drg: 'BR29', …}, …]
 */
import {inputError, InputErrors} from '../errors.js'
import {unitsText} from '../clearing/units.js'
import type {Db} from './db.js'
import {periodState} from './runs.js'

export interface ReviewFilter {
  readonly institution?: string
  readonly mdc?: string
  /** DRG or DIP group code. */
  readonly group?: string
  /** grouped, qy, ungroupable, invalid, per_diem, items. */
  readonly status?: string
  /** normal, high, low, mid_low, extreme. */
  readonly outlier?: string
  /** Free text found in the diagnosis or procedure codes, the group or the settlement id. */
  readonly text?: string
  /** Cases the newest yb audit of the month (or of its year) flagged: 'any' or one signal kind (split_admission, upcoding, …). */
  readonly flag?: string
  /** The order of the list: by settlement id (default), or a column, largest first. */
  readonly sort?: ReviewSort
}

export type ReviewSort = 'fund' | 'cost' | 'weight' | 'los' | 'deviation'

/** What each sort orders by (largest first, then by settlement id): amounts by their exact 分, a weight or LOS as a number only to order. */
const SORT_KEY: Record<ReviewSort, string> = {
  fund: "CAST(REPLACE(r.fund_yuan, '.', '') AS INTEGER)",
  cost: "CAST(REPLACE(c.total_cost, '.', '') AS INTEGER)",
  weight: "CAST(NULLIF(r.weight, '') AS REAL)",
  los: 'CAST(c.los_days AS INTEGER)',
  // 费用偏差: the case's cost over its payment standard (the outlier ratio); cases without a standard last.
  deviation: "CAST(REPLACE(c.total_cost, '.', '') AS INTEGER) * 1.0 / NULLIF(CAST(REPLACE(NULLIF(r.standard_yuan, ''), '.', '') AS INTEGER), 0)",
}

export interface ReviewRow {
  readonly settlementId: string
  readonly institutionId: string
  readonly institutionName: string
  readonly pool: string
  readonly mdc: string
  readonly group: string
  readonly status: string
  readonly outlier: string
  readonly payment: string
  readonly fundYuan: string
  readonly totalCostYuan: string
  readonly dx: string
  readonly px: string
  /** '' or the 特例单议 decision: pending, approved, rejected. */
  readonly special: string
}

/** Where the list starts: after an id (forward, '' = from the first) or before one (backward). */
export type PageFrom = {readonly after: string} | {readonly before: string}

export interface ReviewSource {
  readonly month: string
  readonly runId: number
  count(filter: ReviewFilter): number
  /** Σ 基金应付 of the rows the filter keeps, exact, as 2-decimal text. */
  fundTotal?(filter: ReviewFilter): string
  /** The month's current payment run now (another yb pay may have superseded `runId`). */
  currentRunId?(): number | null
  /** Up to `limit` rows in settlement_id order. */
  page(filter: ReviewFilter, from: PageFrom, limit: number): ReviewRow[]
}

const SELECT = `
  SELECT r.settlement_id, r.institution_id, COALESCE(i.name, ''), r.pool, r.mdc, r.drg, r.status, r.outlier, r.payment, r.fund_yuan, c.total_cost, c.dx_codes, c.px_codes, COALESCE(s.decision, '')
  FROM run_case r JOIN settlement_case c USING (settlement_id) LEFT JOIN institution i ON i.institution_id = r.institution_id LEFT JOIN special_case s USING (settlement_id)`

const SORTED_SELECT = `
  SELECT r.settlement_id, r.institution_id, COALESCE(i.name, ''), r.pool, r.mdc, r.drg, r.status, r.outlier, r.payment, r.fund_yuan, c.total_cost, c.dx_codes, c.px_codes, COALESCE(s.decision, '')
  FROM temp.review_order o CROSS JOIN run_case r ON r.settlement_id = o.settlement_id CROSS JOIN settlement_case c ON c.settlement_id = r.settlement_id
  LEFT JOIN institution i ON i.institution_id = r.institution_id LEFT JOIN special_case s ON s.settlement_id = r.settlement_id`

function where(filter: ReviewFilter, month: string): {sql: string; params: string[]} {
  const clauses: string[] = []
  const params: string[] = []
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined || value === '') return
    clauses.push(`${column} = ?`)
    params.push(value)
  }
  equal('r.institution_id', filter.institution)
  equal('r.mdc', filter.mdc)
  equal('r.drg', filter.group)
  equal('r.status', filter.status)
  equal('r.outlier', filter.outlier)
  if (filter.text !== undefined && filter.text !== '') {
    clauses.push("(c.dx_codes LIKE ? ESCAPE '\\' OR c.px_codes LIKE ? ESCAPE '\\' OR r.drg LIKE ? ESCAPE '\\' OR r.settlement_id LIKE ? ESCAPE '\\')")
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    params.push(like, like, like, like)
  }
  if (filter.flag !== undefined && filter.flag !== '') {
    clauses.push(
      `r.settlement_id IN (SELECT a.settlement_id FROM audit_case a JOIN audit_signal g USING (audit_id, signal_no)
        WHERE a.audit_id = (SELECT MAX(audit_id) FROM audit_run WHERE period IN (?, ?))${filter.flag === 'any' ? '' : ' AND g.kind = ?'})`,
    )
    params.push(month, month.slice(0, 4), ...(filter.flag === 'any' ? [] : [filter.flag]))
  }
  return {sql: clauses.map((c) => ` AND ${c}`).join(''), params}
}

function toRow(v: string[]): ReviewRow {
  return {
    settlementId: v[0]!,
    institutionId: v[1]!,
    institutionName: v[2]!,
    pool: v[3]!,
    mdc: v[4]!,
    group: v[5]!,
    status: v[6]!,
    outlier: v[7]!,
    payment: v[8]!,
    fundYuan: v[9]!,
    totalCostYuan: v[10]!,
    dx: v[11]!.split('|')[0] ?? '',
    px: v[12]!.split('|')[0] ?? '',
    special: v[13]!,
  }
}

/** The month's current payment run as a review source; a month without one is an InputError with the command to run. */
/** The payment runs of a month, oldest first (the last is usually the current one). */
export function monthRunIds(db: Db, month: string): number[] {
  return db.prepare("SELECT run_id FROM run WHERE kind = 'pay' AND period = ? ORDER BY run_id").pluck().all(month) as number[]
}

/** The month's current payment run, or `pick`, an earlier one of the month (shown as superseded). */
export function reviewSource(db: Db, month: string, pick?: number): ReviewSource {
  if (pick !== undefined && !monthRunIds(db, month).includes(pick)) throw new InputErrors([inputError(month, 0, 'run', 'reference_unknown', `run ${pick} is not a payment run of ${month}`)])
  const runId = pick ?? periodState(db, 'pay', month).runId
  if (runId === null) {
    throw new InputErrors([
      inputError(month, 0, '', 'reference_unknown', `${month} has no payment run to review`, `run \`yb pay --month ${month}\` first: it groups and prices the month, and can be rerun until the month is closed`),
    ])
  }
  // Count and Σ fund of a filter, made once per filter: the fund summed in integer 分 by SQLite
  // (fund_yuan is canonical 2-decimal text, so its digits are the 分), exact as 64-bit integers.
  const summaries = new Map<string, {count: number; fundFen: bigint}>()
  const summary = (sorted: ReviewFilter): {count: number; fundFen: bigint} => {
    // The order does not change what is counted.
    const {sort: _sort, ...filter} = sorted
    const key = JSON.stringify(filter)
    const known = summaries.get(key)
    if (known !== undefined) return known
    const w = where(filter, month)
    // The codes are in settlement_case: join it only when the text filter needs them.
    const from = filter.text ? 'run_case r JOIN settlement_case c USING (settlement_id)' : 'run_case r'
    const [count, fundFen] = db
      .prepare(`SELECT COUNT(*), COALESCE(SUM(CAST(REPLACE(r.fund_yuan, '.', '') AS INTEGER)), 0) FROM ${from} WHERE r.run_id = ?${w.sql}`)
      .raw(true)
      .safeIntegers(true)
      .get(runId, ...w.params) as [bigint, bigint]
    const made = {count: Number(count), fundFen}
    summaries.set(key, made)
    return made
  }
  const current = db.prepare("SELECT run_id FROM period WHERE kind = 'pay' AND period = ?").pluck()
  // A sorted list is the filter's ids in order, numbered once per filter and sort in a table of
  // this connection's temporary storage (the workspace file is not touched); pages then go by
  // that number, as fast as the unsorted ones.
  let sortedFor = ''
  const sortedPage = (filter: ReviewFilter, from: PageFrom, limit: number): ReviewRow[] => {
    const key = JSON.stringify(filter)
    if (key !== sortedFor) {
      const w = where(filter, month)
      db.exec('DROP TABLE IF EXISTS temp.review_order; CREATE TEMP TABLE review_order (rn INTEGER PRIMARY KEY, settlement_id TEXT NOT NULL UNIQUE)')
      db.prepare(`INSERT INTO temp.review_order (settlement_id) SELECT r.settlement_id FROM run_case r JOIN settlement_case c USING (settlement_id) WHERE r.run_id = ?${w.sql} ORDER BY ${SORT_KEY[filter.sort!]} DESC, r.settlement_id`).run(runId, ...w.params)
      sortedFor = key
    }
    // CROSS JOIN keeps the numbered order the outer loop: a page reads its rows by number.
    const sortedSelect = `${SORTED_SELECT} WHERE r.run_id = ?`
    if ('after' in from) {
      const rn = from.after === '' ? 0 : ((db.prepare('SELECT rn FROM temp.review_order WHERE settlement_id = ?').pluck().get(from.after) as number | undefined) ?? 0)
      return (db.prepare(`${sortedSelect} AND o.rn > ? ORDER BY o.rn LIMIT ?`).raw(true).all(runId, rn, limit) as string[][]).map(toRow)
    }
    const rn = (db.prepare('SELECT rn FROM temp.review_order WHERE settlement_id = ?').pluck().get(from.before) as number | undefined) ?? 0
    return (db.prepare(`${sortedSelect} AND o.rn < ? ORDER BY o.rn DESC LIMIT ?`).raw(true).all(runId, rn, limit) as string[][]).reverse().map(toRow)
  }
  return {
    month,
    runId,
    count: (filter) => summary(filter).count,
    fundTotal: (filter) => unitsText(summary(filter).fundFen, 2),
    currentRunId: () => (current.get(month) as number | null | undefined) ?? null,
    page(filter, from, limit) {
      const w = where(filter, month)
      if (filter.sort !== undefined) return sortedPage(filter, from, limit)
      if ('after' in from) {
        return (db.prepare(`${SELECT} WHERE r.run_id = ? AND r.settlement_id > ?${w.sql} ORDER BY r.settlement_id LIMIT ?`).raw(true).all(runId, from.after, ...w.params, limit) as string[][]).map(toRow)
      }
      const rows = db.prepare(`${SELECT} WHERE r.run_id = ? AND r.settlement_id < ?${w.sql} ORDER BY r.settlement_id DESC LIMIT ?`).raw(true).all(runId, from.before, ...w.params, limit) as string[][]
      return rows.reverse().map(toRow)
    },
  }
}
