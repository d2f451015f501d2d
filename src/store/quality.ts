/**
 * What the quality checks read: the stored cases of a month as the rules see them.
 *
 *   for (const row of qcRecordsOfMonth(db, '2025-03')) …   row: {settlement_id, institution_id, sex, …}
 */
import type {QcRecord} from '../quality/qc-case.js'
import type {Db} from './db.js'

export interface StoredQcRecord extends QcRecord {
  readonly settlement_id: string
  readonly institution_id: string
}

const COLUMNS = 'settlement_id, institution_id, sex, age_years, age_days, birth_weight_g, los_days, discharge_mode, admit_date, discharge_date, dx_codes, px_codes, total_cost, fund_recorded, self_pay_all, self_pay_first, deductible, co_pay, other_funds'

const PAGE_ROWS = 5000

/** The month's stored cases in settlement-id order (one institution's, when given), a page at a time. */
export function* qcRecordsOfMonth(db: Db, month: string, institutionId?: string): Generator<StoredQcRecord> {
  const page = db.prepare(`SELECT ${COLUMNS} FROM settlement_case WHERE month = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?`).raw(true)
  let after = ''
  for (;;) {
    const rows = page.all(month, after, PAGE_ROWS) as string[][]
    if (rows.length === 0) return
    for (const v of rows) {
      if (institutionId !== undefined && v[1] !== institutionId) continue
      yield {
        settlement_id: v[0]!, institution_id: v[1]!, sex: v[2]!, age_years: v[3]!, age_days: v[4]!, birth_weight_g: v[5]!, los_days: v[6]!, discharge_mode: v[7]!, admit_date: v[8]!, discharge_date: v[9]!,
        dx_codes: v[10]!, px_codes: v[11]!, total_cost: v[12]!, fund_recorded: v[13]!, self_pay_all: v[14]!, self_pay_first: v[15]!, deductible: v[16]!, co_pay: v[17]!, other_funds: v[18]!,
      }
    }
    after = rows[rows.length - 1]![0]!
  }
}

export function monthCaseCount(db: Db, month: string, institutionId?: string): number {
  return institutionId === undefined
    ? (db.prepare('SELECT COUNT(*) FROM settlement_case WHERE month = ?').pluck().get(month) as number)
    : (db.prepare('SELECT COUNT(*) FROM settlement_case WHERE month = ? AND institution_id = ?').pluck().get(month, institutionId) as number)
}
