/**
 * DIP pricing (settlement-rules §3): group score from history, cost-deviation cases, case
 * score, budget / settlement / monthly point values and the fund amount.
 *
 *   dipGroupScore({groupAvgYuan: [7500, 7800, 8100], allAvgYuan: [9500, 9800, 10100], weights: [1, 2, 7], scale: 1000}) → 799.5992
 */
import type {Rounding} from './drg-pricing.js'
import {type Dec, isAbove, isBelow, ONE, round, roundYuan, type RoundingMode, sum, ZERO} from './money.js'

/** Weighted average over years, oldest first: Σ w·v ÷ Σ w (§3.1). */
export function weightedAverage(values: readonly Dec[], weights: readonly Dec[]): Dec {
  if (values.length !== weights.length || values.length === 0) throw new RangeError(`${values.length} values for ${weights.length} weights`)
  return sum(values.map((v, k) => v.times(weights[k]!))).div(sum(weights))
}

/**
 * A history average over one to three years (§3.1): with weights, Σ w_k × (year k's cost ÷ its
 * cases) ÷ Σ w_k over the years that have cases (a year without cases has no average, so its
 * weight drops out); without weights, the pooled mean Σ cost ÷ Σ cases. ZERO when no year has cases.
 */
export function historyAverageYuan(years: readonly {readonly costYuan: Dec; readonly cases: number}[], weights: readonly Dec[] | null): Dec {
  if (weights === null) {
    const cases = years.reduce((n, y) => n + y.cases, 0)
    return cases === 0 ? ZERO : sum(years.map((y) => y.costYuan)).div(cases)
  }
  if (weights.length !== years.length) throw new RangeError(`${years.length} years for ${weights.length} weights`)
  const present = years.flatMap((y, k) => (y.cases > 0 ? [{average: y.costYuan.div(y.cases), weight: weights[k]!}] : []))
  const total = sum(present.map((p) => p.weight))
  return total.isZero() ? ZERO : weightedAverage(present.map((p) => p.average), present.map((p) => p.weight))
}

/** score = group average ÷ all-case average × scale, at scoreScale places (§3.1). */
export function scoreOfAverages(groupAvgYuan: Dec, allAvgYuan: Dec, scale: Dec, rounding: Rounding): Dec {
  return round(groupAvgYuan.div(allAvgYuan).times(scale), rounding.scoreScale, rounding.mode)
}

/**
 * A group's score from its history (§3.1, DIP-SCORE-1): its history average ÷ the all-case history
 * average × scale, each average over one to three years (historyAverageYuan), at scoreScale places.
 */
export function dipGroupScore(input: {group: readonly {costYuan: Dec; cases: number}[]; all: readonly {costYuan: Dec; cases: number}[]; weights: readonly Dec[] | null; scale: Dec}, rounding: Rounding): {groupAvgYuan: Dec; allAvgYuan: Dec; score: Dec} {
  const groupAvgYuan = historyAverageYuan(input.group, input.weights)
  const allAvgYuan = historyAverageYuan(input.all, input.weights)
  return {groupAvgYuan, allAvgYuan, score: allAvgYuan.isZero() ? ZERO : scoreOfAverages(groupAvgYuan, allAvgYuan, input.scale, rounding)}
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

/**
 * The fund's part of a DIP amount (§3.5, DIP-FUND-1), for one case or an institution's total:
 * TOTAL_MINUS_PATIENT value − patient burden; TOTAL_TIMES_RATIO value × ρ; FUND_DIRECT the value.
 * Rounded to the 分, with the exact amount before rounding (from `exactValueYuan` when the value
 * itself was rounded, as score × PV). Not floored per case: an institution's month is (§3.6).
 */
export function fundPayableYuan(input: {totalYuan: Dec; exactTotalYuan?: Dec; patientBurdenYuan: Dec; reimbursementRatio: Dec; mode: FundMode}, mode: RoundingMode): {fundYuan: Dec; exactYuan: Dec} {
  const exact = input.exactTotalYuan ?? input.totalYuan
  const of = (value: Dec): Dec => {
    switch (input.mode) {
      case 'TOTAL_MINUS_PATIENT':
        return value.minus(input.patientBurdenYuan)
      case 'TOTAL_TIMES_RATIO':
        return value.times(input.reimbursementRatio)
      case 'FUND_DIRECT':
        return value
    }
  }
  return {fundYuan: roundYuan(of(input.totalYuan), mode), exactYuan: of(exact)}
}

/** 月度结算点值 FIXED (§3.4c): the published point value × k, at pvScale places. */
export function fixedMonthlyPointValue(publishedYuan: Dec, factor: Dec, rounding: Rounding): Dec {
  return round(publishedYuan.times(factor), rounding.pvScale, rounding.mode)
}
