/**
 * DIP pricing (settlement-rules §3): group score from history, cost-deviation cases, case
 * score, budget / settlement / monthly point values and the fund amount.
 *
 *   dipGroupScore({groupAvgYuan: [7500, 7800, 8100], allAvgYuan: [9500, 9800, 10100], weights: [1, 2, 7], scale: 1000}) → 799.5992
 */
import type {Rounding} from './drg-pricing.js'
import {type Dec, isAbove, isBelow, ONE, round, roundYuan, type RoundingMode, sum} from './money.js'

/** Weighted average over years, oldest first: Σ w·v ÷ Σ w (§3.1). */
export function weightedAverage(values: readonly Dec[], weights: readonly Dec[]): Dec {
  if (values.length !== weights.length || values.length === 0) throw new RangeError(`${values.length} values for ${weights.length} weights`)
  return sum(values.map((v, k) => v.times(weights[k]!))).div(sum(weights))
}

/** score = (weighted group average ÷ weighted all-case average) × scale, at scoreScale places (DIP-SCORE-1). */
export function dipGroupScore(input: {groupAvgYuan: readonly Dec[]; allAvgYuan: readonly Dec[]; weights: readonly Dec[]; scale: Dec}, rounding: Rounding): Dec {
  const ratio = weightedAverage(input.groupAvgYuan, input.weights).div(weightedAverage(input.allAvgYuan, input.weights))
  return round(ratio.times(input.scale), rounding.scoreScale, rounding.mode)
}

export type DeviationType = 'normal' | 'high' | 'low' | 'extreme'

export interface DeviationRule {
  /** H: high above H × A (default 2). */
  readonly high: Dec
  /** L: low below L × A (default 0.5). */
  readonly low: Dec
  /** X: extreme above X × A, sent to expert review (default 5). */
  readonly extreme: Dec
  /** Strict comparisons unless true (以上/以下 wording includes the boundary). */
  readonly boundaryInclusive: boolean
}

/** The deviation factor d of a case against the reference average A (§3.2, DIP-DEV-1). */
export function dipDeviation(costYuan: Dec, referenceAvgYuan: Dec, rule: DeviationRule): {type: DeviationType; factor: Dec; review: boolean} {
  const above = (times: Dec) => isAbove(costYuan, times, referenceAvgYuan, rule.boundaryInclusive)
  const below = (times: Dec) => isBelow(costYuan, times, referenceAvgYuan, rule.boundaryInclusive)
  const ratio = costYuan.div(referenceAvgYuan)
  // Extreme cases go to review; until decided they are paid by the high formula (engine choice, §3.2).
  if (above(rule.extreme)) return {type: 'extreme', factor: ratio.minus(rule.high).plus(1), review: true}
  if (above(rule.high)) return {type: 'high', factor: ratio.minus(rule.high).plus(1), review: false}
  if (below(rule.low)) return {type: 'low', factor: ratio, review: false}
  return {type: 'normal', factor: ONE, review: false}
}

/** caseScore = score × aux × d (× hospital factor at the SCORE stage), at scoreScale places (§3.2). */
export function dipCaseScore(input: {groupScore: Dec; auxFactor: Dec; deviationFactor: Dec; hospitalFactor: Dec}, rounding: Rounding): Dec {
  return round(input.groupScore.times(input.auxFactor).times(input.deviationFactor).times(input.hospitalFactor), rounding.scoreScale, rounding.mode)
}

/** 预算点值 = weighted annual total cost ÷ expected total score (§3.4a, DIP-PVB-1). */
export function dipBudgetPointValue(input: {annualCostYuan: readonly Dec[]; weights: readonly Dec[]; expectedScore: Dec}, rounding: Rounding): {weightedCostYuan: Dec; pointValue: Dec} {
  const weightedCostYuan = weightedAverage(input.annualCostYuan, input.weights)
  return {weightedCostYuan, pointValue: round(weightedCostYuan.div(input.expectedScore), rounding.pvScale, rounding.mode)}
}

export type SettleMethod = 'TOTAL_COST' | 'FUND_ONLY'

/** 结算点值: TOTAL_COST (F ÷ ρ) ÷ S, or FUND_ONLY F ÷ S (§3.4b, DIP-PVS-1). */
export function dipSettlePointValue(input: {fundYuan: Dec; reimbursementRatio: Dec; totalScore: Dec; method: SettleMethod}, rounding: Rounding): Dec {
  const numerator = input.method === 'TOTAL_COST' ? input.fundYuan.div(input.reimbursementRatio) : input.fundYuan
  return round(numerator.div(input.totalScore), rounding.pvScale, rounding.mode)
}

/** 病种结算总额 = Σ score × PV (× hospital factor at the PAYMENT stage), in 元. */
export function dipTotalYuan(score: Dec, pointValue: Dec, hospitalFactor: Dec, mode: RoundingMode): Dec {
  return roundYuan(score.times(pointValue).times(hospitalFactor), mode)
}

export type FundMode = 'TOTAL_MINUS_PATIENT' | 'TOTAL_TIMES_RATIO' | 'FUND_DIRECT'

/** The fund amount from a points total (§3.5, DIP-FUND-1). */
export function fundPayableYuan(input: {totalYuan: Dec; patientBurdenYuan: Dec; reimbursementRatio: Dec; mode: FundMode}, mode: RoundingMode): Dec {
  switch (input.mode) {
    case 'TOTAL_MINUS_PATIENT':
      return roundYuan(input.totalYuan.minus(input.patientBurdenYuan), mode)
    case 'TOTAL_TIMES_RATIO':
      return roundYuan(input.totalYuan.times(input.reimbursementRatio), mode)
    case 'FUND_DIRECT':
      return roundYuan(input.totalYuan, mode)
  }
}
