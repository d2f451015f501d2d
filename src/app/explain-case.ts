/**
 * `yb case show`: one stored discharge explained line by line: its codes with their names, the
 * grouping trace, and the price build-up at the rates its month was paid with (the current
 * payment run of the month; a provisional rate when the month is not paid yet), beside what the
 * run stored for it.
 *
 *   explainStoredCase(db, 'S4') → {grouping: {drg: 'BR21', trace: [...]}, payment: {steps: ['标准 = …', …], fundYuan: '15960.00', paidInRun: {runId: 3, fundYuan: '15960.00'}}}
 */
import {fenText} from '../clearing/fen.js'
import {inputError, InputErrors} from '../errors.js'
import {explainCase} from '../grouper/trace.js'
import type {Db} from '../store/db.js'
import {type CaseRow, storedCase} from '../store/cases.js'
import {runCaseFund} from '../store/runs.js'
import {casePaths} from './case-paths.js'
import {type DrgContext, drgRates, drgUnitsOf, groupOrHold, loadDrgContext, toGroupCase} from './drg-method.js'
import {casePricer} from './drg-pricer.js'
import {loadMethod} from './method.js'
import {paidRates} from './paid-rates.js'
import type {CaseOutcome, PoolRate} from './payment-method.js'

export interface CaseExplanation {
  readonly settlementId: string
  readonly month: string
  readonly institution: {readonly id: string; readonly name: string; readonly level: string; readonly coefficient: string}
  readonly pool: string
  readonly totalCostYuan: string
  readonly fundRecordedYuan: string
  readonly dx: readonly {readonly code: string; readonly name: string}[]
  readonly px: readonly {readonly code: string; readonly name: string}[]
  readonly grouping: {readonly status: string; readonly mdc: string; readonly adrg: string; readonly drg: string; readonly drgName: string; readonly reason: string; readonly trace: readonly string[]}
  readonly payment: {
    readonly rateYuanPerWeight: string
    readonly rateFrom: string
    readonly weight: string
    readonly payment: string
    readonly outlier: string
    readonly standardYuan: string
    readonly adjustedYuan: string
    readonly fundYuan: string
    readonly steps: readonly string[]
    /** What the current payment run of the month stored for this case, when there is one. */
    readonly paidInRun: {readonly runId: number; readonly fundYuan: string} | null
  }
}

/** `contextOf`: the year's policy, scheme, weights and institutions (a review session loads them once). */
export function explainStoredCase(db: Db, settlementId: string, contextOf: (year: number) => DrgContext = (year) => loadDrgContext(db, year)): CaseExplanation {
  const stored = storedCase(db, settlementId)
  if (stored === undefined) throw new InputErrors([inputError(settlementId, 0, 'settlement_id', 'reference_unknown', `no stored discharge ${settlementId}`, 'import it with `yb cases import`')])
  const context = contextOf(Number(stored.month.slice(0, 4)))
  const institution = context.institutions.get(stored.institution_id)!
  const groupInput = toGroupCase(stored)
  const result = groupOrHold(context, stored)
  const weight = result.status === 'grouped' ? context.weights.get(result.drg) : undefined

  const run = paidRates(db, stored.month)
  // The rates the month was paid with, else the provisional ones it would be paid with now.
  const rates = run?.rates ?? drgRates(db, context, [stored.month], drgUnitsOf(context))
  const rate = rates.find((r) => r.pool === stored.insurance_type)!.rate
  // A per-diem or item-paid case (its own 付费方式) is priced on its own path, not by its group.
  const priced = casePaths(context.policy).pathOf(stored) === 'grouped' ? casePricer(context, rates, true)(stored, institution, result, weight) : ownPath(db, stored, rates)
  const paid = run === undefined ? undefined : runCaseFund(db, run.runId, settlementId)
  const name = (names: ReadonlyMap<string, string>) => (code: string) => ({code, name: names.get(code) ?? ''})
  return {
    settlementId,
    month: stored.month,
    institution: {id: institution.institution_id, name: institution.name, level: institution.level, coefficient: institution.coefficientValue.toString()},
    pool: stored.insurance_type,
    totalCostYuan: stored.total_cost,
    fundRecordedYuan: stored.fund_recorded,
    dx: groupInput.dx.map(name(context.scheme.dxNames)),
    px: groupInput.px.map(name(context.scheme.pxNames)),
    grouping: {status: result.status, mdc: result.mdc, adrg: result.adrg, drg: result.drg, drgName: result.drgName, reason: result.reason, trace: explainCase(context.scheme, groupInput, result)},
    payment: {
      rateYuanPerWeight: context.rules.points === undefined ? rate.toFixed(2) : rate.toString(),
      rateFrom: run === undefined ? `provisional: ${stored.month} is not paid yet` : `payment run ${run.runId}`,
      weight: weight?.text ?? '',
      payment: priced.payment,
      outlier: priced.outlier,
      standardYuan: priced.standardText,
      adjustedYuan: priced.adjustedText,
      fundYuan: fenText(priced.fundFen),
      steps: priced.steps === '' ? [] : priced.steps.split('\n'),
      paidInRun: run === undefined || paid === undefined ? null : {runId: run.runId, fundYuan: paid},
    },
  }
}

/** The outcome of a case the year's method prices outside its group (per diem, by items). */
function ownPath(db: Db, row: CaseRow & {month: string}, rates: readonly PoolRate[]): CaseOutcome {
  return loadMethod(db, Number(row.month.slice(0, 4))).rowPricer(rates, true)(row).outcome
}
