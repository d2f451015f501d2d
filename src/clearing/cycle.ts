/**
 * The settlement cycle, the same for DRG and DIP (settlement-rules §5): global budget,
 * prepayment, monthly payment with holdback, the 结余留用/超支分担 bands, and the year-end balance
 * as printed lines whose sum is the balance.
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

/** 按月支付: pay p of the fund due (floored at 0), less the month's deductions; the rest is held back (§3.6, DIP-MONTH-1). */
export function monthlyPayment(input: {fundDueYuan: Dec; preSettleRatio: Dec; deductionsYuan: Dec}, mode: RoundingMode): {payYuan: Dec; withheldYuan: Dec} {
  const due = max(ZERO, input.fundDueYuan)
  const beforeDeductions = roundYuan(due.times(input.preSettleRatio), mode)
  return {payYuan: beforeDeductions.minus(input.deductionsYuan), withheldYuan: due.minus(beforeDeductions)}
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

export interface ClearingInput {
  /** The fund's entitled amount for the year before bands (E_fund). */
  readonly entitledYuan: Dec
  /** What the band compares against (fund recorded by item, or total cost: policy `band.basis`). */
  readonly actualYuan: Dec
  readonly band: BandRule
  /** Quality deposit rate q (质量保证金, ≤ 5%). */
  readonly depositRate: Dec
  /** Assessment score out of 100 (考核得分): the share of the deposit released. */
  readonly assessmentScore: Dec
  readonly specialAdditionsYuan: Dec
  readonly deductionsYuan: Dec
  readonly monthlyPaidYuan: Dec
  /** Prepayment recovered by offset (0 with REFUND, where it is a separate line). */
  readonly prepaymentOffsetYuan: Dec
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
 * 年终清算 of one institution (§3.7 and §5.5): each step a printed 2-dp line; the balance is the
 * signed sum of the lines, so the statement always adds up (check equation §6.1.3).
 */
export function clearInstitution(input: ClearingInput, mode: RoundingMode): Clearing {
  const dueAfterBand = bandDue(input.band, input.entitledYuan, input.actualYuan, mode)
  const depositYuan = roundYuan(input.depositRate.times(dueAfterBand), mode)
  const releasedYuan = roundYuan(depositYuan.times(input.assessmentScore).div(100), mode)
  const lines: ClearingLine[] = [
    {key: 'entitled', label: '统筹基金应支付', amountYuan: input.entitledYuan, sign: 0},
    {key: 'actual', label: '实际记账(结余超支比较基数)', amountYuan: input.actualYuan, sign: 0},
    {key: 'dueAfterBand', label: '结余留用/超支分担后应支付', amountYuan: dueAfterBand, sign: 1},
    {key: 'bandAdjustment', label: '结余留用/超支分担调整', amountYuan: dueAfterBand.minus(input.entitledYuan), sign: 0},
    {key: 'depositReserved', label: '质量保证金预留', amountYuan: depositYuan, sign: 0},
    {key: 'depositReleased', label: '质量保证金返还', amountYuan: releasedYuan, sign: 0},
    {key: 'depositForfeited', label: '质量保证金扣除', amountYuan: depositYuan.minus(releasedYuan), sign: -1},
    {key: 'specialAdditions', label: '特例单议追加', amountYuan: input.specialAdditionsYuan, sign: 1},
    {key: 'deductions', label: '违规扣款', amountYuan: input.deductionsYuan, sign: -1},
    {key: 'monthlyPaid', label: '已预结算合计', amountYuan: input.monthlyPaidYuan, sign: -1},
    {key: 'prepaymentOffset', label: '预付金冲抵', amountYuan: input.prepaymentOffsetYuan, sign: -1},
  ]
  const balanceYuan = sum(lines.filter((line) => line.sign !== 0).map((line) => line.amountYuan.times(line.sign)))
  return {lines, balanceYuan}
}
