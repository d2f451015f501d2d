/**
 * The runs of the cycle as stored, for the read-only views: a page of them, one with its recorded
 * inputs and result, and a page of one run's case results by key.
 *
 *   runRows(db, {kind: 'pay', from: '2025-01', to: '2025-12'}) → [{runId: 3, kind: 'pay', period: '2025-03', startedAt: '…', supersededBy: null, current: true}]
 */
import type {Db} from './db.js'
import type {RunKind} from './runs.js'

export interface RunRow {
  readonly runId: number
  readonly kind: RunKind
  readonly period: string
  readonly startedAt: string
  readonly supersededBy: number | null
  /** The period's current run (what its statements and the next runs use). */
  readonly current: boolean
  readonly cases: number
}

export function runRows(db: Db, filter: {kind?: RunKind; from: string; to: string}): RunRow[] {
  const rows = db
    .prepare(
      `SELECT r.run_id AS runId, r.kind, r.period, r.started_at AS startedAt, r.superseded_by AS supersededBy,
              COALESCE(p.run_id = r.run_id, 0) AS current, (SELECT COUNT(*) FROM run_case c WHERE c.run_id = r.run_id) AS cases
       FROM run r LEFT JOIN period p ON p.kind = r.kind AND p.period = r.period
       WHERE (? IS NULL OR r.kind = ?) AND r.period >= ? AND r.period <= ? ORDER BY r.run_id`,
    )
    .all(filter.kind ?? null, filter.kind ?? null, filter.from, filter.to) as (Omit<RunRow, 'current'> & {current: number})[]
  return rows.map((r) => ({...r, current: r.current === 1}))
}

export function runRecord(db: Db, runId: number): {row: RunRow; inputs: unknown; result: unknown} | undefined {
  const found = db.prepare('SELECT kind, period, inputs_json, result_json FROM run WHERE run_id = ?').get(runId) as {kind: RunKind; period: string; inputs_json: string; result_json: string} | undefined
  if (found === undefined) return undefined
  const row = runRows(db, {kind: found.kind, from: found.period, to: found.period}).find((r) => r.runId === runId)!
  return {row, inputs: JSON.parse(found.inputs_json), result: JSON.parse(found.result_json)}
}

export interface RunCaseRow {
  readonly settlementId: string
  readonly institutionId: string
  readonly pool: string
  readonly status: string
  readonly drg: string
  readonly weight: string
  readonly points: string
  readonly payment: string
  readonly outlier: string
  readonly standardYuan: string
  readonly adjustedYuan: string
  readonly fundYuan: string
  readonly special: string
}

/** A page of a run's case results after `after` (settlement_id order), optionally one institution's. */
export function runCasePage(db: Db, runId: number, options: {after: string; limit: number; institution?: string}): RunCaseRow[] {
  return db
    .prepare(
      `SELECT settlement_id AS settlementId, institution_id AS institutionId, pool, status, drg, weight, points, payment, outlier,
              standard_yuan AS standardYuan, adjusted_yuan AS adjustedYuan, fund_yuan AS fundYuan, special
       FROM run_case WHERE run_id = ? AND settlement_id > ? AND (? IS NULL OR institution_id = ?) ORDER BY settlement_id LIMIT ?`,
    )
    .all(runId, options.after, options.institution ?? null, options.institution ?? null, options.limit) as RunCaseRow[]
}
