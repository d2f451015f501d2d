/**
 * priceDrgCase in integer 分, for a month's run without build-ups under HALF_UP rounding: the
 * same rules, the same results to the 分 (checked against the decimal.js version in the tests),
 * without a decimal object per step.
 *
 *   priceDrgCaseFen({status: 'grouped', standardFen: 1533333, costFen: 3600000, …}, rules) → {outlier: 'high', adjustedFen: 1953333, fundFen: 1456333}
 */
import type {CaseOutlier, CasePayment, DrgCaseRules} from './drg-case.js'
import {highThresholdTimes} from './drg-pricing.js'
import {mulDivRound, type Ratio, ratioOf, scaleFen, scaleResidueUnits} from './fen.js'
import type {Dec} from './money.js'

/** The policy's case rules as integer ratios, made once per run. */
export interface FenRules {
  readonly fundMode: DrgCaseRules['fundMode']
  readonly highPayment: DrgCaseRules['high']['payment']
  readonly highShare: Ratio
  readonly highInclusive: boolean
  readonly lowTimes: Ratio
  readonly lowInclusive: boolean
  readonly lowPayment: DrgCaseRules['low']['payment']
  readonly uplift: {readonly from: Ratio; readonly to: Ratio; readonly add: Ratio} | null
  readonly qyDiscount: Ratio
  readonly ungroupableDiscount: Ratio
  /** T of the high-cost test for a weight and level (memoized by the caller). */
  readonly highTimes: (weight: Dec, level: string) => Ratio
}

export function fenRules(rules: DrgCaseRules): FenRules {
  if (rules.mode !== 'HALF_UP') throw new RangeError('the integer 分 path rounds HALF_UP only')
  return {
    fundMode: rules.fundMode,
    highPayment: rules.high.payment,
    highShare: ratioOf(rules.high.share),
    highInclusive: rules.high.inclusive,
    lowTimes: ratioOf(rules.low.times),
    lowInclusive: rules.low.inclusive,
    lowPayment: rules.low.payment,
    uplift: rules.midLowUplift === null ? null : {from: ratioOf(rules.midLowUplift.from), to: ratioOf(rules.midLowUplift.to), add: ratioOf(rules.midLowUplift.add)},
    qyDiscount: ratioOf(rules.qyDiscount),
    ungroupableDiscount: ratioOf(rules.ungroupableDiscount),
    highTimes: (weight, level) => ratioOf(highThresholdTimes(rules.high.threshold, weight, level)),
  }
}

export interface FenCase {
  readonly status: 'grouped' | 'qy' | 'ungroupable' | 'invalid'
  /** Undefined when the case has no weight (not grouped, or the DRG is not in the year's weights). */
  readonly standardFen: number | undefined
  /** The outlier basis (group average at the level, else the standard). */
  readonly basisFen: number
  readonly highTimes: Ratio
  readonly costFen: number
  readonly fundRecordedFen: number
  readonly selfPayAllFen: number
  readonly selfPayFirstFen: number
  readonly deductibleFen: number
  readonly fundRatio: Ratio
}

export interface FenPriced {
  readonly payment: CasePayment
  readonly outlier: CaseOutlier
  readonly standardFen: number
  readonly adjustedFen: number
  readonly fundFen: number
  /** The fund's rounding residue (exact − rounded) in 1e-8 分. */
  readonly residueUnits: number
}

/** cost vs times × basis, compared exactly: cost × den against num × basis. */
function compare(costFen: number, times: Ratio, basisFen: number): number {
  const left = costFen * times.den
  const right = times.num * basisFen
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return Math.sign(left - right)
  const l = BigInt(costFen) * BigInt(times.den)
  const r = BigInt(times.num) * BigInt(basisFen)
  return l > r ? 1 : l < r ? -1 : 0
}

export function priceDrgCaseFen(c: FenCase, rules: FenRules): FenPriced {
  if (c.status === 'invalid') return {payment: 'held', outlier: 'normal', standardFen: 0, adjustedFen: 0, fundFen: 0, residueUnits: 0}
  if (c.status !== 'grouped' || c.standardFen === undefined) {
    const discount = c.status === 'qy' ? rules.qyDiscount : rules.ungroupableDiscount
    const fund = scaleFen(c.fundRecordedFen, discount)
    return {payment: 'discounted_items', outlier: 'normal', standardFen: 0, adjustedFen: fund, fundFen: fund, residueUnits: scaleResidueUnits(c.fundRecordedFen, discount, fund)}
  }
  const standard = c.standardFen
  let outlier: CaseOutlier = 'normal'
  let adjusted = standard
  const high = compare(c.costFen, c.highTimes, c.basisFen)
  const low = compare(c.costFen, rules.lowTimes, c.basisFen)
  if (high > 0 || (high === 0 && rules.highInclusive)) {
    outlier = 'high'
    // standard + (cost − T × basis) × share, with T = num / den and share = num / den.
    const excessTimesDen = c.costFen * c.highTimes.den - c.highTimes.num * c.basisFen
    adjusted = rules.highPayment === 'FFS' ? c.costFen : standard + mulDivRound(excessTimesDen, rules.highShare.num, c.highTimes.den * rules.highShare.den)
  } else if (low < 0 || (low === 0 && rules.lowInclusive)) {
    outlier = 'low'
    adjusted = rules.lowPayment === 'FFS' ? c.costFen : Math.min(standard, mulDivRound(standard, c.costFen, c.basisFen))
  } else if (rules.uplift !== null && compare(c.costFen, rules.uplift.from, c.basisFen) > 0 && compare(c.costFen, rules.uplift.to, c.basisFen) <= 0) {
    outlier = 'mid_low'
    // standard × min(1, cost / basis + add) = standard × (cost × add.den + add.num × basis) / (basis × add.den)
    const add = rules.uplift.add
    const factorNum = c.costFen * add.den + add.num * c.basisFen
    const factorDen = c.basisFen * add.den
    adjusted = factorNum >= factorDen ? standard : mulDivRound(standard, factorNum, factorDen)
  }
  if (rules.fundMode === 'CHS_FORMULA') {
    const base = adjusted - c.selfPayAllFen - c.selfPayFirstFen - c.deductibleFen
    const fund = Math.max(0, scaleFen(base, c.fundRatio))
    return {payment: 'drg', outlier, standardFen: standard, adjustedFen: adjusted, fundFen: fund, residueUnits: base > 0 ? scaleResidueUnits(base, c.fundRatio, fund) : 0}
  }
  const fund = Math.max(0, adjusted - (c.costFen - c.fundRecordedFen))
  return {payment: 'drg', outlier, standardFen: standard, adjustedFen: adjusted, fundFen: fund, residueUnits: 0}
}

