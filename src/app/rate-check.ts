/**
 * The sanity bound on computed rates and point values (policy rate_check): every computed value
 * of a payment or a clearing is compared with its reference, the policy's stated value per pool
 * or the previous year's final value in this workspace (its clearing, else its published values
 * of the same kind). Beyond max_deviation the run is refused, unless the officer accepts it, and
 * then it is a warning the run reports. A one-case month that computes 5,654,333.52 per weight
 * stops here.
 *
 *   checkRates(db, method, rates, {accept: false}) → ['…'] (warnings) or throws InputErrors (value_out_of_range)
 */
import {type Dec, parseDecimal} from '../clearing/money.js'
import {deviationPercent, type RateFamily, withinReference} from '../clearing/pool-rates.js'
import {parsePolicy} from '../clearing/policy.js'
import {inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {latestPolicy} from '../store/policies.js'
import {runInputs, runResult} from '../store/run-lines.js'
import {periodState} from '../store/runs.js'
import {type PaymentMethod, type PoolRate, type PoolRateJson, rateLabel} from './payment-method.js'

export interface RateReference {
  readonly pool: string
  readonly referenceYuan: string
  readonly source: string
}

const NAME: Record<RateFamily, string> = {DRG_RATE: '费率', DRG_POINTS: '点值', DIP: '点值'}

export function checkRates(db: Db, method: PaymentMethod, rates: readonly PoolRate[], options: {accept: boolean; period: string}): string[] {
  const computed = rates.filter((r) => r.source === 'computed' && !r.rate.isZero())
  if (computed.length === 0) return []
  const {reference, maxDeviation} = method.policy.rateCheck
  if (reference === 'none') return []
  const references = reference === 'previous_year' ? previousYear(db, method) : {values: reference, source: 'rate_check.reference'}
  if (references === undefined) {
    return [`rate_check: no reference for the computed ${NAME[method.family]} of ${options.period} (no ${method.stored.year - 1} clearing or published value of this kind): state rate_check.reference in the policy`]
  }
  const warnings: string[] = []
  const beyond: string[] = []
  for (const r of computed) {
    const ref = references.values[r.pool]
    if (ref === undefined) continue
    if (withinReference(r.rate, ref, maxDeviation)) continue
    const shown = (rate: Dec) => rateLabel(method.rateJson({pool: r.pool, source: r.source, rate})).value
    const text = `computed ${NAME[method.family]} ${r.pool} ${shown(r.rate)} is ${deviationPercent(r.rate, ref).toFixed(1)}% from the reference ${shown(ref)} (${references.source}), beyond rate_check.max_deviation ${maxDeviation.toString()}`
    if (options.accept) warnings.push(`accepted: ${text}`)
    else beyond.push(text)
  }
  if (beyond.length > 0) {
    throw new InputErrors(
      beyond.map((text) => inputError(options.period, 0, 'rate_check', 'value_out_of_range', text, 'check the period’s cases and weights against the budget; pass --accept-rate-deviation to run at this value anyway')),
    )
  }
  return warnings
}

/** The previous year's final values of the same kind: its current clearing's, else its policy's published ones. */
function previousYear(db: Db, method: PaymentMethod): {values: Record<string, Dec>; source: string} | undefined {
  const year = method.stored.year - 1
  const {runId} = periodState(db, 'clear', String(year))
  if (runId !== null) {
    const inputs = runInputs<{method?: string}>(db, runId)
    const result = runResult<{rates?: PoolRateJson[]}>(db, runId)
    const values = valuesOf(result.rates ?? [], method.family)
    if (values !== undefined && (inputs.method ?? 'DRG') === method.method) return {values, source: `clearing ${year}, run ${runId}`}
  }
  const stored = latestPolicy(db, year)
  if (stored === undefined) return undefined
  const parsed = parsePolicy(`policy ${year}`, stored.text).policy
  if (parsed === undefined || parsed.file.method !== method.method) return undefined
  const published = method.family === 'DRG_RATE' ? parsed.file.drg.rate_yuan_per_weight : method.family === 'DRG_POINTS' ? parsed.file.drg.point_value_yuan : parsed.file.dip?.point_value_yuan
  if (published === undefined || published === 'computed') return undefined
  if (method.family === 'DRG_POINTS' && parsed.file.drg.family !== 'POINTS') return undefined
  if (method.family === 'DRG_RATE' && parsed.file.drg.family !== 'RATE') return undefined
  return {values: published, source: `policy ${year} v${stored.version}, published`}
}

function valuesOf(rates: readonly PoolRateJson[], family: RateFamily): Record<string, Dec> | undefined {
  const values: Record<string, Dec> = {}
  for (const r of rates) {
    const text = family === 'DRG_RATE' ? ('rateYuanPerWeight' in r ? r.rateYuanPerWeight : undefined) : 'pointValueYuan' in r ? r.pointValueYuan : undefined
    if (text === undefined) return undefined
    const value = parseDecimal(text)
    if (value.gt(0)) values[r.pool] = value
  }
  return Object.keys(values).length === 0 ? undefined : values
}
