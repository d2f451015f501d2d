/**
 * Prices one DIP case (settlement-rules §3.2–3.5): the cost-deviation factor against the
 * reference average, the case score (group score × auxiliary factor × deviation factor, × the
 * hospital coefficient at the SCORE stage), its worth score × point value (× the coefficient at
 * the PAYMENT stage), and the fund's part by the policy's fund mode; every step a build-up line.
 *
 *   priceDipCase({groupScore: 800, referenceAvgYuan: 8000, costYuan: 20000, pointValueYuan: 9.6, …}, rules)
 *   → {outlier: 'high', score: 1200.0000, valueYuan: 11520.00, fundYuan: …}
 */
import {dipCaseScore, dipDeviation, type DeviationRule, dipTotalYuan, type FundMode, fundPayableYuan} from './dip-pricing.js'
import {type Dec, ONE, roundYuan, type RoundingMode} from './money.js'

export interface DipCaseInput {
  readonly groupScore: Dec
  /** The score as the catalog writes it, for the build-up. */
  readonly groupScoreText: string
  /** 基层病种 (basic) groups carry no hospital coefficient (§3.2). */
  readonly groupType: 'core' | 'basic' | 'comprehensive'
  /** The policy's 同病同价 groups carry none either (§3.3). */
  readonly coefficientExempt: boolean
  /** Last year's average cost of the group at the institution's level (§3.2); undefined: no deviation test. */
  readonly referenceAvgYuan: Dec | undefined
  readonly costYuan: Dec
  readonly fundRecordedYuan: Dec
  readonly auxFactor: Dec
  readonly institutionCoefficient: Dec
  readonly pointValueYuan: Dec
  readonly reimbursementRatio: Dec
}

export interface DipCaseRules {
  readonly deviation: DeviationRule
  readonly hospitalFactorStage: 'SCORE' | 'PAYMENT'
  readonly fundMode: FundMode
  readonly scoreScale: number
  readonly mode: RoundingMode
}

export interface PricedDipCase {
  readonly outlier: 'normal' | 'high' | 'low' | 'extreme'
  /** Extreme cases go to expert review (特病单议); they are paid by the high formula meanwhile. */
  readonly review: boolean
  readonly score: Dec
  /** The group score × point value: what a normal case of the group is worth. */
  readonly standardYuan: Dec
  readonly valueYuan: Dec
  readonly fundYuan: Dec
  readonly fundExactYuan: Dec
  readonly steps: readonly string[]
}

const y = (x: Dec): string => x.toFixed(2)

export function priceDipCase(input: DipCaseInput, rules: DipCaseRules, explain: boolean): PricedDipCase {
  const {mode} = rules
  const steps: string[] = []
  const reference = input.referenceAvgYuan
  const deviation = reference === undefined ? {type: 'normal' as const, factor: ONE, review: false} : dipDeviation(input.costYuan, reference, rules.deviation)
  if (explain) steps.push(reference === undefined ? '无参考次均费用: 不做偏差判断' : `偏差: ${y(input.costYuan)} ÷ 参考次均 ${y(reference)} → ${deviation.type}, 系数 ${deviation.factor.toDecimalPlaces(4).toString()}${deviation.review ? ' (极端异常, 待特病单议)' : ''}`)
  const hospitalFactor = input.groupType === 'basic' || input.coefficientExempt ? ONE : input.institutionCoefficient
  const atScore = rules.hospitalFactorStage === 'SCORE'
  const rounding = {mode, scoreScale: rules.scoreScale, rateScale: 2, pvScale: 4}
  const score = dipCaseScore({groupScore: input.groupScore, auxFactor: input.auxFactor, deviationFactor: deviation.factor, hospitalFactor: atScore ? hospitalFactor : ONE}, rounding)
  const valueExact = score.times(input.pointValueYuan).times(atScore ? ONE : hospitalFactor)
  const value = dipTotalYuan(score, input.pointValueYuan, atScore ? ONE : hospitalFactor, mode)
  if (explain) {
    steps.push(
      `病例分值 = ${input.groupScoreText} × ${input.auxFactor.toString()} × ${deviation.factor.toDecimalPlaces(4).toString()}${atScore ? ` × 系数 ${hospitalFactor.toString()}` : ''} = ${score.toString()}; 金额 = ${score.toString()} × 点值 ${input.pointValueYuan.toString()}${atScore ? '' : ` × 系数 ${hospitalFactor.toString()}`} = ${y(value)}`,
    )
  }
  const fund = dipCaseFund(input, rules, value, valueExact)
  if (explain) steps.push(fund.step)
  return {
    outlier: deviation.type,
    review: deviation.review,
    score,
    standardYuan: roundYuan(input.groupScore.times(input.pointValueYuan), mode),
    valueYuan: value,
    fundYuan: fund.fundYuan,
    fundExactYuan: fund.exactYuan,
    steps,
  }
}

/** The fund's part of a DIP case worth `valueYuan` (§3.5), with its build-up line; the patient burden is the case's cost − its recorded fund. */
export function dipCaseFund(
  input: {readonly costYuan: Dec; readonly fundRecordedYuan: Dec; readonly reimbursementRatio: Dec},
  rules: Pick<DipCaseRules, 'fundMode' | 'mode'>,
  valueYuan: Dec,
  valueExactYuan: Dec,
): {fundYuan: Dec; exactYuan: Dec; step: string} {
  const burden = input.costYuan.minus(input.fundRecordedYuan)
  const fund = fundPayableYuan({totalYuan: valueYuan, exactTotalYuan: valueExactYuan, patientBurdenYuan: burden, reimbursementRatio: input.reimbursementRatio, mode: rules.fundMode}, rules.mode)
  const step =
    rules.fundMode === 'TOTAL_MINUS_PATIENT'
      ? `基金 = ${y(valueYuan)} − 个人负担 ${y(burden)} = ${y(fund.fundYuan)}`
      : rules.fundMode === 'TOTAL_TIMES_RATIO'
        ? `基金 = ${y(valueYuan)} × ρ ${input.reimbursementRatio.toString()} = ${y(fund.fundYuan)}`
        : `基金 = ${y(fund.fundYuan)}`
  return {...fund, step}
}
