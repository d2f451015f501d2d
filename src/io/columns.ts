/**
 * Column specifications for the settlement imports: each column's accepted header names
 * (English or Chinese) and kind; a row becomes a record of canonical names to canonical text,
 * or input errors naming the row and column.
 *
 *   checkRow(INSTITUTION_COLUMNS, layout, ['H001', '市一院', '三级', '1.00', '职工|居民'], 'i.csv', 2, errors)
 *   → {institution_id: 'H001', name: '市一院', level: '三级', coefficient: '1.00', pools: '职工|居民'}
 */
import {type InputError, inputError} from '../errors.js'
import {CASE_AMOUNT_MAX_YUAN, CASE_INTEGER_MAX, caseColumnAliases, normalizeHeader} from './case-columns.js'

export type ColumnKind = 'text' | 'amount' | 'decimal' | 'integer' | 'enum' | 'month' | 'date' | 'codes'

export interface ColumnSpec {
  /** Canonical English name (snake_case, units last). */
  readonly name: string
  readonly aliases: readonly string[]
  readonly kind: ColumnKind
  /** A required column must be in the header and non-empty in every row (unless allowBlank). */
  readonly required: boolean
  /** A required column whose value may be blank: the header must have it, a row may leave it empty. */
  readonly allowBlank?: boolean
  /** A required column that the header may leave out when it has this one instead (dx_codes, or pdx_code + other_dx_codes). */
  readonly requiredUnless?: string
  /** For `enum`: the allowed values; the first alias spelling of each is canonical. */
  readonly values?: Readonly<Record<string, string>>
  /** Amounts and decimals are ≥ 0; 'above_zero' refuses 0 too (weights, coefficients, scores). */
  readonly min?: 'above_zero'
  /** The largest value accepted (decimal text); DEFAULT_MAX by kind when absent. */
  readonly max?: string
  /** The most characters of a text (200) or code list (4000). */
  readonly maxLength?: number
}

export type Layout = ReadonlyMap<string, number>

/** Positions of the spec's columns in a header; errors for missing and repeated columns. */
export function resolveLayout(specs: readonly ColumnSpec[], file: string, line: number, header: readonly string[]): {layout: Layout; errors: InputError[]} {
  const layout = new Map<string, number>()
  const errors: InputError[] = []
  const lookup = new Map<string, string>()
  for (const spec of specs) for (const name of [spec.name, ...spec.aliases]) lookup.set(normalizeHeader(name), spec.name)
  header.forEach((name, position) => {
    const column = lookup.get(normalizeHeader(name))
    if (column === undefined) return
    if (layout.has(column)) errors.push(inputError(file, line, name, 'header_column_duplicate', `"${name}" gives ${column} a second time`))
    else layout.set(column, position)
  })
  const missing = specs.filter((spec) => spec.required && !layout.has(spec.name) && !(spec.requiredUnless !== undefined && layout.has(spec.requiredUnless))).map((spec) => spec.name)
  if (missing.length > 0) {
    errors.push(inputError(file, line, missing.join(','), 'header_column_missing', `the header lacks ${missing.join(', ')}`, `columns: ${specs.map((s) => s.name).join(', ')}`))
  }
  return {layout, errors}
}

const AMOUNT = /^[0-9]+(\.[0-9]{1,2})?$/
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/
const INTEGER = /^[0-9]+$/
const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/
/** 2025-03-05, 2025/3/5, with an optional time of day as settlement systems export it. */
const DATE = /^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?$/

/** Default upper bounds of the values that change money: far above any real case, and inside exact integer 分. */
export const DEFAULT_MAX = {amountYuan: CASE_AMOUNT_MAX_YUAN, decimal: '1000000000', integer: '999999999'} as const

const ZERO_TEXT = /^0+(\.0+)?$/

/** Whether an unsigned decimal text is above a bound given as whole-number text: by the digits alone, without a number (the import's hot path). */
function above(value: string, most: string): boolean {
  const point = value.indexOf('.')
  const whole = (point < 0 ? value : value.slice(0, point)).replace(/^0+(?=[0-9])/, '')
  if (whole.length !== most.length) return whole.length > most.length
  if (whole !== most) return whole > most
  return point >= 0 && !/^0*$/.test(value.slice(point + 1))
}

