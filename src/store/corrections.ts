/**
 * Corrections of cases already settled in a closed month (冲正 / 补退): the corrected case is
 * entered in an open month (`yb cases import --month 2025-05 --correct`) and settled there as a
 * reversal of what was paid for it plus a payment of the corrected case, each line naming the run
 * it reverses; the closed month's run and its files never change.
 *
 *   await importCorrections(db, '2025-05', {file: 'corrections.csv', …}) → {inserted: 1, …}
 *   previousPayment(db, 'S1', '2025-05') → {runId: 7, institutionId: 'H001', pool: '职工', fundYuan: '12126.67'}
 */
import {createHash} from 'node:crypto'
import {inputError} from '../errors.js'
import {CASE_FILE_COLUMNS} from '../io/columns.js'
import {CORRECTION_TABLE} from './tables.js'
import type {CaseRow} from './cases.js'
import type {Db} from './db.js'
import type {RunCase} from './runs.js'
import {importKeyedFile, type KeyedImportResult} from './keyed-import.js'
import {closedFor, periodInfo} from './periods.js'
import type {ImportFileOptions} from './settlement-data.js'

export function importCorrections(db: Db, month: string, options: ImportFileOptions, check: (record: Record<string, string>, line: number, errors: ReturnType<typeof inputError>[]) => Record<string, string> | undefined): Promise<KeyedImportResult> {
  const stored = db.prepare('SELECT month FROM settlement_case WHERE settlement_id = ?').pluck()
  return importKeyedFile(db, {
    ...options,
    kind: 'corrections',
    specs: CASE_FILE_COLUMNS,
    table: CORRECTION_TABLE,
    fixed: {month},
    scope: `${month} corrections`,
    toRow(record, line, errors) {
      const original = stored.get(record.settlement_id!) as string | undefined
      const before = errors.length
      if (original === undefined) {
        errors.push(inputError(options.file, line, 'settlement_id', 'reference_unknown', `case ${record.settlement_id} is not in the workspace: a new case is imported without --correct`))
      } else if (original >= month) {
        errors.push(inputError(options.file, line, 'settlement_id', 'value_not_allowed', `case ${record.settlement_id} is settled in ${original}, not before ${month}: a correction goes into a later month`))
      } else if (closedFor(db, {month: original}) === undefined) {
        errors.push(inputError(options.file, line, 'settlement_id', 'value_not_allowed', `case ${record.settlement_id} is settled in ${original}, which is still open: change it there (yb cases import --month ${original} --replace)`))
      }
      if (errors.length > before) return undefined
      const row = check(record, line, errors)
      return row === undefined ? undefined : {...row, original_month: original!}
    },
  })
}

/** The corrections settled in a month, as the case rows they correct to, in settlement_id order. */
export function monthCorrections(db: Db, month: string): (CaseRow & {original_month: string})[] {
  return db
    .prepare(
      `SELECT settlement_id, original_month, institution_id, insurance_type, sex, age_years, age_days, birth_weight_g, los_days, admit_date, discharge_date, dx_codes, px_codes, total_cost, fund_recorded,
              self_pay_all, self_pay_first, deductible, co_pay, discharge_mode, other_funds, payment_method, per_diem_category, row_hash
       FROM case_correction WHERE month = ? ORDER BY settlement_id`,
    )
    .all(month) as (CaseRow & {original_month: string})[]
}

/** The latest correction of each case settled in the months of a year, by settlement id (what the clearing prices). */
export function latestCorrections(db: Db, fromMonth: string, toMonth: string): Map<string, CaseRow & {month: string; original_month: string}> {
  const rows = db
    .prepare(
      `SELECT c.* FROM case_correction c
       WHERE c.month >= ? AND c.month <= ? AND c.month = (SELECT MAX(month) FROM case_correction d WHERE d.settlement_id = c.settlement_id AND d.month <= ?)
       ORDER BY c.settlement_id`,
    )
    .all(fromMonth, toMonth, toMonth) as (CaseRow & {month: string; original_month: string})[]
  return new Map(rows.map((row) => [row.settlement_id, row]))
}

export interface Payment {
  readonly runId: number
  readonly institutionId: string
  readonly pool: string
  readonly fundYuan: string
}

/**
 * What was last paid for a case before `month`: the 补退 of its latest correction in an earlier
 * month's current run, else its line in the current run of the month it was settled in.
 */
