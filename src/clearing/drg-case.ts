/**
 * Prices one DRG case and sums an institution's month (settlement-rules §4.3–4.4, §3.6): the
 * payment standard, the high / low / mid-low outlier adjustment, the fund payable after the
 * patient's parts; every step a line of the case's price build-up.
 *
 *   priceDrgCase({status: 'grouped', weight: 1.5, costYuan: 36000, …}, rules)
 *   → {outlier: 'high', standardYuan: 15333.33, adjustedYuan: 19533.33, fundYuan: …, steps: ['标准 = 1.5 × 11111.11 × 0.92 = 15333.33', …]}
 */
import {assert} from '../errors.js'
import {
  caseFundChsYuan,
  type HighThreshold,
  highOutlierPartialExcessYuan,
  highOutlierPoints,
  highThresholdTimes,
  lowOutlierPoints,
  midLowUpliftPoints,
  paymentStandardYuan,
  type PatientParts,
  type Rounding,
} from './drg-pricing.js'
import {type Dec, isAbove, isBelow, max, min, ONE, round, roundYuan, type RoundingMode, sum, ZERO} from './money.js'

/** extreme: DIP 极端异常 (above X × the reference), paid provisionally as high and sent to special review. */
export type CaseOutlier = 'normal' | 'high' | 'low' | 'mid_low' | 'extreme'
/** How a case is paid this month: by its group, by its items at a discount (QY, 0000), per diem (床日), by its items in full (its own 付费方式 项目), or not yet (invalid data). */
export type CasePayment = 'drg' | 'discounted_items' | 'per_diem' | 'items' | 'held'

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
  /** 点数法: the point value (元 per point) the case's points are paid at; the rate is then unused. */
  readonly pointValueYuan?: Dec
}

export interface DrgCaseRules {
  readonly fundMode: 'CHS_FORMULA' | 'STD_MINUS_PATIENT'
  readonly high: {readonly threshold: HighThreshold; readonly basis: 'GROUP_AVERAGE' | 'STANDARD'; readonly payment: 'PARTIAL_EXCESS' | 'ADD_POINTS' | 'FFS'; readonly share: Dec; readonly inclusive: boolean}
  readonly low: {readonly times: Dec; readonly inclusive: boolean; readonly payment: 'PRORATA' | 'FFS'}
  readonly midLowUplift: {readonly from: Dec; readonly to: Dec; readonly add: Dec} | null
  readonly qyDiscount: Dec
  readonly ungroupableDiscount: Dec
  readonly mode: RoundingMode
  /** 点数法 (policy drg.family POINTS): base points = RW × perWeight; case points rounded to scoreScale (§4.1, §7.4). */
  readonly points?: {readonly perWeight: Dec; readonly scoreScale: number}
}

export interface PricedCase {
  readonly settlementId: string
  readonly payment: CasePayment
  readonly outlier: CaseOutlier
  readonly standardYuan: Dec
  /** The standard after the outlier rule: what the case is worth before the patient's parts. */
  readonly adjustedYuan: Dec
  readonly fundYuan: Dec
  /** The fund amount before its rounding to the 分 (fundYuan − this is the case's rounding residue, §7.5). */
  readonly fundExactYuan: Dec
  /** 点数法: the case's points after its outlier rule; undefined under the rate method or when not priced by its DRG. */
  readonly points?: Dec
  /** The price build-up, one readable line a step (Chinese terms, numbers as computed). */
  readonly steps: readonly string[]
}

const y = (x: Dec): string => x.toFixed(2)

