/**
 * The settlement cycle, the same for DRG and DIP (settlement-rules §5): global budget,
 * prepayment, monthly payment with holdback and deductions, the 结余留用/超支分担 bands, the
 * year-end balance as printed lines whose sum is the balance, and the year's identity (every 分
 * of entitlement paid once, every deduction taken once).
 *
 *   bandDue({variant: 'V2_QUOTA_BANDS', …}, entitled 7,800,000.00, actual 8,300,000.00) → 8,050,000.00
 */
import {type Dec, max, min, ONE, roundYuan, type RoundingMode, sum, ZERO} from './money.js'

/** 总额预算: budget = base × (1 + growth); reserve = budget × rate; available = budget − reserve − carve-outs (§5.1, BUD-1). */
export function globalBudget(input: {baseYuan: Dec; growth: Dec; reserveRate: Dec; carveOutsYuan: Dec}, mode: RoundingMode): {budgetYuan: Dec; reserveYuan: Dec; availableYuan: Dec} {
  const budgetYuan = roundYuan(input.baseYuan.times(ONE.plus(input.growth)), mode)
  const reserveYuan = roundYuan(budgetYuan.times(input.reserveRate), mode)
  return {budgetYuan, reserveYuan, availableYuan: budgetYuan.minus(reserveYuan).minus(input.carveOutsYuan)}
}

/** 年初预付 = average monthly fund spending over the history years × months (§5.2, PRE-1). */
export function prepaymentYuan(input: {yearlySpendingYuan: readonly Dec[]; months: Dec}, mode: RoundingMode): {monthlyAverageYuan: Dec; prepaymentYuan: Dec} {
  if (input.yearlySpendingYuan.length === 0) throw new RangeError('prepayment needs at least one year of history')
  const monthlyAverageYuan = sum(input.yearlySpendingYuan).div(input.yearlySpendingYuan.length * 12)
  return {monthlyAverageYuan, prepaymentYuan: roundYuan(monthlyAverageYuan.times(input.months), mode)}
}

/**
 * What happens to the part of a month's deductions that its payment cannot cover: carried to the
 * next month as 待扣 (and into the clearing), or taken in full so the payment goes below 0.
 */
export type ExcessDeduction = 'CARRY_FORWARD' | 'NEGATIVE_PAYMENT'

export interface MonthlyPayment {
  /** The fund due floored at 0 (§3.6 max(0, monthFundDue)): what the month's payment and holdback are shares of. */
  readonly dueFlooredYuan: Dec
  /** p × the floored due, before deductions. */
  readonly beforeDeductionsYuan: Dec
  /** The deductions taken off this payment (this month's and those carried in). */
  readonly takenYuan: Dec
  /** The deductions left for later months (CARRY_FORWARD). */
  readonly carriedOutYuan: Dec
  readonly payYuan: Dec
  readonly withheldYuan: Dec
}

/**
 * 按月支付 (§3.6, DIP-MONTH-1): p of the fund due (floored at 0) is paid, less the deductions due
 * (this month's and those carried in); the rest of the due is held back. Under CARRY_FORWARD the
 * payment never goes below 0 and what it cannot cover is carried out.
 */
export function monthlyPayment(input: {fundDueYuan: Dec; preSettleRatio: Dec; deductionsDueYuan: Dec; excess: ExcessDeduction}, mode: RoundingMode): MonthlyPayment {
  const dueFlooredYuan = max(ZERO, input.fundDueYuan)
  const beforeDeductionsYuan = roundYuan(dueFlooredYuan.times(input.preSettleRatio), mode)
  const takenYuan = input.excess === 'CARRY_FORWARD' ? min(input.deductionsDueYuan, beforeDeductionsYuan) : input.deductionsDueYuan
  return {
    dueFlooredYuan,
    beforeDeductionsYuan,
    takenYuan,
    carriedOutYuan: input.deductionsDueYuan.minus(takenYuan),
    payYuan: beforeDeductionsYuan.minus(takenYuan),
    withheldYuan: dueFlooredYuan.minus(beforeDeductionsYuan),
  }
}

export type BandRule =
  | {readonly variant: 'V1_PURE'}
  | {readonly variant: 'V2_QUOTA_BANDS'; readonly reward: Dec; readonly rewardCap: Dec; readonly band: Dec; readonly share: Dec}
  /** Bands on the overspend ratio (actual − entitled) ÷ entitled, and on the surplus ratio: [fromRatio, toRatio) → fund share. */
  | {
      readonly variant: 'V3_TABLE'
      readonly overspend: readonly {readonly from: Dec; readonly to: Dec | null; readonly fundShare: Dec}[]
      readonly surplus: readonly {readonly from: Dec; readonly to: Dec | null; readonly fundShare: Dec}[]
    }

