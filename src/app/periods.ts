/**
 * `yb period close / reopen / status`: the period state machine (store/periods) as the commands
 * use it. A month closes on its current payment run, or without one when it has no cases (its
 * dated deductions, if any, are then taken at the clearing); a year closes on its clearing, which
 * needed all twelve months closed, and takes its prepayment with it. Closing a closed period
 * again changes nothing and says so.
 *
 *   closeMonths(db, ['2025-01', '2025-02'], {reason: '拨付完成', by: 'li'}) → [{period: '2025-01', runId: 3, already: false}, {period: '2025-02', runId: null, already: false}]
 */
import {monthCaseCount} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {type CloseResult, closePeriod, type PeriodInfo, periodInfo, periodLog, reopenPeriod} from '../store/periods.js'
import {withTransaction} from '../store/db.js'
import {inputError, InputErrors} from '../errors.js'
import {runInputs} from '../store/run-lines.js'
import {changedSince, type MonthInputsRead, monthInputsRead} from './month-inputs.js'

export interface ClosedPeriod extends CloseResult {
  readonly kind: 'pay' | 'clear'
  readonly period: string
}

export async function closePeriods(db: Db, kind: 'pay' | 'clear', periods: readonly string[], options: {reason: string; by: string}): Promise<ClosedPeriod[]> {
  return withTransaction(db, () =>
    periods.map((period) => {
      if (kind === 'pay') refuseStale(db, period)
      return {kind, period, ...closePeriod(db, kind, period, {...options, emptyMonth: kind === 'pay' && monthCaseCount(db, period) === 0})}
    }),
  )
}

/** A month whose current run no longer matches what it read (a case changed or moved since) is paid again before it closes. */
function refuseStale(db: Db, month: string): void {
  const info = periodInfo(db, 'pay', month)
  if (info.runId === null || info.state === 'closed') return
  const changed = changedSince(runInputs<{read?: MonthInputsRead}>(db, info.runId).read, monthInputsRead(db, month))
  if (changed.length > 0) {
    throw new InputErrors([inputError(month, 0, '', 'value_not_allowed', `month ${month} changed since its run ${info.runId} (${changed.join(', ')}): closing it would close a payment of other inputs`, `pay it again first: yb pay --month ${month}`)])
  }
}

export function reopen(db: Db, kind: 'pay' | 'clear', period: string, options: {reason: string; by: string}): {kind: 'pay' | 'clear'; period: string; runId: number | null} {
  return {kind, period, ...reopenPeriod(db, kind, period, options)}
}

export interface YearStatus {
  readonly year: number
  readonly months: readonly (PeriodInfo & {readonly cases: number; readonly log: ReturnType<typeof periodLog>})[]
  readonly clearing: PeriodInfo & {readonly log: ReturnType<typeof periodLog>}
  readonly prepayment: PeriodInfo
}

export function yearStatus(db: Db, year: number): YearStatus {
  const months = Array.from({length: 12}, (_, k) => `${year}-${String(k + 1).padStart(2, '0')}`).map((month) => ({...periodInfo(db, 'pay', month), cases: monthCaseCount(db, month), log: periodLog(db, 'pay', month)}))
  return {year, months, clearing: {...periodInfo(db, 'clear', String(year)), log: periodLog(db, 'clear', String(year))}, prepayment: periodInfo(db, 'prepay', String(year))}
}
