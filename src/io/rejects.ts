/**
 * The rejects file shared by every reader that takes `--rejects`: the original row as it was,
 * then where and why it was rejected.
 *
 *   rejectRow('S2,H01,X', [{row: 3, column: 'sex', code: 'value_not_allowed', message: '"X" is not a sex code', …}])
 *   → 'S2,H01,X,3,sex,value_not_allowed,"""X"" is not a sex code (use 1 or 男 …)"\n'
 */
import type {InputError} from '../errors.js'
import {csvField, csvLine} from './text-stream.js'

export const REJECT_COLUMNS = ['reject_line', 'reject_column', 'reject_code', 'reject_reason'] as const

/** Errors kept for the report; the count covers them all. */
export const ERRORS_KEPT_MAX = 100

export function rejectHeader(header: readonly string[]): string {
  return csvLine([...header, ...REJECT_COLUMNS])
}

/**
 * A line that could not be read as a record (a stray quote): its text as one quoted cell, then
 * empty cells up to the header's width, so that the rejects file itself stays valid CSV.
 */
export function unreadableRaw(raw: string, width: number): string {
  return csvField(raw) + ','.repeat(Math.max(0, width - 1))
}

/** The raw row (copied as it was read) followed by the reject columns of its errors. */
export function rejectRow(raw: string, rowErrors: readonly InputError[]): string {
  return `${raw},${csvLine([
    String(rowErrors[0]?.row ?? ''),
    rowErrors.map((error) => error.column).join('|'),
    rowErrors.map((error) => error.code).join('|'),
    rowErrors.map((error) => error.message + (error.hint ? ` (${error.hint})` : '')).join('; '),
  ])}`
}
