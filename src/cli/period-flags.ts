/**
 * The period a command acts on: `--month YYYY-MM` (a monthly payment) or `--year YYYY` (a
 * year-end clearing), exactly one of them.
 *
 *   periodOf({month: '2025-03'}) → {kind: 'pay', period: '2025-03'}
 */
import {Flags} from '@oclif/core'
import type {SettlementPeriod} from '../store/runs.js'

export const periodFlags = {
  month: Flags.string({description: 'month YYYY-MM (monthly payment)', exactlyOne: ['month', 'year'], helpValue: '<YYYY-MM>'}),
  year: Flags.string({description: 'year YYYY (year-end clearing)', exactlyOne: ['month', 'year'], helpValue: '<YYYY>'}),
}

export function periodOf(flags: {month?: string | undefined; year?: string | undefined}): SettlementPeriod {
  return flags.month === undefined ? {kind: 'clear', period: flags.year!} : {kind: 'pay', period: flags.month}
}
