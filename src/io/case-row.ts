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
import type {CaseColumns} from './case-columns.js'

const DISCHARGE_MODES = new Set(['1', '2', '3', '4', '5', '9'])
/** 元 with at most 2 decimals (docs/case-format.md: "decimal 元, 2 dp"). Kept as text: never a JS number. */
const AMOUNT = /^[0-9]+(\.[0-9]{1,2})?$/

export function parseCaseRow(columns: CaseColumns, fields: readonly string[], file: string, line: number, errors: InputError[]): GroupCase | undefined {
  const before = errors.length
  const field = (position: number): string => (position < 0 ? '' : (fields[position] ?? '').trim())
  const count = (position: number, column: string, required: boolean): number => {
    const text = field(position)
    if (text === '') {
      if (required) errors.push(inputError(file, line, column, 'value_required', `${column} is empty`))
      return 0
    }
    if (!isDigits(text)) {
      const code = /^-[0-9]+$/.test(text) ? 'value_negative' : 'value_not_integer'
      errors.push(inputError(file, line, column, code, `"${text}" is not a whole number ≥ 0`))
      return 0
    }
    return Number(text)
  }

  for (const [position, column] of [
    [columns.settlement_id, 'settlement_id'],
    [columns.institution_id, 'institution_id'],
  ] as const) {
    if (field(position) === '') errors.push(inputError(file, line, column, 'value_required', `${column} is empty`))
  }
  const sex = parseSex(field(columns.sex))
  if (sex === undefined) {
    errors.push(inputError(file, line, 'sex', 'value_not_allowed', `"${field(columns.sex)}" is not a sex code`, 'use 1 or 男, 2 or 女; 0, 9 or blank when not stated'))
  }
  const ageYears = count(columns.age_years, 'age_years', true)
  const ageDays = count(columns.age_days, 'age_days', true)
  const birthWeightG = count(columns.birth_weight_g, 'birth_weight_g', false)
  const losDays = count(columns.los_days, 'los_days', true)
  const mode = field(columns.discharge_mode)
  if (columns.discharge_mode >= 0 && !DISCHARGE_MODES.has(mode)) {
    errors.push(inputError(file, line, 'discharge_mode', 'value_not_allowed', `"${mode}" is not a discharge mode`, 'use 1, 2, 3, 4, 5 or 9'))
  }
  const cost = field(columns.total_cost)
  if (columns.total_cost >= 0 && !AMOUNT.test(cost)) {
    errors.push(inputError(file, line, 'total_cost', 'value_not_decimal', `"${cost}" is not an amount in 元 with at most 2 decimals`))
  }
  if (errors.length > before) return undefined
  return {
    sex: sex ?? 0,
    ageYears,
    ageDays,
    birthWeightG,
    losDays,
    dx: codeList(field(columns.dx_codes), field(columns.pdx_code), field(columns.other_dx_codes), columns.dx_codes >= 0),
    px: codeList(field(columns.px_codes), field(columns.main_px_code), field(columns.other_px_codes), columns.px_codes >= 0).filter((code) => code !== ''),
  }
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
function parseSex(text: string): 0 | 1 | 2 | undefined {
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
 * `A|B|C` → ['A','B','C']. The first position is kept even when empty (a missing principal
 * diagnosis must show), other empty positions are skipped. With split columns the principal
 * code comes from its own column.
 */
function codeList(joined: string, first: string, others: string, useJoined: boolean): string[] {
  const parts = useJoined ? joined.split('|') : [first, ...others.split('|')]
  const codes = [parts[0]!.trim()]
  for (let k = 1; k < parts.length; k++) {
    const code = parts[k]!.trim()
    if (code !== '') codes.push(code)
  }
  return codes
}
