/**
 * The paid cases a period's evaluation reads: each case of the current payment run of each month
 * (a month, or the months of a year), with its institution, group, weight, cost, LOS and whether
 * the patient died (离院方式 5).
 *
 *   evaluationCases(db, ['2025-03']) → {runs: [{month: '2025-03', runId: 4}], cells: [{unit: 'H001', status: 'grouped', drg: 'BR25', weight: '1.5', cases: 12, deaths: 0, costFen: 16800000n, losDays: 96n}, …]}
 */
import type {EvaluatedCell} from '../clearing/evaluation.js'
import type {Db} from './db.js'
import {periodState} from './runs.js'

// Summed per institution, status, group and weight in SQLite: exact integers (cost in 分 from its
// canonical 2-decimal text), a row per cell, so memory does not grow with the cases.
const query = (unit: string) => `
  SELECT ${unit} AS unit, r.status, r.drg, r.weight, COUNT(*), SUM(c.discharge_mode = '5'),
         SUM(CAST(REPLACE(c.total_cost, '.', '') AS INTEGER)), SUM(CAST(c.los_days AS INTEGER))
  FROM run_case r JOIN settlement_case c USING (settlement_id)
  WHERE r.run_id = ?
  GROUP BY unit, r.status, r.drg, r.weight`

/** The unit a case is evaluated in: its institution, or its department or physician there (blank: 未填). */
export type EvaluationUnit = 'institution' | 'department' | 'physician'
const UNIT_SQL: Record<EvaluationUnit, string> = {
  institution: 'r.institution_id',
  department: "r.institution_id || ' ' || COALESCE(NULLIF(c.department, ''), '未填')",
  physician: "r.institution_id || ' ' || COALESCE(NULLIF(c.physician, ''), '未填')",
}

/** The months' current payment runs (a month without one is left out) and their cases. */
export function evaluationCases(db: Db, months: readonly string[], by: EvaluationUnit = 'institution'): {runs: {month: string; runId: number}[]; cells: EvaluatedCell[]} {
  const runs: {month: string; runId: number}[] = []
  const cells: EvaluatedCell[] = []
  const statement = db.prepare(query(UNIT_SQL[by])).raw(true).safeIntegers(true)
  for (const month of months) {
    const {runId} = periodState(db, 'pay', month)
    if (runId === null) continue
    runs.push({month, runId})
    for (const [unit, status, drg, weight, cases, deaths, costFen, losDays] of statement.iterate(runId) as IterableIterator<[string, string, string, string, bigint, bigint, bigint, bigint | null]>) {
      cells.push({unit, status, drg, weight, cases: Number(cases), deaths: Number(deaths), costFen, losDays: losDays ?? 0n})
    }
  }
  return {runs, cells}
}
