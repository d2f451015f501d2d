/**
 * `yb audit verify [--year]`: is the workspace what yb wrote? Every imported row is recomputed
 * against its recorded hash (a hand edit of a case amount shows), every sealed run against the
 * hash of what it wrote, every closed month's run against what it read (its cases, deductions,
 * decisions and corrections as they are now), and no case is paid in two current runs of a year
 * except through a recorded correction.
 *
 *   auditVerify(db, {year: 2025}) → {ok: false, findings: [{kind: 'row', where: 'settlement_case S1', message: '…'}], checked: {…}}
 */
import {doublyPaid} from '../store/corrections.js'
import type {Db} from '../store/db.js'
import {rowsNotMatching, runsNotMatching} from '../store/audit.js'
import {periodInfo} from '../store/periods.js'
import {runInputs} from '../store/run-lines.js'
import {KEYED_TABLES} from '../store/tables.js'
import {changedSince, type MonthInputsRead, monthInputsRead} from './month-inputs.js'

export interface AuditFinding {
  readonly kind: 'row' | 'run' | 'closed_period' | 'paid_twice'
  readonly where: string
  readonly message: string
}

export interface AuditResult {
  readonly year: number | null
  readonly ok: boolean
  readonly checked: {readonly rowTables: number; readonly runs: number; readonly unsealedRuns: number; readonly closedMonths: number}
  readonly findings: readonly AuditFinding[]
}

export function auditVerify(db: Db, options: {year?: number}): AuditResult {
  const findings: AuditFinding[] = []
  for (const table of KEYED_TABLES) {
    for (const row of rowsNotMatching(db, table, options.year)) findings.push({kind: 'row', where: `${row.table} ${row.key}`, message: 'its values no longer give the hash its import recorded: it was changed outside yb'})
  }
  const runs = runsNotMatching(db, options.year)
  for (const run of runs.tampered) findings.push({kind: 'run', where: `run ${run.runId} (${run.kind} ${run.period})`, message: 'what it wrote (its record, cases, lines or corrections) no longer gives its seal: it was changed outside yb'})
  let closedMonths = 0
  for (const year of options.year === undefined ? yearsOf(db) : [options.year]) {
    const currentRuns: number[] = []
    for (let m = 1; m <= 12; m++) {
      const month = `${year}-${String(m).padStart(2, '0')}`
      const info = periodInfo(db, 'pay', month)
      if (info.runId !== null) currentRuns.push(info.runId)
      if (info.state !== 'closed' || info.runId === null) continue
      closedMonths++
      const changed = changedSince(runInputs<{read?: MonthInputsRead}>(db, info.runId).read, monthInputsRead(db, month))
      if (changed.length > 0) findings.push({kind: 'closed_period', where: `month ${month} (run ${info.runId})`, message: `${changed.join(', ')} changed after it closed`})
    }
    for (const twice of doublyPaid(db, currentRuns)) findings.push({kind: 'paid_twice', where: `${year} ${twice.settlementId}`, message: `paid in the current runs ${twice.runs}, not through a correction`})
  }
  return {year: options.year ?? null, ok: findings.length === 0, checked: {rowTables: KEYED_TABLES.length, runs: runs.runs, unsealedRuns: runs.unsealed, closedMonths}, findings}
}

function yearsOf(db: Db): number[] {
  return (db.prepare("SELECT DISTINCT substr(period, 1, 4) AS y FROM period WHERE kind = 'pay' ORDER BY y").pluck().all() as string[]).map(Number)
}
