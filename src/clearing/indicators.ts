/**
 * The figures of the dashboard that are formulas: the case mix index, the projected year-end
 * balance, the budget to date and the share of it used, and whole levels for bars and sparklines
 * (integers, not amounts), so that the screen and its use case only read and draw.
 *
 *   projectedBalanceYuan({withheldYuan: 1200.00, monthsPaid: 3, prepaidYuan: 1000.00}, 'HALF_UP') → 3800.00
 */
import {type Dec, decimalOfInteger, parseDecimal, round, roundYuan, type RoundingMode} from './money.js'

/** 预计年终应补应扣 = 预留至今 × 12 ÷ 已付月数 − 预付金冲抵: before bands, deposit and assessment, which the clearing applies. */
export function projectedBalanceYuan(input: {withheldYuan: Dec; monthsPaid: number; prepaidYuan: Dec}, mode: RoundingMode): Dec {
  if (input.monthsPaid === 0) return parseDecimal('0')
  return roundYuan(input.withheldYuan.times(12).div(input.monthsPaid), mode).minus(input.prepaidYuan)
}

/** CMI = Σ weight ÷ cases paid by their group, 4 dp; '' when there are none. */
export function caseMixIndex(weightSumText: string, cases: number, mode: RoundingMode): string {
  const total = parseDecimal(weightSumText)
  return cases === 0 || total.isZero() ? '' : round(total.div(decimalOfInteger(cases)), 4, mode).toFixed(4)
}

/** The available budget for the months paid: available × months ÷ 12. */
export function budgetToDateYuan(availableYuan: Dec, monthsPaid: number, mode: RoundingMode): Dec {
  return roundYuan(availableYuan.times(monthsPaid).div(12), mode)
}

/** Fund due as a percentage of the budget to date, 1 dp; '' without a budget. */
export function usedPercent(dueYuan: Dec, toDateYuan: Dec, mode: RoundingMode): string {
  return toDateYuan.isZero() ? '' : round(dueYuan.times(100).div(toDateYuan), 1, mode).toFixed(1)
}

/** Whether the fund due so far is over or under the budget to date (or on it, to the 分). */
export function budgetPosition(dueYuan: Dec, toDateYuan: Dec): 'over' | 'under' | 'on' {
  const c = dueYuan.comparedTo(toDateYuan)
  return c > 0 ? 'over' : c < 0 ? 'under' : 'on'
}

/** Levels 0 … 7 from the lowest to the highest value (a flat series sits in the middle); -1 where there is no value. */
export function sparkLevels(values: readonly (number | null)[]): number[] {
  const known = values.filter((v): v is number => v !== null)
  const low = Math.min(...known)
  const high = Math.max(...known)
  return values.map((v) => (v === null ? -1 : high === low ? 3 : Math.round(((v - low) * 7) / (high - low))))
}

/** round(value ÷ max × levels), in integers: the length of a bar, not an amount. */
export function barLevel(valueFen: number, maxFen: number, levels: number): number {
  return Math.round((Math.max(0, valueFen) * levels) / Math.max(1, maxFen))
}
