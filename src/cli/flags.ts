/**
 * The calendar flags every command shares, checked once where they are parsed: `--month YYYY-MM`
 * (a real month of 2000–2100) and `--year YYYY`. A mistake is a usage error (exit 2) naming the
 * flag and what was typed, before the workspace is opened.
 *
 *   monthFlag({required: true, description: 'settlement month'})  // --month 2025-13 → exit 2
 *   periodFlags                                                    // exactly one of --month/--year
 */
import {Flags} from '@oclif/core'
import type {SettlementPeriod} from '../store/runs.js'
import {FlagValueError} from './failure.js'

const YEAR_MIN = 2000
const YEAR_MAX = 2100

function yearNumber(text: string): number | undefined {
  if (!/^[0-9]{4}$/.test(text)) return undefined
  const year = Number(text)
  return year >= YEAR_MIN && year <= YEAR_MAX ? year : undefined
}

/** `2025-03` when `text` is a month of the calendar in range, else undefined. */
export function checkedMonth(text: string): string | undefined {
  const match = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(text.trim())
  return match && yearNumber(match[1]!) !== undefined ? `${match[1]}-${match[2]}` : undefined
}

export const monthFlag = Flags.custom<string>({
  helpValue: '<YYYY-MM>',
  async parse(input, _context, flag) {
    const month = checkedMonth(input)
    if (month === undefined) throw new FlagValueError(flag.name, `"${input}" is not a month YYYY-MM of ${YEAR_MIN}–${YEAR_MAX} (e.g. 2025-03)`)
    return month
  },
})

export const yearFlag = Flags.custom<number>({
  helpValue: '<YYYY>',
  async parse(input, _context, flag) {
    const year = yearNumber(input.trim())
    if (year === undefined) throw new FlagValueError(flag.name, `"${input}" is not a year YYYY of ${YEAR_MIN}–${YEAR_MAX}`)
    return year
  },
})

/** The period a command acts on: a month (its monthly payment) or a year (its clearing), exactly one. */
export const periodFlags = {
  month: monthFlag({description: 'month YYYY-MM (monthly payment)', exactlyOne: ['month', 'year']}),
  year: yearFlag({description: 'year YYYY (year-end clearing)', exactlyOne: ['month', 'year']}),
}

/** periodOf({month: '2025-03'}) → {kind: 'pay', period: '2025-03'}; periodOf({year: 2025}) → {kind: 'clear', period: '2025'} */
export function periodOf(flags: {month?: string | undefined; year?: number | undefined}): SettlementPeriod {
  return flags.month === undefined ? {kind: 'clear', period: String(flags.year!)} : {kind: 'pay', period: flags.month}
}
