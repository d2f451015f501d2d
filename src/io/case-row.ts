/**
 * Turns one CSV row of the case format into a GroupCase, or into input errors naming the row
 * and column (a malformed value: bad number, unknown sex word, bad amount). Missing clinical
 * data that a scheme must judge (no diagnosis, sex not stated) is not an error here: the grouper
 * marks such a case `invalid` with a reason, so that nothing is dropped.
 *
 *   parseCaseRow(columns, ['S1','H01','1','60','21915','','8','1','I63.900','','1234.50'], 'c.csv', 2, errors)
 *   → {sex: 1, ageYears: 60, ageDays: 21915, birthWeightG: 0, losDays: 8, dx: ['I63.900'], px: []}
 */
import {type InputError, inputError} from '../errors.js'
import type {GroupCase} from '../grouper/case-view.js'
import {parseDecimal} from '../clearing/money.js'
import {CASE_AMOUNT_MAX_YUAN, CASE_INTEGER_MAX, type CaseColumns} from './case-columns.js'

const DISCHARGE_MODES = new Set(['1', '2', '3', '4', '5', '9'])
/** 元 with at most 2 decimals (docs/case-format.md: "decimal 元, 2 dp"). Kept as text: never a JS number. */
const AMOUNT = /^[0-9]+(\.[0-9]{1,2})?$/

export function parseCaseRow(columns: CaseColumns, fields: readonly string[], file: string, line: number, errors: InputError[]): GroupCase | undefined {
  const before = errors.length
  if (cell(fields, columns.settlement_id) === '') errors.push(inputError(file, line, 'settlement_id', 'value_required', 'settlement_id is empty'))
  if (cell(fields, columns.institution_id) === '') errors.push(inputError(file, line, 'institution_id', 'value_required', 'institution_id is empty'))
  const sexText = cell(fields, columns.sex)
  const sex = parseSex(sexText)
  if (sex === undefined) {
    errors.push(inputError(file, line, 'sex', 'value_not_allowed', `"${sexText}" is not a sex code`, 'use 1 or 男, 2 or 女; 0, 9 or blank when not stated'))
  }
  const ageYears = count(fields, columns.age_years, 'age_years', true, file, line, errors)
  const ageDays = count(fields, columns.age_days, 'age_days', true, file, line, errors)
  const birthWeightG = count(fields, columns.birth_weight_g, 'birth_weight_g', false, file, line, errors)
  const losDays = count(fields, columns.los_days, 'los_days', true, file, line, errors)
  if (columns.discharge_mode >= 0) {
    const mode = cell(fields, columns.discharge_mode)
    if (!DISCHARGE_MODES.has(mode)) errors.push(inputError(file, line, 'discharge_mode', 'value_not_allowed', `"${mode}" is not a discharge mode`, 'use 1, 2, 3, 4, 5 or 9'))
  }
  if (columns.total_cost >= 0) {
    const cost = cell(fields, columns.total_cost)
    if (!AMOUNT.test(cost)) {
      const negative = /^-[0-9]+(\.[0-9]{1,2})?$/.test(cost)
      errors.push(inputError(file, line, 'total_cost', negative ? 'value_negative' : 'value_not_decimal', negative ? `${cost} is negative` : `"${cost}" is not an amount in 元 with at most 2 decimals`))
    } else if (cost.length >= CASE_AMOUNT_MAX_YUAN.length && parseDecimal(cost).gt(parseDecimal(CASE_AMOUNT_MAX_YUAN))) {
      errors.push(inputError(file, line, 'total_cost', 'value_out_of_range', `${cost} is above the largest accepted total_cost, ${CASE_AMOUNT_MAX_YUAN}`))
    }
  }
  if (errors.length > before) return undefined
  const dx = columns.dx_codes >= 0 ? codeList(cell(fields, columns.dx_codes), true) : joinSplit(cell(fields, columns.pdx_code), cell(fields, columns.other_dx_codes), true)
  const px = columns.px_codes >= 0 ? codeList(cell(fields, columns.px_codes), false) : joinSplit(cell(fields, columns.main_px_code), cell(fields, columns.other_px_codes), false)
  return {sex: sex ?? 0, ageYears, ageDays, birthWeightG, losDays, dx, px}
}

function cell(fields: readonly string[], position: number): string {
  if (position < 0) return ''
  const text = fields[position] ?? ''
  return hasEdgeSpace(text) ? text.trim() : text
}

function hasEdgeSpace(text: string): boolean {
  return text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32)
}

function count(fields: readonly string[], position: number, column: keyof typeof CASE_INTEGER_MAX, required: boolean, file: string, line: number, errors: InputError[]): number {
  const text = cell(fields, position)
  if (text === '') {
    if (required) errors.push(inputError(file, line, column, 'value_required', `${column} is empty`))
    return 0
  }
  if (!isDigits(text)) {
    const code = /^-[0-9]+$/.test(text) ? 'value_negative' : 'value_not_integer'
    errors.push(inputError(file, line, column, code, `"${text}" is not a whole number ≥ 0`))
    return 0
  }
  const value = Number(text)
  if (value > CASE_INTEGER_MAX[column]) errors.push(inputError(file, line, column, 'value_out_of_range', `${text} is above the largest accepted ${column}, ${CASE_INTEGER_MAX[column]}`))
  return value
}

function isDigits(text: string): boolean {
  if (text.length > 9) return /^[0-9]+$/.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** GB/T 2261.1: 1 male, 2 female, 0 unknown, 9 not stated. Unknown and not stated count as missing (0). */
export function parseSex(text: string): 0 | 1 | 2 | undefined {
  switch (text) {
    case '1':
    case '男':
      return 1
    case '2':
    case '女':
      return 2
    case '':
    case '0':
    case '9':
      return 0
    default:
      return undefined
  }
}

/**
 * `A|B|C` → ['A','B','C']. For diagnoses the first position is kept even when empty (a missing
 * principal diagnosis must show); other empty positions are skipped.
 */
export function codeList(joined: string, keepFirst: boolean): string[] {
  if (joined === '') return []
  const parts = joined.split('|')
  let clean = true
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!
    if (part === '' || hasEdgeSpace(part)) clean = false
  }
  if (clean) return parts
  const codes: string[] = []
  for (let k = 0; k < parts.length; k++) {
    const code = parts[k]!.trim()
    if (code !== '' || (k === 0 && keepFirst)) codes.push(code)
  }
  return codes
}

/** Split columns: the principal (or main) code from its own column, the others `|`-separated. */
function joinSplit(first: string, others: string, keepFirst: boolean): string[] {
  const rest = codeList(others, false)
  return first === '' && !keepFirst ? rest : [first, ...rest]
}
