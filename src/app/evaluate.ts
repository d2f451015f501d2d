/**
 * `yb evaluate`: the evaluation indicators of a month or a year (src/clearing/evaluation.ts) per
 * institution, from the cases as their payment runs priced them, with the region's own line.
 *
 *   runEvaluate(db, {months: ['2025-03']}) → {period: '2025-03', runs: [{month: '2025-03', runId: 4}], units: [{unit: 'H001', cmi: '1.1667', …}], region: {…}}
 */
import {type Evaluation, evaluate} from '../clearing/evaluation.js'
import {inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {evaluationCases, type EvaluationUnit} from '../store/evaluation.js'
import {institutionRows} from '../store/institutions.js'
import {yearPolicy} from './year-policy.js'

export interface EvaluateResult extends Evaluation {
  readonly period: string
  readonly by: EvaluationUnit
  /** The year's payment method: under DIP the weight is the case's score (总分值, 平均分值). */
  readonly method: 'DRG' | 'DIP'
  readonly runs: readonly {readonly month: string; readonly runId: number}[]
  /** Institution names by id, for the table. */
  readonly names: Readonly<Record<string, string>>
}

export function runEvaluate(db: Db, options: {readonly period: string; readonly months: readonly string[]; readonly by?: EvaluationUnit; readonly institution?: string}): EvaluateResult {
  const by = options.by ?? 'institution'
  const {runs, cells} = evaluationCases(db, options.months, by)
  if (runs.length === 0) {
    throw new InputErrors([inputError(options.period, 0, '', 'reference_unknown', `${options.period} has no payment run to evaluate`, `run \`yb pay --month …\` first`)])
  }
  const evaluation = evaluate(cells)
  // A department or physician unit is 'H001 神经内科': it belongs to the institution it starts with.
  const inInstitution = (unit: string) => unit === options.institution || unit.startsWith(`${options.institution} `)
  const units = options.institution === undefined ? evaluation.units : evaluation.units.filter((u) => inInstitution(u.unit))
  if (options.institution !== undefined && units.length === 0) {
    throw new InputErrors([inputError(options.period, 0, 'institution', 'reference_unknown', `institution ${options.institution} has no paid case in ${options.period}`)])
  }
  const names = Object.fromEntries(institutionRows(db).map((i) => [i.institution_id, i.name]))
  const method = yearPolicy(db, Number(options.period.slice(0, 4))).policy.file.method
  return {...evaluation, units, period: options.period, by, method, runs, names}
}
