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

/**
 * The layout of the statement files, recorded with their hash as `f<N>:<sha256>`: a later yb
 * that writes them another way (format 2 added cell references and number formats; format 3
 * deflates every 明细 sheet at level 1) cannot be
 * compared byte for byte with statements an earlier one recorded, and says so instead of
 * reporting a difference. Their figures are still guarded: the period's run is checked against
 * its seal before anything is written (assertClosedPeriodIntact).
 */
export const STATEMENT_FORMAT = 3

export interface RecordedStatements {
  /** The manifest's SHA-256 first recorded. */
  readonly recorded: string
  readonly matches: boolean
  /** The statement format of the record, when it is an earlier one than STATEMENT_FORMAT (then `matches` is not a comparison). */
  readonly earlierFormat?: number
}

/** Records the first full statements of a closed period, or compares later ones with them: true when they match (or are the first). */
export function matchRecordedStatements(db: Db, kind: 'pay' | 'clear', period: string, manifestSha256: string): RecordedStatements {
  const stored = recordedStatements(db, kind, period)
  if (stored !== '') {
    const tagged = /^f([0-9]+):([0-9a-f]{64})$/.exec(stored)
    const format = tagged === null ? 1 : Number(tagged[1])
    const recorded = tagged === null ? stored : tagged[2]!
    if (format !== STATEMENT_FORMAT) return {recorded, matches: true, earlierFormat: format}
    return {recorded, matches: recorded === manifestSha256}
  }
  asWriter(db, `yb reconcile: recording the statements of ${kind} ${period}`, () => recordStatements(db, kind, period, `f${STATEMENT_FORMAT}:${manifestSha256}`))
  return {recorded: manifestSha256, matches: true}
}
