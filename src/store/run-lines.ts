/**
 * What the runs of the cycle stored per institution and pool, read back for the runs that build
 * on them: a period's current run, its inputs, and its lines (JSON per institution and pool).
 *
 *   currentRunLines<{payYuan: string}>(db, 'pay', '2025-03') → {runId: 7, lines: [{institutionId: 'H001', pool: '职工', line: {payYuan: '…'}}]}
 */
import type {Db} from './db.js'
import {periodState, type RunKind} from './runs.js'

export interface RunLine<T> {
  readonly institutionId: string
  readonly pool: string
  readonly line: T
}

export function runLines<T>(db: Db, runId: number): RunLine<T>[] {
  const rows = db.prepare('SELECT institution_id, pool, lines_json FROM run_institution WHERE run_id = ? ORDER BY institution_id, pool').all(runId) as {institution_id: string; pool: string; lines_json: string}[]
  return rows.map((row) => ({institutionId: row.institution_id, pool: row.pool, line: JSON.parse(row.lines_json) as T}))
}

/** The period's current run and its lines; undefined when the period has no run. */
export function currentRunLines<T>(db: Db, kind: RunKind, period: string): {runId: number; lines: RunLine<T>[]} | undefined {
  const {runId} = periodState(db, kind, period)
  return runId === null ? undefined : {runId, lines: runLines<T>(db, runId)}
}

export function runInputs<T>(db: Db, runId: number): T {
  return JSON.parse((db.prepare('SELECT inputs_json FROM run WHERE run_id = ?').get(runId) as {inputs_json: string}).inputs_json) as T
}

export function runResult<T>(db: Db, runId: number): T {
  return JSON.parse((db.prepare('SELECT result_json FROM run WHERE run_id = ?').get(runId) as {result_json: string}).result_json) as T
}
