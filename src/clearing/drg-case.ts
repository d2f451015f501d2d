/**
 * Prices one DRG case and sums an institution's month (settlement-rules §4.3–4.4, §3.6): the
 * payment standard, the high / low / mid-low outlier adjustment, the fund payable after the
 * patient's parts; every step a line of the case's price build-up.
 *
 *   priceDrgCase({status: 'grouped', weight: 1.5, costYuan: 36000, …}, rules)
 *   → {outlier: 'high', standardYuan: 15333.33, adjustedYuan: 19533.33, fundYuan: …, steps: ['标准 = 1.5 × 11111.11 × 0.92 = 15333.33', …]}
 */
import {assert} from '../errors.js'
import {monthlyPayment} from './cycle.js'
import {fenOfYuan, yuanOfFen} from './fen.js'
import {
  caseFundChsYuan,
  type HighThreshold,
  highOutlierPartialExcessYuan,
  highThresholdTimes,
  paymentStandardYuan,
  type PatientParts,
} from './drg-pricing.js'
import {type Dec, isAbove, isBelow, max, min, ONE, roundYuan, type RoundingMode, ZERO} from './money.js'

export type CaseOutlier = 'normal' | 'high' | 'low' | 'mid_low'
/** How a case is paid this month: by its DRG, by its items at a discount (QY, 0000), or not yet (invalid data). */
export type CasePayment = 'drg' | 'discounted_items' | 'held'

export interface DrgCaseInput extends PatientParts {
  readonly settlementId: string
  readonly status: 'grouped' | 'qy' | 'ungroupable' | 'invalid'
  readonly drg: string
  /** Relative weight of the DRG; undefined when the year's weights lack it. */
  readonly weight: Dec | undefined
  /** The group's average cost at the institution's level, where published. */
  readonly groupAverageYuan: Dec | undefined
  readonly institutionLevel: string
  readonly costYuan: Dec
  readonly fundRecordedYuan: Dec
  readonly rateYuanPerWeight: Dec
  readonly coefficient: Dec
  readonly fundRatio: Dec
  /** The standard, when the caller has it already (it depends only on DRG, rate and coefficient). */
  readonly standardYuan?: Dec
}

export interface DrgCaseRules {
  readonly fundMode: 'CHS_FORMULA' | 'STD_MINUS_PATIENT'
  readonly high: {readonly threshold: HighThreshold; readonly basis: 'GROUP_AVERAGE' | 'STANDARD'; readonly payment: 'PARTIAL_EXCESS' | 'ADD_POINTS' | 'FFS'; readonly share: Dec; readonly inclusive: boolean}
  readonly low: {readonly times: Dec; readonly inclusive: boolean; readonly payment: 'PRORATA' | 'FFS'}
  readonly midLowUplift: {readonly from: Dec; readonly to: Dec; readonly add: Dec} | null
  readonly qyDiscount: Dec
  readonly ungroupableDiscount: Dec
  readonly mode: RoundingMode
}

export interface PricedCase {
  readonly settlementId: string
  readonly payment: CasePayment
  readonly outlier: CaseOutlier
  readonly standardYuan: Dec
  /** The standard after the outlier rule: what the case is worth before the patient's parts. */
  readonly adjustedYuan: Dec
  readonly fundYuan: Dec
  /** The price build-up, one readable line a step (Chinese terms, numbers as computed). */
  readonly steps: readonly string[]
}

const y = (x: Dec): string => x.toFixed(2)

