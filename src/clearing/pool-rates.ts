/**
 * The rate (费率法), DRG point value (点数法) or DIP point value of a pool computed from the year's
 * budget (DRG-RATE-1, DRG-PV-1, DIP-PVS-1): the pool's share of the available budget for the
 * period's months, over the period's Σ RW, Σ points or Σ scores; and the sanity bound that
 * compares a computed value with its reference.
 *
 *   budgetRate({family: 'DRG_RATE', availableYuan: 300e6, poolShare: 1, months: 12, reimbursementRatio: 0.6, units: 45000}) → 11111.11
 */
import {dipSettlePointValue, type SettleMethod} from './dip-pricing.js'
import {drgPointValue, drgRate, type Rounding} from './drg-pricing.js'
import {type Dec, ZERO} from './money.js'

export type RateFamily = 'DRG_RATE' | 'DRG_POINTS' | 'DIP'

export interface BudgetRateInput {
  readonly family: RateFamily
  /** The year's available budget (§5.1). */
  readonly availableYuan: Dec
  readonly poolShare: Dec
  /** Months of the period: 1 for a month's provisional value, 12 for the year's final one. */
  readonly months: number
  /** ρ: the fund's share of total cost (turns a fund budget into a total-cost budget). */
  readonly reimbursementRatio: Dec
  /** Σ RW (DRG_RATE), Σ points (DRG_POINTS) or Σ scores (DIP) of the period's cases in the pool. */
  readonly units: Dec
  /** DIP only: TOTAL_COST (F ÷ ρ) ÷ S or FUND_ONLY F ÷ S. */
  readonly settleMethod?: SettleMethod
}

/** The pool's budget for the period: available × share × months ÷ 12. */
export function periodBudgetYuan(availableYuan: Dec, poolShare: Dec, months: number): Dec {
  return availableYuan.times(poolShare).times(months).div(12)
}

/**
 * The computed value, published at the policy's places; ZERO for a pool without units (no case
 * is priced at it: its cases, if any, are paid otherwise).
 */
export function budgetRate(input: BudgetRateInput, rounding: Rounding): Dec {
  if (input.units.isZero()) return ZERO
  const budget = periodBudgetYuan(input.availableYuan, input.poolShare, input.months)
  switch (input.family) {
    case 'DRG_RATE':
      return drgRate({fundBudgetYuan: budget, reimbursementRatio: input.reimbursementRatio, weightedCases: input.units}, rounding).rateYuanPerWeight
    case 'DRG_POINTS':
      return drgPointValue({budgetYuan: budget.div(input.reimbursementRatio), totalPoints: input.units}, rounding)
    case 'DIP':
      return dipSettlePointValue({fundYuan: budget, reimbursementRatio: input.reimbursementRatio, totalScore: input.units, method: input.settleMethod ?? 'TOTAL_COST'}, rounding)
  }
}

/** (computed − reference) ÷ reference: how far a computed value is from its reference, signed. */
export function deviationFromReference(computed: Dec, reference: Dec): Dec {
  return computed.minus(reference).div(reference)
}

/** True when |computed − reference| ≤ maxDeviation × reference (tested by multiplying, §0.3). */
export function withinReference(computed: Dec, reference: Dec, maxDeviation: Dec): boolean {
  return computed.minus(reference).abs().lte(maxDeviation.times(reference))
}

/** The signed deviation in percent, at one decimal, for people. */
export function deviationPercent(computed: Dec, reference: Dec): Dec {
  return deviationFromReference(computed, reference).times(100).toDecimalPlaces(1)
}
