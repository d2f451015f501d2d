/**
 * The checks of a settlement case that span its columns, after each value has passed its own:
 * admitted on or before discharge, a stay as long as its dates say, and no part of the cost
 * larger than the cost. An error names the row, the column, the values and the reason.
 *
 *   caseConsistency({admit_date: '2025-03-05', discharge_date: '2025-03-01', …}, 'c.csv', 7, errors)
 *   → errors: ['c.csv:7 discharge_date: discharged 2025-03-01, before admission 2025-03-05']
 */
import {type InputError, inputError} from '../errors.js'
import {parseFen} from '../clearing/fen.js'

/** The parts of a case's cost that each come out of its total. */
export const COST_PARTS = ['fund_recorded', 'self_pay_all', 'self_pay_first', 'deductible', 'co_pay', 'other_funds'] as const

const DAY_MS = 86_400_000

function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS
}

export function caseConsistency(record: Readonly<Record<string, string>>, file: string, line: number, errors: InputError[]): void {
  const admit = record.admit_date ?? ''
  const discharge = record.discharge_date ?? ''
  if (admit !== '' && discharge !== '') {
    const days = dayNumber(discharge) - dayNumber(admit)
    if (days < 0) {
      errors.push(inputError(file, line, 'discharge_date', 'value_not_allowed', `discharged ${discharge}, before admission ${admit}`))
    } else if (record.los_days !== undefined && record.los_days !== '') {
      // 住院天数 is discharge − admission (a same-day stay counts 1), or counts both ends: either is accepted.
      const los = Number(record.los_days)
      if (los !== days && los !== days + 1) {
        errors.push(inputError(file, line, 'los_days', 'value_not_allowed', `los_days ${record.los_days} does not match admission ${admit} to discharge ${discharge} (${days} days)`, `give ${Math.max(days, 1)}`))
      }
    }
  }
  const total = record.total_cost ?? ''
  if (total === '') return
  // Canonical 2-dp amounts of at most 1e9 元 (checked per column before): exact as integer 分.
  const cost = parseFen(total)
  for (const part of COST_PARTS) {
    const value = record[part] ?? ''
    if (value !== '' && parseFen(value) > cost) errors.push(inputError(file, line, part, 'value_out_of_range', `${part} ${value} is more than the case's total_cost ${total}`))
  }
}
