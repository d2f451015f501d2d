/**
 * CHS-DRG pricing (settlement-rules §4): rate or point value, payment standard, case fund,
 * high and low outliers, per-diem. Every parameter comes from the region's policy; every
 * rounding is named by its stage.
 *
 *   drgRate({fundBudgetYuan: 300e6, reimbursementRatio: 0.6, weightedCases: 45000}) → 11111.11
 */
import {type Dec, max, ONE, round, roundYuan, type RoundingMode, ZERO} from './money.js'

export interface Rounding {
  readonly mode: RoundingMode
  /** Places of a published rate (费率), default 2. */
  readonly rateScale: number
  /** Places of a computed point value (点值), default 4. */
  readonly pvScale: number
  /** Places of a case's score or points, default 4. */
  readonly scoreScale: number
}

/** 费率法: rate = (fund budget ÷ ρ) ÷ Σ n×RW, published at rateScale places (§4.2, DRG-RATE-1). */
export function drgRate(input: {fundBudgetYuan: Dec; reimbursementRatio: Dec; weightedCases: Dec}, rounding: Rounding): {costBudgetYuan: Dec; rateYuanPerWeight: Dec} {
  const costBudgetYuan = input.fundBudgetYuan.div(input.reimbursementRatio)
  return {costBudgetYuan, rateYuanPerWeight: round(costBudgetYuan.div(input.weightedCases), rounding.rateScale, rounding.mode)}
}

/** 点数法: point value = budget ÷ Σ points, published at pvScale places (§4.2, DRG-PV-1). */
export function drgPointValue(input: {budgetYuan: Dec; totalPoints: Dec}, rounding: Rounding): Dec {
  return round(input.budgetYuan.div(input.totalPoints), rounding.pvScale, rounding.mode)
}

/** Payment standard = RW × rate × coefficient, in 元 (§4.3, DRG-STD-1). */
export function paymentStandardYuan(input: {weight: Dec; rateYuanPerWeight: Dec; coefficient: Dec}, mode: RoundingMode): Dec {
  return roundYuan(input.weight.times(input.rateYuanPerWeight).times(input.coefficient), mode)
}

export interface PatientParts {
  /** 全自费 */
  readonly selfPayAllYuan: Dec
  /** 先行自付 */
  readonly selfPayFirstYuan: Dec
  /** 起付线 */
  readonly deductibleYuan: Dec
}

/** CHS formula: max(0, (standard − 全自费 − 先行自付 − 起付线) × fund ratio) (§4.3, DRG-FUND-1). */
export function caseFundChsYuan(standardYuan: Dec, patient: PatientParts, fundRatio: Dec, mode: RoundingMode): Dec {
  const base = standardYuan.minus(patient.selfPayAllYuan).minus(patient.selfPayFirstYuan).minus(patient.deductibleYuan)
  return roundYuan(max(ZERO, base.times(fundRatio)), mode)
}

export type HighThreshold =
  | {readonly variant: 'FLAT'; readonly times: Dec}
  /** Tiers ascending by weight: the first whose `weightMax` is ≥ RW (or has none) gives T. */
  | {readonly variant: 'RW_TIERED'; readonly tiers: readonly {readonly weightMax: Dec | null; readonly times: Dec}[]}
  | {readonly variant: 'LEVEL_TIERED'; readonly byLevel: Readonly<Record<string, Dec>>}

/** T for a case: how many times the basis a cost must exceed to be a high outlier (§4.4). */
export function highThresholdTimes(rule: HighThreshold, weight: Dec, institutionLevel: string): Dec {
  switch (rule.variant) {
    case 'FLAT':
      return rule.times
    case 'RW_TIERED': {
      const tier = rule.tiers.find((t) => t.weightMax === null || weight.lte(t.weightMax))
      if (tier === undefined) throw new RangeError(`no RW tier covers weight ${weight.toString()}`)
      return tier.times
    }
    case 'LEVEL_TIERED': {
      const times = rule.byLevel[institutionLevel]
      if (times === undefined) throw new RangeError(`no high-cost threshold for institution level "${institutionLevel}"`)
      return times
    }
  }
}

/** High outlier, ADD_POINTS: base × coef + base × (r − T) where r = cost ÷ basis (§4.4, DRG-HIGH-1). */
export function highOutlierPoints(input: {basePoints: Dec; coefficient: Dec; costYuan: Dec; basisYuan: Dec; times: Dec}, rounding: Rounding): Dec {
  const excessRatio = input.costYuan.div(input.basisYuan).minus(input.times)
  return round(input.basePoints.times(input.coefficient).plus(input.basePoints.times(excessRatio)), rounding.scoreScale, rounding.mode)
}

/** High outlier, PARTIAL_EXCESS: standard + (cost − T × basis) × α (§4.4, DRG-HIGH-1). */
export function highOutlierPartialExcessYuan(input: {standardYuan: Dec; costYuan: Dec; basisYuan: Dec; times: Dec; share: Dec}, mode: RoundingMode): Dec {
  return roundYuan(input.standardYuan.plus(input.costYuan.minus(input.times.times(input.basisYuan)).times(input.share)), mode)
}

/** Low outlier, PRORATA: base × cost ÷ average, multiplied before dividing, capped at base (§4.4, DRG-LOW-1). */
export function lowOutlierPoints(input: {basePoints: Dec; costYuan: Dec; averageYuan: Dec}, rounding: Rounding): Dec {
  const points = input.basePoints.times(input.costYuan).div(input.averageYuan)
  return round(points.gt(input.basePoints) ? input.basePoints : points, rounding.scoreScale, rounding.mode)
}

/** Zhejiang mid-low uplift: base × (r + add) for from < r ≤ to (§4.4, DRG-LOW-1). */
export function midLowUpliftPoints(input: {basePoints: Dec; costYuan: Dec; averageYuan: Dec; add: Dec}, rounding: Rounding): Dec {
  const ratio = input.costYuan.div(input.averageYuan)
  const factor = ratio.plus(input.add)
  return round(input.basePoints.times(factor.gt(ONE) ? ONE : factor), rounding.scoreScale, rounding.mode)
}

/** Per-diem: daily points × days (§4.5, BED-1). */
export function perDiemPoints(dailyPoints: Dec, days: Dec, rounding: Rounding): Dec {
  return round(dailyPoints.times(days), rounding.scoreScale, rounding.mode)
}

/** 特例单议 approved by converting item cost: points = approved cost ÷ PV (§4.4, SPECIAL-1). */
export function specialCasePoints(approvedCostYuan: Dec, pointValue: Dec, rounding: Rounding): Dec {
  return round(approvedCostYuan.div(pointValue), rounding.scoreScale, rounding.mode)
}

/** RW = group average cost ÷ all-case average cost (§4.1, N2, FQ), at `places` (4 in the weights files seen). */
export function relativeWeight(groupAvgYuan: Dec, allAvgYuan: Dec, places: number, mode: RoundingMode): Dec {
  return round(groupAvgYuan.div(allAvgYuan), places, mode)
}