/** What the fund owes after 结余留用 / 超支分担, on 2-dp bases, rounded to 0.01 (§5.4, §7.6, BAND-1). */
export function bandDue(rule: BandRule, entitledYuan: Dec, actualYuan: Dec, mode: RoundingMode): Dec {
  switch (rule.variant) {
    case 'V1_PURE':
      return entitledYuan
    case 'V2_QUOTA_BANDS': {
      if (actualYuan.lte(entitledYuan)) {
        const reward = min(rule.reward.times(entitledYuan.minus(actualYuan)), rule.rewardCap.times(entitledYuan))
        return roundYuan(actualYuan.plus(reward), mode)
      }
      const bandTop = entitledYuan.times(ONE.plus(rule.band))
      const shared = actualYuan.lte(bandTop) ? actualYuan.minus(entitledYuan) : rule.band.times(entitledYuan)
      return roundYuan(entitledYuan.plus(rule.share.times(shared)), mode)
    }
    case 'V3_TABLE': {
      const over = actualYuan.gt(entitledYuan)
      const gap = over ? actualYuan.minus(entitledYuan) : entitledYuan.minus(actualYuan)
      let share = ZERO
      for (const band of over ? rule.overspend : rule.surplus) {
        const from = band.from.times(entitledYuan)
        const to = band.to === null ? gap : min(gap, band.to.times(entitledYuan))
        if (to.gt(from)) share = share.plus(to.minus(from).times(band.fundShare))
      }
      // Overspend: the fund adds its share of the excess. Surplus: the institution keeps a share of the saving.
      return roundYuan(over ? entitledYuan.plus(share) : actualYuan.plus(share), mode)
    }
  }
}

/** How the assessment releases the quality deposit: score ÷ 100 of it (SCORE_PCT), or a coefficient from 0 to 1 (COEFFICIENT). */
export type Assessment = {readonly mode: 'SCORE_PCT'; readonly score: Dec} | {readonly mode: 'COEFFICIENT'; readonly coefficient: Dec}

/** The share of the deposit an assessment releases (0 … 1). */
export function releasedShare(assessment: Assessment): Dec {
  return assessment.mode === 'SCORE_PCT' ? assessment.score.div(100) : assessment.coefficient
}

/** Every deduction of the institution-pool in the year, by where it is taken (§5.5: each exactly once). */
export interface YearDeductions {
  /** Σ deductions dated in a month of the year. */
  readonly datedYuan: Dec
  /** The part of them the monthly payments took (Σ of the months' current runs); the rest (carried 待扣, or dated in a month with no payment) is taken here. */
  readonly takenMonthlyYuan: Dec
  /** Undated deductions: taken at the clearing. */
  readonly yearEndYuan: Dec
}

export interface ClearingInput {
  /** The year's cases as each was rounded, the 尾差 against rounding once, and the fund due at the rounding stage (E_fund before its floor). */
  readonly cases: {readonly casesFundYuan: Dec; readonly roundingResidueYuan: Dec; readonly fundDueYuan: Dec}
  /** What the band compares against (fund recorded by item, or total cost: policy `band.basis`). */
  readonly actualYuan: Dec
  readonly band: BandRule
  /** Quality deposit rate q (质量保证金, ≤ 5%). */
  readonly depositRate: Dec
  readonly assessment: Assessment
  readonly specialAdditionsYuan: Dec
  /** 补退 − 冲正 paid in the year's months for cases settled in an earlier year (their clearing is closed): kept, not clawed back. */
  readonly priorYearCorrectionsYuan: Dec
  readonly deductions: YearDeductions
  /** Σ of the year's monthly payments as paid (net of the deductions they took). */
  readonly monthlyPaidYuan: Dec
  /** The year's prepayment and how it comes back: offset against the balance, or refunded by the institution as its own line. */
  readonly prepayment: {readonly prepaidYuan: Dec; readonly recovery: 'OFFSET' | 'REFUND'}
}

export interface ClearingLine {
  readonly key: string
  /** The statement's Chinese label. */
  readonly label: string
  readonly amountYuan: Dec
  /** +1 adds to the balance, -1 subtracts, 0 is shown for information only. */
  readonly sign: 1 | -1 | 0
}

export interface Clearing {
  readonly lines: readonly ClearingLine[]
  /** Σ sign × amount over the lines: 应补 when positive, 应扣 when negative. */
  readonly balanceYuan: Dec
}

/**
 * 年终清算 of one institution and pool (§3.7 and §5.5), each step a printed 2-dp line, the
 * balance the signed sum of the lines (check equation §6.1.3):
 *
 *   E_band  = band(max(0, E_fund), actual);  E_final = E_band − forfeited deposit + special additions + prior-year corrections
 *   balance = E_final − Σ all deductions − Σ monthly paid − prepayment offset
 *
 * Every deduction is subtracted here, those a month already took included: Σ monthly paid is
 * net of them, so each is taken exactly once over the year. With REFUND the prepayment is a
 * line of its own, returned by the institution outside the balance.
 */
