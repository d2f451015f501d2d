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

/** The month's stored cases in settlement-id order (one institution's, when given); streamed. */
export function qcRecordsOfMonth(db: Db, month: string, institutionId?: string): IterableIterator<StoredQcRecord> {
  return institutionId === undefined
    ? (db.prepare(`SELECT ${COLUMNS} FROM settlement_case WHERE month = ? ORDER BY settlement_id`).iterate(month) as IterableIterator<StoredQcRecord>)
    : (db.prepare(`SELECT ${COLUMNS} FROM settlement_case WHERE month = ? AND institution_id = ? ORDER BY settlement_id`).iterate(month, institutionId) as IterableIterator<StoredQcRecord>)
}

export function monthCaseCount(db: Db, month: string, institutionId?: string): number {
  return institutionId === undefined
    ? (db.prepare('SELECT COUNT(*) FROM settlement_case WHERE month = ?').pluck().get(month) as number)
    : (db.prepare('SELECT COUNT(*) FROM settlement_case WHERE month = ? AND institution_id = ?').pluck().get(month, institutionId) as number)
}