export function previousPayment(db: Db, settlementId: string, month: string): Payment | undefined {
  const corrections = db.prepare('SELECT month FROM case_correction WHERE settlement_id = ? AND month < ? ORDER BY month DESC').pluck().all(settlementId, month) as string[]
  for (const earlier of corrections) {
    const runId = periodInfo(db, 'pay', earlier).runId
    if (runId === null) continue
    const line = db.prepare('SELECT institution_id AS institutionId, pool, fund_yuan AS fundYuan FROM run_correction WHERE run_id = ? AND settlement_id = ?').get(runId, settlementId) as Omit<Payment, 'runId'> | undefined
    if (line !== undefined) return {runId, ...line}
  }
  const original = db.prepare('SELECT month FROM settlement_case WHERE settlement_id = ?').pluck().get(settlementId) as string | undefined
  const runId = original === undefined ? null : periodInfo(db, 'pay', original).runId
  if (runId === null) return undefined
  const line = db.prepare('SELECT institution_id AS institutionId, pool, fund_yuan AS fundYuan FROM run_case WHERE run_id = ? AND settlement_id = ?').get(runId, settlementId) as Omit<Payment, 'runId'> | undefined
  return line === undefined ? undefined : {runId, ...line}
}

/** A correction's payment line: the corrected case priced as a run keeps a case, and the payment it reverses. */
export interface RunCorrection extends Pick<RunCase, 'settlementId' | 'institutionId' | 'pool' | 'status' | 'drg' | 'weight' | 'payment' | 'outlier' | 'standardYuan' | 'adjustedYuan' | 'fundYuan' | 'points'> {
  readonly reverses: Payment
}

export function runCorrectionWriter(db: Db, runId: number): (c: RunCorrection) => void {
  const insert = db.prepare(
    `INSERT INTO run_correction (run_id, settlement_id, reverses_run_id, reversed_institution_id, reversed_pool, reversed_fund_yuan, institution_id, pool, status, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, points)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  return (c) => {
    insert.run(runId, c.settlementId, c.reverses.runId, c.reverses.institutionId, c.reverses.pool, c.reverses.fundYuan, c.institutionId, c.pool, c.status, c.drg, c.weight, c.payment, c.outlier, c.standardYuan, c.adjustedYuan, c.fundYuan, c.points)
  }
}

/** A run's correction lines read back: Σ of what they paid and reversed (in 分) and how many. */
export function runCorrectionLines(db: Db, runId: number): {settlementId: string; reversesRunId: number; reversedFundYuan: string; fundYuan: string; institutionId: string; pool: string; reversedInstitutionId: string; reversedPool: string}[] {
  return db
    .prepare('SELECT settlement_id AS settlementId, reverses_run_id AS reversesRunId, reversed_fund_yuan AS reversedFundYuan, fund_yuan AS fundYuan, institution_id AS institutionId, pool, reversed_institution_id AS reversedInstitutionId, reversed_pool AS reversedPool FROM run_correction WHERE run_id = ? ORDER BY settlement_id')
    .all(runId) as ReturnType<typeof runCorrectionLines>
}

/** A hash of the corrections settled in a month (ids and row hashes), for a run's record of what it read. */
export function monthCorrectionsSha256(db: Db, month: string): string {
  const hash = createHash('sha256')
  for (const [id, rowHash] of db.prepare('SELECT settlement_id, row_hash FROM case_correction WHERE month = ? ORDER BY settlement_id').raw(true).iterate(month) as IterableIterator<[string, string]>) hash.update(`${id}\t${rowHash}\n`)
  return hash.digest('hex')
}

/**
 * The correction lines of runs (a year's current payment runs) for cases settled before `beforeMonth`
 * (in an earlier year): what the clearing adds as 以前年度病例冲正补退, since those cases are not in its year.
 */
export function priorCorrectionLines(db: Db, runIds: readonly number[], beforeMonth: string): {institutionId: string; pool: string; reversedInstitutionId: string; reversedPool: string; fundYuan: string; reversedFundYuan: string}[] {
  if (runIds.length === 0) return []
  return db
    .prepare(
      `SELECT r.institution_id AS institutionId, r.pool, r.reversed_institution_id AS reversedInstitutionId, r.reversed_pool AS reversedPool, r.fund_yuan AS fundYuan, r.reversed_fund_yuan AS reversedFundYuan
       FROM run_correction r JOIN settlement_case c USING (settlement_id) WHERE r.run_id IN (${runIds.map(() => '?').join(', ')}) AND c.month < ? ORDER BY r.settlement_id`,
    )
    .all(...runIds, beforeMonth) as ReturnType<typeof priorCorrectionLines>
}

/** Cases with a line in more than one of the runs (outside their correction lines): paid twice. */
export function doublyPaid(db: Db, runIds: readonly number[]): {settlementId: string; runs: string}[] {
  if (runIds.length === 0) return []
  return db
    .prepare(`SELECT settlement_id AS settlementId, GROUP_CONCAT(run_id) AS runs FROM run_case WHERE run_id IN (${runIds.map(() => '?').join(', ')}) GROUP BY settlement_id HAVING COUNT(*) > 1 ORDER BY settlement_id LIMIT 20`)
    .all(...runIds) as {settlementId: string; runs: string}[]
}