export function clearInstitution(input: ClearingInput, mode: RoundingMode): Clearing {
  const entitledYuan = max(ZERO, input.cases.fundDueYuan)
  const dueAfterBand = bandDue(input.band, entitledYuan, input.actualYuan, mode)
  const depositYuan = roundYuan(input.depositRate.times(dueAfterBand), mode)
  const releasedYuan = roundYuan(depositYuan.times(releasedShare(input.assessment)), mode)
  const forfeitedYuan = depositYuan.minus(releasedYuan)
  const finalYuan = dueAfterBand.minus(forfeitedYuan).plus(input.specialAdditionsYuan).plus(input.priorYearCorrectionsYuan)
  const d = input.deductions
  const offset = input.prepayment.recovery === 'OFFSET' ? input.prepayment.prepaidYuan : ZERO
  const refund = input.prepayment.recovery === 'REFUND' ? input.prepayment.prepaidYuan : ZERO
  const lines: ClearingLine[] = [
    {key: 'casesFund', label: '病例基金合计(逐例取整)', amountYuan: input.cases.casesFundYuan, sign: 0},
    {key: 'roundingResidue', label: '尾差', amountYuan: input.cases.roundingResidueYuan, sign: 0},
    {key: 'fundDue', label: '统筹基金应支付(计算值)', amountYuan: input.cases.fundDueYuan, sign: 0},
    {key: 'entitled', label: '统筹基金应支付', amountYuan: entitledYuan, sign: 0},
    {key: 'actual', label: '实际记账(结余超支比较基数)', amountYuan: input.actualYuan, sign: 0},
    {key: 'dueAfterBand', label: '结余留用/超支分担后应支付', amountYuan: dueAfterBand, sign: 1},
    {key: 'bandAdjustment', label: '结余留用/超支分担调整', amountYuan: dueAfterBand.minus(entitledYuan), sign: 0},
    {key: 'depositReserved', label: '质量保证金预留', amountYuan: depositYuan, sign: 0},
    {key: 'depositReleased', label: '质量保证金返还', amountYuan: releasedYuan, sign: 0},
    {key: 'depositForfeited', label: '质量保证金扣除', amountYuan: forfeitedYuan, sign: -1},
    {key: 'specialAdditions', label: '特例单议追加', amountYuan: input.specialAdditionsYuan, sign: 1},
    {key: 'priorYearCorrections', label: '以前年度病例冲正补退', amountYuan: input.priorYearCorrectionsYuan, sign: 1},
    {key: 'finalEntitled', label: '年度应支付合计', amountYuan: finalYuan, sign: 0},
    {key: 'deductionsMonthly', label: '审核扣减(月度拨付已扣)', amountYuan: d.takenMonthlyYuan, sign: 0},
    {key: 'deductionsOutstanding', label: '审核扣减(月度未扣,清算扣)', amountYuan: d.datedYuan.minus(d.takenMonthlyYuan), sign: 0},
    {key: 'deductionsYearEnd', label: '违规扣款(年终清算扣)', amountYuan: d.yearEndYuan, sign: 0},
    {key: 'deductions', label: '扣款合计', amountYuan: d.datedYuan.plus(d.yearEndYuan), sign: -1},
    {key: 'monthlyPaid', label: '已预结算合计', amountYuan: input.monthlyPaidYuan, sign: -1},
    {key: 'prepaymentOffset', label: '预付金冲抵', amountYuan: offset, sign: -1},
    {key: 'prepaymentRefund', label: '预付金退还(另行收回)', amountYuan: refund, sign: 0},
  ]
  return {lines, balanceYuan: signedSum(lines)}
}

/** Σ sign × amount over a clearing's lines (information lines have sign 0): its balance. */
export function signedSum(lines: readonly {readonly amountYuan: Dec; readonly sign: number}[]): Dec {
  return sum(lines.filter((line) => line.sign !== 0).map((line) => line.amountYuan.times(line.sign)))
}

/**
 * The year's identity for an institution and pool (or a region, summed), on figures read
 * independently of one another: the cash the fund paid over the year equals what the
 * institution is finally entitled to, less every deduction once, plus any prepayment still out.
 *
 *   prepayment + Σ monthly payments + balance − prepayment refunded = E_final − Σ deductions + prepayment outstanding
 */
export function yearIdentity(input: {prepaidYuan: Dec; monthlyPaidYuan: Dec; balanceYuan: Dec; refundedYuan: Dec; offsetYuan: Dec; finalEntitledYuan: Dec; deductionsYuan: Dec}): {leftYuan: Dec; rightYuan: Dec; holds: boolean} {
  const outstanding = input.prepaidYuan.minus(input.offsetYuan).minus(input.refundedYuan)
  const leftYuan = input.prepaidYuan.plus(input.monthlyPaidYuan).plus(input.balanceYuan).minus(input.refundedYuan)
  const rightYuan = input.finalEntitledYuan.minus(input.deductionsYuan).plus(outstanding)
  return {leftYuan, rightYuan, holds: leftYuan.eq(rightYuan)}
}
