/**
 * The 特例单议 cap (settlement-rules §3.2, §4.4; N3/N5: DRG ≤ 5% of discharges, DIP ≤ 5‰; ZJ3:
 * 5‰ per quarter): approved cases against the discharges paid by the year's method, per period
 * (the year or its quarters) for the region and, where the policy says, for each institution.
 *
 *   countWithinShare(3, 1000, 0.005) → {within: true, limitCases: 5, share: 0.0030}
 *   periodOfMonth('2025-05', 'QUARTER') → '2025-Q2'
 */
import {type Dec, decimalOfInteger, ZERO} from './money.js'

export type CapPeriod = 'YEAR' | 'QUARTER'

/** count ≤ maxShare × total, tested by multiplying (a 特例单议 cap, the share of cases without a weight): the share used, and the most the cap allows. */
export function countWithinShare(count: number, total: number, maxShare: Dec): {share: Dec; limitCases: number; within: boolean} {
  const limit = maxShare.times(decimalOfInteger(total))
  return {
    share: total === 0 ? ZERO : decimalOfInteger(count).div(total),
    limitCases: limit.floor().toNumber(),
    within: decimalOfInteger(count).lte(limit),
  }
}

/** The cap period of a discharge month: '2025' (YEAR) or '2025-Q2' (QUARTER). */
export function periodOfMonth(month: string, period: CapPeriod): string {
  const year = month.slice(0, 4)
  return period === 'YEAR' ? year : `${year}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`
}

/** A share for people: percent at 2 decimals. */
export function percentText(share: Dec): string {
  return share.times(100).toDecimalPlaces(2).toFixed(2)
}
