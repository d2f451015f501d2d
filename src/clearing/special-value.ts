/**
 * What an approved 特例单议 case is worth to the fund (settlement-rules §3.2, §4.4, SPECIAL-1).
 * DRG: its approved item cost, converted to points at the final point value under the point
 * method (points = approved cost ÷ PV, × PV); DIP: the experts' score, or the approved cost ÷ PV
 * as its score. Then the year's fund rule, as for any case (its patient parts taken off).
 *
 *   drgSpecialCaseFund(patient, rules, 86000.00, 9.6, rounding) → {fundYuan: …, step: '特例单议: 86000.00 ÷ 点值 9.6 = 8958.3333 点 → 86000.00; 基金 …'}
 */
import {caseFundYuan, type DrgCaseRules} from './drg-case.js'
import {type PatientParts, type Rounding, specialCasePoints} from './drg-pricing.js'
import {dipCaseFund, type DipCaseRules} from './dip-case.js'
import {type Dec, roundYuan} from './money.js'

export function drgSpecialCaseFund(
  patient: PatientParts & {readonly costYuan: Dec; readonly fundRecordedYuan: Dec; readonly fundRatio: Dec},
  rules: Pick<DrgCaseRules, 'fundMode' | 'mode'>,
  approvedCostYuan: Dec,
  pointValueYuan: Dec | undefined,
  rounding: Rounding,
): {fundYuan: Dec; step: string} {
  let value = approvedCostYuan
  let step = `特例单议核准费用 ${approvedCostYuan.toFixed(2)}`
  if (pointValueYuan !== undefined) {
    const points = specialCasePoints(approvedCostYuan, pointValueYuan, rounding)
    value = roundYuan(points.times(pointValueYuan), rounding.mode)
    step = `特例单议: ${approvedCostYuan.toFixed(2)} ÷ 点值 ${pointValueYuan.toString()} = ${points.toString()} 点 → ${value.toFixed(2)}`
  }
  const fund = caseFundYuan(patient, rules, value, null)
  return {fundYuan: fund.fundYuan, step: `${step}; 基金 ${fund.fundYuan.toFixed(2)}`}
}

export function dipSpecialCaseFund(
  input: {readonly approvedScore: Dec | undefined; readonly approvedCostYuan: Dec; readonly pointValueYuan: Dec; readonly costYuan: Dec; readonly fundRecordedYuan: Dec; readonly reimbursementRatio: Dec},
  rules: Pick<DipCaseRules, 'fundMode' | 'mode' | 'scoreScale'>,
): {fundYuan: Dec; step: string} {
  const pv = input.pointValueYuan
  const score = input.approvedScore ?? specialCasePoints(input.approvedCostYuan, pv, {mode: rules.mode, scoreScale: rules.scoreScale, rateScale: 2, pvScale: 4})
  const valueExact = score.times(pv)
  const value = roundYuan(valueExact, rules.mode)
  const fund = dipCaseFund(input, rules, value, valueExact)
  return {fundYuan: fund.fundYuan, step: `特病单议: ${score.toString()} 分 × 点值 ${pv.toString()} = ${value.toFixed(2)}; ${fund.step}`}
}