/** With `explain` false the build-up lines are not formatted (a month's run stores only the results; the lines can be rebuilt from them). */
export function priceDrgCase(input: DrgCaseInput, rules: DrgCaseRules, explain = true): PricedCase {
  const {mode} = rules
  const base = {settlementId: input.settlementId, outlier: 'normal' as CaseOutlier, standardYuan: ZERO}
  if (input.status === 'invalid') {
    return {...base, payment: 'held', adjustedYuan: ZERO, fundYuan: ZERO, fundExactYuan: ZERO, steps: ['数据错误: 暂不支付, 待更正后重新分组 (invalid data: held until corrected)']}
  }
  if (input.status !== 'grouped' || input.weight === undefined) {
    const discount = input.status === 'qy' ? rules.qyDiscount : rules.ungroupableDiscount
    const label = input.status === 'qy' ? '歧义组' : input.status === 'ungroupable' ? '无法入组' : `${input.drg} 无权重`
    const fund = discountedItemsYuan(input.fundRecordedYuan, discount, mode)
    return {...base, payment: 'discounted_items', adjustedYuan: fund.fundYuan, fundYuan: fund.fundYuan, fundExactYuan: fund.exactYuan, steps: [`${label}: ${discountedItemsStep(input.fundRecordedYuan, discount, fund.fundYuan)}`]}
  }
  if (rules.points !== undefined) return pricePoints(input, rules, rules.points, explain)
  const standard = input.standardYuan ?? paymentStandardYuan({weight: input.weight, rateYuanPerWeight: input.rateYuanPerWeight, coefficient: input.coefficient}, mode)
  const steps: string[] | null = explain ? [`标准 = ${input.weight.toString()} × ${y(input.rateYuanPerWeight)} × ${input.coefficient.toString()} = ${y(standard)}`] : null
  const basis = rules.high.basis === 'GROUP_AVERAGE' && input.groupAverageYuan !== undefined ? input.groupAverageYuan : standard
  const basisLabel = basis === standard ? '标准' : '组均费用'
  const {outlier, adjusted} = adjustForOutlier(input, rules, standard, basis, basisLabel, steps)
  const fund = caseFundYuan(input, rules, adjusted, steps)
  return {...base, payment: 'drg', outlier, standardYuan: standard, adjustedYuan: adjusted, fundYuan: fund.fundYuan, fundExactYuan: fund.exactYuan, steps: steps ?? []}
}

/**
 * 点数法 (§4.1–4.4): base points = RW × points per weight; the case's points = base × coefficient,
 * or its outlier rule against the group average (high ADD_POINTS, low pro rata, mid-low uplift),
 * rounded to the score scale; the case is worth points × point value.
 */
