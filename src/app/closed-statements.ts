/**
 * What a closed period's statements rest on. Before they are written again, the period's rows are
 * checked against what its run recorded (the run's seal; for a month, what it read: cases,
 * deductions, decisions, corrections): a changed row is refused, not printed. The first full set of
 * statements of a closed period (UTF-8) records its manifest's hash; every later set is compared
 * with it.
 *
 *   assertClosedPeriodIntact(db, 'pay', '2025-03', 7) → throws period_closed when a row no longer matches
 */
import {inputError, InputErrors} from '../errors.js'
import {recordedStatements, recordStatements} from '../store/audit.js'
import type {Db} from '../store/db.js'
import {runInputs} from '../store/run-lines.js'
import {runWrittenSha256} from '../store/runs.js'
import {asWriter} from '../store/writer.js'
import {changedSince, type MonthInputsRead, monthInputsRead} from './month-inputs.js'

export function assertClosedPeriodIntact(db: Db, kind: 'pay' | 'clear', period: string, runId: number): void {
  const problems: string[] = []
  const sealed = db.prepare('SELECT written_sha256 FROM run WHERE run_id = ?').pluck().get(runId) as string
  if (sealed !== '' && runWrittenSha256(db, runId) !== sealed) problems.push(`run ${runId} no longer gives its seal`)
  if (kind === 'pay') {
    const changed = changedSince(runInputs<{read?: MonthInputsRead}>(db, runId).read, monthInputsRead(db, period))
    if (changed.length > 0) problems.push(`${changed.join(', ')} changed after it closed`)
  }
  if (problems.length > 0) {
    throw new InputErrors([inputError(period, 0, '', 'period_closed', `the closed ${kind === 'pay' ? 'month' : 'year'} ${period} is not as its run recorded it: ${problems.join('; ')}`, `yb audit verify --year ${period.slice(0, 4)} lists what changed`)])
  }
}

/** Records the first full statements of a closed period, or compares later ones with them: true when they match (or are the first). */
export function matchRecordedStatements(db: Db, kind: 'pay' | 'clear', period: string, manifestSha256: string): {recorded: string; matches: boolean} {
  const recorded = recordedStatements(db, kind, period)
  if (recorded !== '') return {recorded, matches: recorded === manifestSha256}
  asWriter(db, `yb reconcile: recording the statements of ${kind} ${period}`, () => recordStatements(db, kind, period, manifestSha256))
  return {recorded: manifestSha256, matches: true}
}