/** Why a number as Excel or a hospital system writes it is not one: a hint that says what to write. */
function numberHint(text: string): string {
  if (/[０-９]/.test(text)) return 'full-width digits: write them as 0-9'
  if (/^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/.test(text)) return 'no thousands separators: write 1234.56'
  if (/[￥¥$元]/.test(text)) return 'no currency sign: the column is in 元'
  if (/^[-+]?[0-9.]+e[-+]?[0-9]+$/i.test(text)) return 'no exponent: format the cell as a number with 2 decimals'
  if (/^(nan|null|none|n\/a|#.*)$/i.test(text)) return 'leave the cell empty, or give the value'
  return 'digits with at most one decimal point'
}

/** Canonical text of one value, or an error message. Amounts keep exactly 2 decimals. */
function canonical(spec: ColumnSpec, text: string): {value: string} | {error: string; code: InputError['code']; hint?: string} {
  switch (spec.kind) {
    case 'text':
    case 'codes': {
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(text)) return {error: `${JSON.stringify(text.slice(0, 40))} holds a control character (a line break, TAB or NUL)`, code: 'value_not_allowed', hint: 'remove it'}
      const most = spec.maxLength ?? (spec.kind === 'codes' ? 4000 : 200)
      if (text.length > most) return {error: `"${text.slice(0, 20)}…" is ${text.length} characters, more than the ${most} a ${spec.name} may have`, code: 'value_out_of_range'}
      return {value: spec.kind === 'codes' ? canonicalCodes(text) : text}
    }
    case 'amount':
    case 'decimal': {
      const pattern = spec.kind === 'amount' ? AMOUNT : DECIMAL
      const unsigned = text.startsWith('-') ? text.slice(1) : text
      if (!pattern.test(unsigned)) {
        const what = spec.kind === 'amount' ? 'an amount in 元 with at most 2 decimals' : 'a decimal number'
        return {error: `"${text}" is not ${what}`, code: 'value_not_decimal', hint: numberHint(text)}
      }
      const value = spec.kind === 'amount' ? (unsigned.includes('.') ? unsigned.padEnd(unsigned.indexOf('.') + 3, '0') : `${unsigned}.00`) : unsigned
      const zero = ZERO_TEXT.test(value)
      if (text.startsWith('-') && !zero) return {error: `${text} is negative`, code: 'value_negative', hint: spec.min === 'above_zero' ? 'it must be above 0' : 'it must be 0 or more'}
      if (spec.min === 'above_zero' && zero) return {error: `${text} must be above 0`, code: 'value_out_of_range'}
      const most = spec.max ?? (spec.kind === 'amount' ? DEFAULT_MAX.amountYuan : DEFAULT_MAX.decimal)
      if (above(value, most)) return {error: `${text} is above the largest accepted ${spec.name}, ${most}`, code: 'value_out_of_range', hint: 'is a decimal point or a column out of place?'}
      return {value}
    }
    case 'integer': {
      if (!INTEGER.test(text)) {
        const code = /^-[0-9]+$/.test(text) ? 'value_negative' : 'value_not_integer'
        return {error: `"${text}" is not a whole number ≥ 0`, code, hint: numberHint(text)}
      }
      const value = text.replace(/^0+(?=[0-9])/, '')
      const most = spec.max ?? DEFAULT_MAX.integer
      if (value.length > most.length || (value.length === most.length && value > most)) return {error: `${text} is above the largest accepted ${spec.name}, ${most}`, code: 'value_out_of_range'}
      return {value}
    }
    case 'month':
      return MONTH.test(text) ? {value: text} : {error: `"${text}" is not a month YYYY-MM`, code: 'value_not_allowed'}
    case 'date': {
      const iso = calendarDate(text)
      return iso === undefined ? {error: `"${text}" is not a date of the calendar (YYYY-MM-DD, optionally with a time)`, code: 'value_not_allowed'} : {value: iso}
    }
    case 'enum': {
      const value = spec.values?.[text]
      return value === undefined ? {error: `"${text}" is not one of ${[...new Set(Object.values(spec.values ?? {}))].join(', ')}`, code: 'value_not_allowed'} : {value}
    }
  }
}

/** `I63.900 | I10|` → `I63.900|I10`: codes trimmed, empty ones dropped (but a blank first one, which marks a missing principal code). */
function canonicalCodes(text: string): string {
  if (!text.includes(' ') && !text.includes('\u3000') && !text.includes('||') && !text.endsWith('|')) return text
  const parts = text.split('|').map((part) => part.trim())
  return parts.filter((part, k) => part !== '' || k === 0).join('|')
}

/** YYYY-MM-DD of a real calendar day (2025-02-31 is not one), or undefined. */
export function calendarDate(text: string): string | undefined {
  const m = DATE.exec(text)
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1) return undefined
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
  if (day > days || year < 1900) return undefined
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return undefined
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** A row as canonical text per column; undefined (with errors added) when any value is bad. */
export function checkRow(specs: readonly ColumnSpec[], layout: Layout, fields: readonly string[], file: string, line: number, errors: InputError[]): Record<string, string> | undefined {
  const before = errors.length
  const record: Record<string, string> = {}
  for (const spec of specs) {
    const position = layout.get(spec.name)
    const text = position === undefined ? '' : (fields[position] ?? '').trim()
    if (text === '') {
      if (spec.required && spec.allowBlank !== true) errors.push(inputError(file, line, spec.name, 'value_required', `${spec.name} is empty`))
      record[spec.name] = ''
      continue
    }
    const result = canonical(spec, text)
    if ('error' in result) errors.push(inputError(file, line, spec.name, result.code, result.error, result.hint))
    else record[spec.name] = result.value
  }
  return errors.length > before ? undefined : record
}

export const POOL_VALUES = {职工: '职工', 居民: '居民', employee: '职工', resident: '居民', '1': '职工', '2': '居民'}

export const INSTITUTION_COLUMNS: readonly ColumnSpec[] = [
  {name: 'institution_id', aliases: caseColumnAliases('institution_id'), kind: 'text', required: true},
  {name: 'name', aliases: ['机构名称', '定点医疗机构名称', '医疗机构名称'], kind: 'text', required: true},
  {name: 'level', aliases: ['医院等级', '机构等级', '等级'], kind: 'text', required: true},
  {name: 'coefficient', aliases: ['机构系数', '医疗机构系数', '系数'], kind: 'decimal', required: false, min: 'above_zero', max: '10'},
  {name: 'pools', aliases: ['险种', '参保险种'], kind: 'text', required: true},
]

export const WEIGHT_COLUMNS: readonly ColumnSpec[] = [
  {name: 'drg', aliases: ['drg_code', 'DRG编码', '病组编码'], kind: 'text', required: true},
  {name: 'weight', aliases: ['权重', 'rw'], kind: 'decimal', required: true, min: 'above_zero', max: '100000'},
  {name: 'drg_name', aliases: ['name', 'DRG名称', '病组名称'], kind: 'text', required: false},
  {name: 'institution_level', aliases: ['医院等级', '机构等级'], kind: 'text', required: false},
  {name: 'avg_cost', aliases: ['avg_cost_yuan', '次均费用', '平均费用'], kind: 'amount', required: false, min: 'above_zero'},
]

/** The settlement columns of a discharge (settlement-rules §2) on top of the grouping ones. */
const PAYMENT_METHOD_VALUES = {
  DRG: 'DRG',
  DIP: 'DIP',
  按病组: 'DRG',
  按病种分值: 'DIP',
  床日: '床日',
  按床日: '床日',
  per_diem: '床日',
  项目: '项目',
  按项目: '项目',
  items: '项目',
}

export const SETTLEMENT_CASE_COLUMNS: readonly ColumnSpec[] = [
  {name: 'settlement_id', aliases: caseColumnAliases('settlement_id'), kind: 'text', required: true},
  {name: 'case_no', aliases: caseColumnAliases('case_no'), kind: 'text', required: false},
  {name: 'institution_id', aliases: caseColumnAliases('institution_id'), kind: 'text', required: true},
  {name: 'insurance_type', aliases: caseColumnAliases('insurance_type'), kind: 'enum', required: true, values: POOL_VALUES},
  {name: 'insured_region', aliases: caseColumnAliases('insured_region'), kind: 'text', required: false},
  {name: 'admit_date', aliases: caseColumnAliases('admit_date'), kind: 'date', required: false},
  {name: 'discharge_date', aliases: caseColumnAliases('discharge_date'), kind: 'date', required: false},
  {name: 'sex', aliases: caseColumnAliases('sex'), kind: 'text', required: false},
  {name: 'age_years', aliases: caseColumnAliases('age_years'), kind: 'integer', required: true, max: String(CASE_INTEGER_MAX.age_years)},
  {name: 'age_days', aliases: caseColumnAliases('age_days'), kind: 'integer', required: true, max: String(CASE_INTEGER_MAX.age_days)},
  {name: 'birth_weight_g', aliases: caseColumnAliases('birth_weight_g'), kind: 'integer', required: false, max: String(CASE_INTEGER_MAX.birth_weight_g)},
  {name: 'los_days', aliases: caseColumnAliases('los_days'), kind: 'integer', required: true, max: String(CASE_INTEGER_MAX.los_days)},
  {name: 'discharge_mode', aliases: caseColumnAliases('discharge_mode'), kind: 'enum', required: false, values: {'1': '1', '2': '2', '3': '3', '4': '4', '5': '5', '9': '9'}},
  // A case without a diagnosis is imported and held by the grouper as invalid (pdx_missing), not lost.
  {name: 'dx_codes', aliases: caseColumnAliases('dx_codes'), kind: 'codes', required: true, allowBlank: true, requiredUnless: 'pdx_code'},
  {name: 'px_codes', aliases: caseColumnAliases('px_codes'), kind: 'codes', required: false},
  {name: 'total_cost', aliases: caseColumnAliases('total_cost'), kind: 'amount', required: true},
  {name: 'fund_recorded', aliases: caseColumnAliases('fund_recorded'), kind: 'amount', required: true},
  {name: 'self_pay_all', aliases: caseColumnAliases('self_pay_all'), kind: 'amount', required: false},
  {name: 'self_pay_first', aliases: caseColumnAliases('self_pay_first'), kind: 'amount', required: false},
  {name: 'deductible', aliases: caseColumnAliases('deductible'), kind: 'amount', required: false},
  {name: 'co_pay', aliases: caseColumnAliases('co_pay'), kind: 'amount', required: false},
  {name: 'other_funds', aliases: caseColumnAliases('other_funds'), kind: 'amount', required: false},
  // Added after the first release: blank values stay out of the row hash (CASE_COLUMNS_ADDED).
  // Blank or DRG/DIP: paid by the year's method; 床日: per diem (policy per_diem); 项目: by its items.
  {name: 'payment_method', aliases: caseColumnAliases('payment_method'), kind: 'enum', required: false, values: PAYMENT_METHOD_VALUES},
  {name: 'per_diem_category', aliases: caseColumnAliases('per_diem_category'), kind: 'text', required: false},
  // For the evaluation by department and physician (yb evaluate --by).
  {name: 'department', aliases: caseColumnAliases('department'), kind: 'text', required: false, maxLength: 100},
  {name: 'physician', aliases: caseColumnAliases('physician'), kind: 'text', required: false, maxLength: 100},
  // 参保人编号, for yb audit (分解住院): stored as a salted hash (store/person-key.ts), never as given.
  {name: 'person_id', aliases: caseColumnAliases('person_id'), kind: 'text', required: false, maxLength: 100},
]

/** Diagnoses and procedures in split columns, as some exports give them: read into dx_codes and px_codes, never stored apart. */
export const SPLIT_CODE_COLUMNS: readonly ColumnSpec[] = [
  {name: 'pdx_code', aliases: caseColumnAliases('pdx_code'), kind: 'codes', required: false},
  {name: 'other_dx_codes', aliases: caseColumnAliases('other_dx_codes'), kind: 'codes', required: false},
  {name: 'main_px_code', aliases: caseColumnAliases('main_px_code'), kind: 'codes', required: false},
  {name: 'other_px_codes', aliases: caseColumnAliases('other_px_codes'), kind: 'codes', required: false},
]

/** Every column a case file for `yb cases import` may have: the stored ones and the split code columns. */
export const CASE_FILE_COLUMNS: readonly ColumnSpec[] = [...SETTLEMENT_CASE_COLUMNS, ...SPLIT_CODE_COLUMNS]

/** dx_codes and px_codes of a record, from the split columns when the file has them (the principal or main code first). */
export function joinedCodes(record: Readonly<Record<string, string>>): {dx_codes: string; px_codes: string} {
  const join = (first: string, others: string, keepFirst: boolean): string => [first, ...others.split('|')].filter((code, k) => code !== '' || (k === 0 && keepFirst)).join('|')
  return {
    dx_codes: record.dx_codes || (record.pdx_code || record.other_dx_codes ? join(record.pdx_code ?? '', record.other_dx_codes ?? '', true) : ''),
    px_codes: record.px_codes || (record.main_px_code || record.other_px_codes ? join(record.main_px_code ?? '', record.other_px_codes ?? '', false) : ''),
  }
}

/** Columns added to the case file after its first release: a blank one leaves a row's hash as it was, so re-importing an old file still changes nothing. */
export const CASE_COLUMNS_ADDED: readonly string[] = ['payment_method', 'per_diem_category', 'department', 'physician', 'person_id']

/** 审核扣减 / 违规扣款 decided for an institution: in a month (taken off that month's payment) or for the year. */
export const DEDUCTION_COLUMNS: readonly ColumnSpec[] = [
  {name: 'deduction_id', aliases: ['扣款编号', '文书号', '决定书编号'], kind: 'text', required: true},
  {name: 'institution_id', aliases: caseColumnAliases('institution_id'), kind: 'text', required: true},
  {name: 'pool', aliases: caseColumnAliases('insurance_type'), kind: 'enum', required: true, values: POOL_VALUES},
  {name: 'month', aliases: ['扣款月份', '月份'], kind: 'month', required: false},
  {name: 'kind', aliases: ['扣款类型', '类型'], kind: 'enum', required: true, values: {违规扣款: '违规扣款', 审核扣减: '审核扣减', violation: '违规扣款', audit: '审核扣减'}},
  {name: 'amount_yuan', aliases: ['amount', '扣款金额', '金额'], kind: 'amount', required: true, min: 'above_zero', max: '100000000'},
  {name: 'basis', aliases: ['依据', '原因', '说明'], kind: 'text', required: false, maxLength: 2000},
]

/** 特例单议 (special-case review) decisions: approved cases are paid by their approved cost at the year-end clearing. */
export const SPECIAL_CASE_COLUMNS: readonly ColumnSpec[] = [
  {name: 'settlement_id', aliases: caseColumnAliases('settlement_id'), kind: 'text', required: true},
  {
    name: 'decision',
    aliases: ['审核结果', '评议结果', '结果'],
    kind: 'enum',
    required: true,
    values: {approved: 'approved', rejected: 'rejected', pending: 'pending', 通过: 'approved', 同意: 'approved', 核准: 'approved', 不通过: 'rejected', 不同意: 'rejected', 驳回: 'rejected', 待审: 'pending'},
  },
  {name: 'approved_cost_yuan', aliases: ['核准费用', '核准金额', '认定费用'], kind: 'amount', required: false},
  {name: 'approved_score', aliases: ['核定分值', '专家分值'], kind: 'decimal', required: false, min: 'above_zero', max: '10000000'},
  {name: 'note', aliases: ['意见', '评议意见', '备注'], kind: 'text', required: false, maxLength: 2000},
]