function pricePoints(input: DrgCaseInput, rules: DrgCaseRules, points: NonNullable<DrgCaseRules['points']>, explain: boolean): PricedCase {
  const {mode} = rules
  const pv = input.pointValueYuan
  assert(pv !== undefined && input.weight !== undefined, `case ${input.settlementId}: the point method prices a weighted case at a point value`)
  const rounding: Rounding = {mode, scoreScale: points.scoreScale, rateScale: 2, pvScale: 4}
  const basePoints = input.weight.times(points.perWeight)
  const standardPoints = round(basePoints.times(input.coefficient), points.scoreScale, mode)
  const steps: string[] | null = explain ? [`基准点数 = ${input.weight.toString()} × ${points.perWeight.toString()} × 系数 ${input.coefficient.toString()} = ${standardPoints.toString()}`] : null
  const average = input.groupAverageYuan
  const cost = input.costYuan
  let outlier: CaseOutlier = 'normal'
  let casePoints = standardPoints
  if (average === undefined) {
    steps?.push('本组无组均费用: 不做高低倍率判断')
  } else {
    const times = highThresholdTimes(rules.high.threshold, input.weight, input.institutionLevel)
    const uplift = rules.midLowUplift
    if (isAbove(cost, times, average, rules.high.inclusive)) {
      outlier = 'high'
      casePoints = highOutlierPoints({basePoints, coefficient: input.coefficient, costYuan: cost, basisYuan: average, times}, rounding)
      steps?.push(`高倍率: ${y(cost)} > ${times.toString()} × 组均费用 ${y(average)} → ${standardPoints.toString()} + ${basePoints.toString()} × (${y(cost)} ÷ ${y(average)} − ${times.toString()}) = ${casePoints.toString()} 点`)
    } else if (isBelow(cost, rules.low.times, average, rules.low.inclusive)) {
      outlier = 'low'
      casePoints = lowOutlierPoints({basePoints: standardPoints, costYuan: cost, averageYuan: average}, rounding)
      steps?.push(`低倍率: ${y(cost)} ≤ ${rules.low.times.toString()} × 组均费用 ${y(average)} → ${standardPoints.toString()} × ${y(cost)} ÷ ${y(average)} = ${casePoints.toString()} 点`)
    } else if (uplift !== null && cost.gt(uplift.from.times(average)) && cost.lte(uplift.to.times(average))) {
      outlier = 'mid_low'
      casePoints = midLowUpliftPoints({basePoints: standardPoints, costYuan: cost, averageYuan: average, add: uplift.add}, rounding)
      steps?.push(`中低倍率: ${uplift.from.toString()} < 比值 ≤ ${uplift.to.toString()} → ${standardPoints.toString()} × (${y(cost)} ÷ ${y(average)} + ${uplift.add.toString()}) = ${casePoints.toString()} 点`)
    }
  }
  const exactValue = casePoints.times(pv)
  const value = roundYuan(exactValue, mode)
  steps?.push(`病组金额 = ${casePoints.toString()} 点 × 点值 ${pv.toString()} = ${y(value)}`)
  const fund = caseFundYuan(input, rules, value, steps, exactValue)
  return {
    settlementId: input.settlementId,
    payment: 'drg',
    outlier,
    standardYuan: roundYuan(standardPoints.times(pv), mode),
    adjustedYuan: value,
    fundYuan: fund.fundYuan,
    fundExactYuan: fund.exactYuan,
    points: casePoints,
    steps: steps ?? [],
  }
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

/**
 * The fund's part of a case worth `adjusted` (policy drg.fund_mode, §4.3), rounded to the 分, and
 * the same before rounding (from `adjustedExact` when the worth itself was rounded, as points × PV).
 */
export function caseFundYuan(
  input: PatientParts & {readonly costYuan: Dec; readonly fundRecordedYuan: Dec; readonly fundRatio: Dec},
  rules: Pick<DrgCaseRules, 'fundMode' | 'mode'>,
  adjusted: Dec,
  steps: string[] | null,
  adjustedExact: Dec = adjusted,
): {fundYuan: Dec; exactYuan: Dec} {
  if (rules.fundMode === 'CHS_FORMULA') {
    const parts = sum([input.selfPayAllYuan, input.selfPayFirstYuan, input.deductibleYuan])
    const fund = caseFundChsYuan(adjusted, input, input.fundRatio, rules.mode)
    steps?.push(`基金 = max(0, (${y(adjusted)} − 全自费 ${y(input.selfPayAllYuan)} − 先行自付 ${y(input.selfPayFirstYuan)} − 起付线 ${y(input.deductibleYuan)}) × ${input.fundRatio.toString()}) = ${y(fund)}`)
    return {fundYuan: fund, exactYuan: max(ZERO, adjustedExact.minus(parts).times(input.fundRatio))}
  }
  const patient = input.costYuan.minus(input.fundRecordedYuan)
  const fund = roundYuan(max(ZERO, adjusted.minus(patient)), rules.mode)
  steps?.push(`基金 = max(0, ${y(adjusted)} − 个人负担 ${y(patient)}) = ${y(fund)}`)
  return {fundYuan: fund, exactYuan: max(ZERO, adjustedExact.minus(patient))}
}

/**
 * QY (歧义组), 0000 (无法入组) and a DRG without a weight: the fund pays the case's 统筹基金记账 ×
 * the policy's discount. No fund formula follows: the recorded fund is already net of the
 * patient's parts (docs/settlement.md, the policy template and `yb case show` say the same).
 */
export function discountedItemsYuan(fundRecordedYuan: Dec, discount: Dec, mode: RoundingMode): {fundYuan: Dec; exactYuan: Dec} {
  const exactYuan = fundRecordedYuan.times(discount)
  return {fundYuan: roundYuan(exactYuan, mode), exactYuan}
}

/** The build-up line of discountedItemsYuan, the same wherever a case is explained. */
export function discountedItemsStep(fundRecordedYuan: Dec, discount: Dec, fundYuan: Dec): string {
  return `统筹基金记账 ${y(fundRecordedYuan)} × 折算比例 ${discount.toString()} = 基金 ${y(fundYuan)} (按项目折算, 个人负担已在记账中扣除)`
}
