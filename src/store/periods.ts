/**
 * The one period state machine of the workspace. A month is open (no payment run yet), paid (it
 * has a current run, which a rerun supersedes) or closed; a year is open, cleared (it has a
 * clearing run) or closed. A closed period is a fact: every command that writes asks here first
 * (assertWritable) for the month and the year of every row it touches, and is refused with the
 * period, who closed it, when, why, and the way forward. Closing a year needs its clearing and
 * locks everything of that year: its months, deductions, 特例单议 decisions, prepayment, policy
 * and weights.
 *
 *   periodInfo(db, 'pay', '2025-03') → {state: 'closed', runId: 7, closedAt: '2025-04-02T02:11:09Z', closedBy: 'li', reason: '拨付完成'}
 *   assertWritable(db, {month: '2025-03'}, 'importing cases') → throws period_closed
 */
import {assert, type InputError, inputError, InputErrors} from '../errors.js'
import type {Db} from './db.js'

export type PeriodKind = 'pay' | 'clear' | 'prepay'

export interface PeriodInfo {
  readonly kind: PeriodKind
  readonly period: string
  /** pay: open → paid → closed; clear: open → cleared → closed; prepay: open → paid → closed (with its year). */
  readonly state: 'open' | 'paid' | 'cleared' | 'closed'
  readonly runId: number | null
  readonly closedAt: string
  readonly closedBy: string
  /** The reason given when it was closed. */
  readonly reason: string
}

interface PeriodRow {
  state: 'open' | 'closed'
  run_id: number | null
  closed_at: string
  closed_by: string
  close_reason: string
}

export function periodInfo(db: Db, kind: PeriodKind, period: string): PeriodInfo {
  const row = db.prepare('SELECT state, run_id, closed_at, closed_by, close_reason FROM period WHERE kind = ? AND period = ?').get(kind, period) as PeriodRow | undefined
  if (row === undefined) return {kind, period, state: 'open', runId: null, closedAt: '', closedBy: '', reason: ''}
  const state = row.state === 'closed' ? 'closed' : row.run_id === null ? 'open' : kind === 'clear' ? 'cleared' : 'paid'
  return {kind, period, state, runId: row.run_id, closedAt: row.closed_at, closedBy: row.closed_by, reason: row.close_reason}
}

/** "month 2025-03 is closed (run 7; closed 2025-04-02T02:11:09Z by li: 拨付完成)" */
export function describeClosed(info: PeriodInfo): string {
  const name = info.kind === 'pay' ? `month ${info.period}` : info.kind === 'clear' ? `year ${info.period}` : `the ${info.period} prepayment`
  const by = info.closedBy === '' ? '' : ` by ${info.closedBy}`
  const when = info.closedAt === '' ? '' : `; closed ${info.closedAt}${by}`
  const why = info.reason === '' ? '' : `: ${info.reason}`
  return `${name} is closed (${info.runId === null ? 'no run' : `run ${info.runId}`}${when}${why})`
}

export interface WriteScope {
  /** The month a row belongs to (its settlement month, a deduction's month, a run's month). */
  readonly month?: string
  /** The year, for what belongs to the year itself (an undated deduction, a decision, the policy). */
  readonly year?: number
}

/** The closed period that forbids writing `scope`, if any: the year first (it locks everything of it), then the month. */
export function closedFor(db: Db, scope: WriteScope): PeriodInfo | undefined {
  const year = scope.year ?? (scope.month === undefined ? undefined : Number(scope.month.slice(0, 4)))
  if (year !== undefined) {
    const cleared = periodInfo(db, 'clear', String(year))
    if (cleared.state === 'closed') return cleared
  }
  if (scope.month !== undefined) {
    const month = periodInfo(db, 'pay', scope.month)
    if (month.state === 'closed') return month
  }
  return undefined
}

/** Refuses `what` when it would change a closed period, naming it and the way forward. */
export function assertWritable(db: Db, scope: WriteScope, what: string, file = '', way: Way = 'settle'): void {
  const closed = closedFor(db, scope)
  if (closed === undefined) return
  throw new InputErrors([closedError(closed, what, file, 0, '', way)])
}

/** The way forward a refusal names: settle the change in an open month (imports), or reopen the period (a run of it). */
export type Way = 'settle' | 'reopen'

/** The refusal of `what` by a closed period: "importing cases into 2025-03: month 2025-03 is closed (…); a closed period is not changed". */
export function closedError(closed: PeriodInfo, what: string, file = '', row = 0, column = '', way: Way = 'settle'): InputError {
  const flag = closed.kind === 'pay' ? `--month ${closed.period}` : `--year ${closed.period}`
  const reopen = `yb period reopen ${flag} --reason "…"`
  return inputError(
    file || closed.period,
    row,
    column,
    'period_closed',
    `${what}: ${describeClosed(closed)}; a closed period is not changed`,
    closed.kind !== 'pay'
      ? `reopen the year first: ${reopen}`
      : way === 'reopen'
        ? `reopen it first: ${reopen}`
        : `settle it in an open month instead: a late claim or a correction (冲正/补退) goes into the month where it is declared (docs/settlement.md); or reopen: ${reopen}`,
  )
}