/** With `explain` false the build-up lines are not formatted (a month's run stores only the results; the lines can be rebuilt from them). */
export function priceDrgCase(input: DrgCaseInput, rules: DrgCaseRules, explain = true): PricedCase {
  const {mode} = rules
  const base = {settlementId: input.settlementId, outlier: 'normal' as CaseOutlier, standardYuan: ZERO}
  if (input.status === 'invalid') {
    return {...base, payment: 'held', adjustedYuan: ZERO, fundYuan: ZERO, steps: ['数据错误: 暂不支付, 待更正后重新分组 (invalid data: held until corrected)']}
  }
  if (input.status !== 'grouped' || input.weight === undefined) {
    const discount = input.status === 'qy' ? rules.qyDiscount : rules.ungroupableDiscount
    const label = input.status === 'qy' ? '歧义组' : input.status === 'ungroupable' ? '无法入组' : `${input.drg} 无权重`
    const fund = roundYuan(input.fundRecordedYuan.times(discount), mode)
    return {...base, payment: 'discounted_items', adjustedYuan: fund, fundYuan: fund, steps: [`${label}: 按项目记账 ${y(input.fundRecordedYuan)} × ${discount.toString()} = ${y(fund)}`]}
  }
  const standard = input.standardYuan ?? paymentStandardYuan({weight: input.weight, rateYuanPerWeight: input.rateYuanPerWeight, coefficient: input.coefficient}, mode)
  const steps: string[] | null = explain ? [`标准 = ${input.weight.toString()} × ${y(input.rateYuanPerWeight)} × ${input.coefficient.toString()} = ${y(standard)}`] : null
  const basis = rules.high.basis === 'GROUP_AVERAGE' && input.groupAverageYuan !== undefined ? input.groupAverageYuan : standard
  const basisLabel = basis === standard ? '标准' : '组均费用'
  const {outlier, adjusted} = adjustForOutlier(input, rules, standard, basis, basisLabel, steps)
  const fund = fundOf(input, rules, adjusted, steps)
  return {...base, payment: 'drg', outlier, standardYuan: standard, adjustedYuan: adjusted, fundYuan: fund, steps: steps ?? []}
}

function adjustForOutlier(input: DrgCaseInput, rules: DrgCaseRules, standard: Dec, basis: Dec, basisLabel: string, steps: string[] | null): {outlier: CaseOutlier; adjusted: Dec} {
  const {mode} = rules
  const cost = input.costYuan
  const times = highThresholdTimes(rules.high.threshold, input.weight!, input.institutionLevel)
  if (isAbove(cost, times, basis, rules.high.inclusive)) {
    const adjusted =
      rules.high.payment === 'FFS'
        ? cost
        : highOutlierPartialExcessYuan({standardYuan: standard, costYuan: cost, basisYuan: basis, times, share: rules.high.share}, mode)
    steps?.push(
      rules.high.payment === 'FFS'
        ? `高倍率: ${y(cost)} > ${times.toString()} × ${basisLabel} ${y(basis)} → 按项目 ${y(cost)}`
        : `高倍率: ${y(cost)} > ${times.toString()} × ${basisLabel} ${y(basis)} → ${y(standard)} + (${y(cost)} − ${y(times.times(basis))}) × ${rules.high.share.toString()} = ${y(adjusted)}`,
    )
    return {outlier: 'high', adjusted}
  }
  if (isBelow(cost, rules.low.times, basis, rules.low.inclusive)) {
    const adjusted = rules.low.payment === 'FFS' ? cost : roundYuan(min(standard, standard.times(cost).div(basis)), mode)
    steps?.push(`低倍率: ${y(cost)} ≤ ${rules.low.times.toString()} × ${basisLabel} ${y(basis)} → ${rules.low.payment === 'FFS' ? '按项目' : `${y(standard)} × ${y(cost)} ÷ ${y(basis)} =`} ${y(adjusted)}`)
    return {outlier: 'low', adjusted}
  }
  const uplift = rules.midLowUplift
  if (uplift !== null && cost.gt(uplift.from.times(basis)) && cost.lte(uplift.to.times(basis))) {
    const ratio = cost.div(basis)
    const adjusted = roundYuan(standard.times(min(ONE, ratio.plus(uplift.add))), mode)
    steps?.push(`中低倍率: ${uplift.from.toString()} < ${ratio.toDecimalPlaces(4).toString()} ≤ ${uplift.to.toString()} → ${y(standard)} × (比值 + ${uplift.add.toString()}) = ${y(adjusted)}`)
    return {outlier: 'mid_low', adjusted}
  }
  return {outlier: 'normal', adjusted: standard}
}

