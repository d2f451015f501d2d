/**
 * The check equations of the monthly payment and the year-end clearing (settlement-rules §6.1),
 * on the figures as stored and read back: both sides, and whether they hold. A run asserts every
 * one and prints them.
 *
 *   payChecks({casesStored: 6, casesPriced: 6, casesFundReadBackYuan: 95000.00, institutions: […], stage: 'CASE'})
 *   → [{name: '病例数 = 本月出院人次 (cases priced = cases stored)', left: '6', right: '6', holds: true}, …]
 */
import {yearIdentity} from './cycle.js'
import {type Dec, parseDecimal, sum, ZERO} from './money.js'
import type {MoneyRoundingStage} from './month.js'

export interface Check {
  readonly name: string
  readonly left: string
  readonly right: string
  readonly holds: boolean
}

const check = (name: string, left: Dec, right: Dec): Check => ({name, left: left.toFixed(2), right: right.toFixed(2), holds: left.eq(right)})
const total = <T>(rows: readonly T[], of: (row: T) => Dec): Dec => sum(rows.map(of))

export interface PayFigures {
  readonly casesFundYuan: Dec
  readonly roundingResidueYuan: Dec
  readonly fundDueYuan: Dec
  readonly dueFlooredYuan: Dec
  readonly payYuan: Dec
  readonly withheldYuan: Dec
  readonly deductionsYuan: Dec
  readonly carriedInYuan: Dec
  readonly takenYuan: Dec
  readonly carriedOutYuan: Dec
}

export function payChecks(input: {casesStored: number; casesPriced: number; casesFundReadBackYuan: Dec; correctionsReadBack: readonly {readonly fundYuan: string; readonly reversedFundYuan: string}[]; institutions: readonly PayFigures[]; stage: MoneyRoundingStage}): Check[] {
  const i = input.institutions
  const institutionStage = input.stage === 'INSTITUTION'
  // 补退 − 冲正 of the month's corrections: part of the institutions' sums, not of the month's cases.
  const corrections = sum(input.correctionsReadBack.map((c) => parseDecimal(c.fundYuan).minus(parseDecimal(c.reversedFundYuan))))
  const cases = input.casesFundReadBackYuan.plus(corrections)
  return [
    {name: '病例数 = 本月出院人次 (cases priced = cases stored)', left: String(input.casesPriced), right: String(input.casesStored), holds: input.casesPriced === input.casesStored},
    check(input.correctionsReadBack.length === 0 ? 'Σ 病例基金 = Σ 机构病例合计 (cases = institutions)' : 'Σ 病例基金 + Σ (补退 − 冲正) = Σ 机构病例合计 (cases and corrections = institutions)', cases, total(i, (r) => r.casesFundYuan)),
    check(
      institutionStage ? 'Σ 机构基金应付 + Σ 尾差 = Σ 病例基金 (due + rounding residue = cases)' : 'Σ 机构基金应付 = Σ 病例基金 (due = cases; 尾差 shown)',
      total(i, (r) => r.fundDueYuan).plus(institutionStage ? total(i, (r) => r.roundingResidueYuan) : ZERO),
      cases,
    ),
    check('Σ 本月拨付 + Σ 预留 + Σ 实扣 = Σ max(0, 机构基金应付) (paid + withheld + deducted = due floored at 0)', total(i, (r) => r.payYuan.plus(r.withheldYuan).plus(r.takenYuan)), total(i, (r) => r.dueFlooredYuan)),
    check('Σ 实扣 + Σ 结转待扣 = Σ 本月扣款 + Σ 上月结转 (every deduction taken or carried)', total(i, (r) => r.takenYuan.plus(r.carriedOutYuan)), total(i, (r) => r.deductionsYuan.plus(r.carriedInYuan))),
  ]
}

export interface ClearFigures {
  readonly institutionId: string
  readonly pool: string
  readonly casesFundYuan: Dec
  readonly roundingResidueYuan: Dec
  readonly fundDueYuan: Dec
  /** The balance as stored, and the signed sum of its stored lines. */
  readonly balanceYuan: Dec
  readonly linesSumYuan: Dec
  /** The year identity's terms, each read on its own (prepay run, pay runs, deduction table, the stored clearing lines). */
  readonly prepaidYuan: Dec
  readonly monthlyPaidYuan: Dec
  readonly offsetYuan: Dec
  readonly refundedYuan: Dec
  readonly finalEntitledYuan: Dec
  readonly deductionsYuan: Dec
}

export function clearChecks(input: {casesFundReadBackYuan: Dec; institutions: readonly ClearFigures[]; stage: MoneyRoundingStage}): Check[] {
  const identity = (f: ClearFigures) =>
    yearIdentity({prepaidYuan: f.prepaidYuan, monthlyPaidYuan: f.monthlyPaidYuan, balanceYuan: f.balanceYuan, refundedYuan: f.refundedYuan, offsetYuan: f.offsetYuan, finalEntitledYuan: f.finalEntitledYuan, deductionsYuan: f.deductionsYuan})
  const i = input.institutions
  const institutionStage = input.stage === 'INSTITUTION'
  const region = {
    left: total(i, (f) => identity(f).leftYuan),
    right: total(i, (f) => identity(f).rightYuan),
  }
  return [
    check('Σ 病例基金 = Σ 机构病例合计 (cases = institutions)', input.casesFundReadBackYuan, total(i, (f) => f.casesFundYuan)),
    check(
      institutionStage ? 'Σ 统筹基金应支付(计算值) + Σ 尾差 = Σ 病例基金 (entitled + rounding residue = cases)' : 'Σ 统筹基金应支付(计算值) = Σ 病例基金 (entitled = cases; 尾差 shown)',
      total(i, (f) => f.fundDueYuan).plus(institutionStage ? total(i, (f) => f.roundingResidueYuan) : ZERO),
      input.casesFundReadBackYuan,
    ),
    ...i.map((f) => check(`${f.institutionId} ${f.pool} 本期应补应扣 = Σ 各行 (balance = its lines)`, f.balanceYuan, f.linesSumYuan)),
    ...i.map((f) => {
      const {leftYuan, rightYuan} = identity(f)
      return check(`${f.institutionId} ${f.pool} 预付金 + Σ 月度拨付 + 本期应补应扣 − 预付金退还 = 年度应支付合计 − Σ 扣款 + 预付金未收回 (every 分 once)`, leftYuan, rightYuan)
    }),
    check('统筹区: 预付金 + Σ 月度拨付 + Σ 本期应补应扣 − 预付金退还 = Σ 年度应支付合计 − Σ 扣款 + 预付金未收回 (every 分 once)', region.left, region.right),
  ]
}