function log(db: Db, kind: PeriodKind, period: string, action: 'close' | 'reopen', reason: string, by: string): void {
  db.prepare('INSERT INTO period_log (kind, period, action, reason, at, actor) VALUES (?, ?, ?, ?, ?, ?)').run(kind, period, action, reason, new Date().toISOString().replace(/\.[0-9]+Z$/, 'Z'), by)
}

export interface CloseResult {
  readonly runId: number | null
  /** It was closed already: nothing changed (a rerun of a cron script is not an error). */
  readonly already: boolean
  /** Closing a year also closed these (its prepayment). */
  readonly alsoClosed: readonly string[]
}

/**
 * Closes a month (its current payment run; a month without cases or deductions closes without
 * one) or a year (its clearing run, which needs all twelve months closed: the clearing checks
 * that before it runs). Closing again is a no-op.
 */
export function closePeriod(db: Db, kind: 'pay' | 'clear', period: string, options: {reason: string; by: string; emptyMonth: boolean}): CloseResult {
  return db.transaction((): CloseResult => {
    const info = periodInfo(db, kind, period)
    if (info.state === 'closed') return {runId: info.runId, already: true, alsoClosed: []}
    if (info.runId === null && !(kind === 'pay' && options.emptyMonth)) {
      throw new InputErrors([
        inputError(period, 0, '', 'reference_unknown', `${kind === 'pay' ? `month ${period}` : `year ${period}`} has no run to close`, kind === 'pay' ? `run yb pay --month ${period} first` : `run yb clear --year ${period} first`),
      ])
    }
    const at = new Date().toISOString().replace(/\.[0-9]+Z$/, 'Z')
    const close = (k: PeriodKind, p: string) =>
      db
        .prepare("INSERT INTO period (kind, period, state, run_id, closed_at, closed_by, close_reason) VALUES (?, ?, 'closed', NULL, ?, ?, ?) ON CONFLICT (kind, period) DO UPDATE SET state = 'closed', closed_at = excluded.closed_at, closed_by = excluded.closed_by, close_reason = excluded.close_reason")
        .run(k, p, at, options.by, options.reason)
    close(kind, period)
    log(db, kind, period, 'close', options.reason, options.by)
    const alsoClosed: string[] = []
    if (kind === 'clear' && periodInfo(db, 'prepay', period).state !== 'closed') {
      close('prepay', period)
      log(db, 'prepay', period, 'close', `with year ${period}`, options.by)
      alsoClosed.push(`prepay ${period}`)
    }
    return {runId: info.runId, already: false, alsoClosed}
  })()
}

/** Reopens a closed period with a reason (never empty) and who reopened it; a month of a closed year needs the year reopened first. */
export function reopenPeriod(db: Db, kind: 'pay' | 'clear', period: string, options: {reason: string; by: string}): {runId: number | null} {
  return db.transaction(() => {
    if (options.reason.trim() === '') throw new InputErrors([inputError(period, 0, 'reason', 'value_required', 'a reopening needs its reason (--reason "…"): it is kept in the period log')])
    const info = periodInfo(db, kind, period)
    if (info.state !== 'closed') throw new InputErrors([inputError(period, 0, '', 'value_not_allowed', `${kind === 'pay' ? 'month' : 'year'} ${period} is not closed (${info.state})`)])
    if (kind === 'pay') {
      const year = periodInfo(db, 'clear', period.slice(0, 4))
      if (year.state === 'closed') throw new InputErrors([closedError(year, `reopening month ${period}`)])
    }
    db.prepare("UPDATE period SET state = 'open' WHERE kind = ? AND period = ?").run(kind, period)
    log(db, kind, period, 'reopen', options.reason, options.by)
    if (kind === 'clear' && periodInfo(db, 'prepay', period).state === 'closed') {
      db.prepare("UPDATE period SET state = 'open' WHERE kind = 'prepay' AND period = ?").run(period)
      log(db, 'prepay', period, 'reopen', `with year ${period}`, options.by)
    }
    return {runId: info.runId}
  })()
}

export function periodLog(db: Db, kind: PeriodKind, period: string): {action: string; reason: string; at: string; by: string}[] {
  return db.prepare('SELECT action, reason, at, actor AS by FROM period_log WHERE kind = ? AND period = ? ORDER BY log_id').all(kind, period) as {action: string; reason: string; at: string; by: string}[]
}

/** The months of a year that are not closed, in order. */
export function openMonths(db: Db, year: number): string[] {
  return Array.from({length: 12}, (_, k) => `${year}-${String(k + 1).padStart(2, '0')}`).filter((month) => periodInfo(db, 'pay', month).state !== 'closed')
}

/** Inside a simulation's rolled-back transaction only (store/db.ts undone): a month and its year, or a year's clearing, as if open, so a draft can be paid on a closed period without changing it. */
export function openForSimulation(db: Db, scope: {readonly month: string} | {readonly year: number}): void {
  assert(db.inTransaction, 'openForSimulation runs inside a transaction that is rolled back')
  if ('month' in scope) db.prepare("UPDATE period SET state = 'open' WHERE (kind = 'pay' AND period = ?) OR (kind = 'clear' AND period = ?)").run(scope.month, scope.month.slice(0, 4))
  else db.prepare("UPDATE period SET state = 'open' WHERE kind = 'clear' AND period = ?").run(String(scope.year))
}