function fundOf(input: DrgCaseInput, rules: DrgCaseRules, adjusted: Dec, steps: string[] | null): Dec {
  if (rules.fundMode === 'CHS_FORMULA') {
    const fund = caseFundChsYuan(adjusted, input, input.fundRatio, rules.mode)
    steps?.push(`基金 = max(0, (${y(adjusted)} − 全自费 ${y(input.selfPayAllYuan)} − 先行自付 ${y(input.selfPayFirstYuan)} − 起付线 ${y(input.deductibleYuan)}) × ${input.fundRatio.toString()}) = ${y(fund)}`)
    return fund
  }
  const patient = input.costYuan.minus(input.fundRecordedYuan)
  const fund = roundYuan(max(ZERO, adjusted.minus(patient)), rules.mode)
  steps?.push(`基金 = max(0, ${y(adjusted)} − 个人负担 ${y(patient)}) = ${y(fund)}`)
  return fund
}

export interface InstitutionMonth {
  readonly institutionId: string
  readonly cases: number
  readonly byPayment: Readonly<Record<CasePayment, number>>
  readonly byOutlier: Readonly<Record<CaseOutlier, number>>
  readonly fundDueYuan: Dec
  readonly payYuan: Dec
  readonly withheldYuan: Dec
  /** The month's check equation: paid + withheld + deductions = Σ case fund (cases rounded first, §7.5 CASE). */
  readonly check: {readonly casesSumYuan: Dec; readonly accountedYuan: Dec; readonly holds: boolean}
}

/** Adds priced cases one by one (a month of a million cases is never held in memory), in whole 分. */
export class MonthAccumulator {
  private cases = 0
  private readonly byPayment: Record<CasePayment, number> = {drg: 0, discounted_items: 0, held: 0}
  private readonly byOutlier: Record<CaseOutlier, number> = {normal: 0, high: 0, low: 0, mid_low: 0}
  private fundDueFen = 0

  add(priced: PricedCase): void {
    this.addFen(priced.payment, priced.outlier, fenOfYuan(priced.fundYuan))
  }

  addFen(payment: CasePayment, outlier: CaseOutlier, fundFen: number): void {
    this.cases++
    this.byPayment[payment]++
    if (payment === 'drg') this.byOutlier[outlier]++
    this.fundDueFen += fundFen
    assert(Number.isSafeInteger(this.fundDueFen), 'a month of 分 stays a safe integer')
  }

  /** The month: Σ case fund (cases rounded first), then the pre-settlement ratio (§3.6). */
  finish(institutionId: string, preSettleRatio: Dec, deductionsYuan: Dec, mode: RoundingMode): InstitutionMonth {
    const fundDueYuan = yuanOfFen(this.fundDueFen)
    const {payYuan, withheldYuan} = monthlyPayment({fundDueYuan, preSettleRatio, deductionsYuan}, mode)
    const accountedYuan = payYuan.plus(withheldYuan).plus(deductionsYuan)
    return {
      institutionId,
      cases: this.cases,
      byPayment: {...this.byPayment},
      byOutlier: {...this.byOutlier},
      fundDueYuan,
      payYuan,
      withheldYuan,
      check: {casesSumYuan: fundDueYuan, accountedYuan, holds: accountedYuan.eq(max(ZERO, fundDueYuan))},
    }
  }
}

export function institutionMonth(institutionId: string, cases: readonly PricedCase[], preSettleRatio: Dec, deductionsYuan: Dec, mode: RoundingMode): InstitutionMonth {
  const month = new MonthAccumulator()
  for (const priced of cases) month.add(priced)
  return month.finish(institutionId, preSettleRatio, deductionsYuan, mode)
}
