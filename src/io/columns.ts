/**
 * Column specifications for the settlement imports: each column's accepted header names
 * (English or Chinese) and kind; a row becomes a record of canonical names to canonical text,
 * or input errors naming the row and column.
 *
 *   checkRow(INSTITUTION_COLUMNS, layout, ['H001', '市一院', '三级', '1.00', '职工|居民'], 'i.csv', 2, errors)
 *   → {institution_id: 'H001', name: '市一院', level: '三级', coefficient: '1.00', pools: '职工|居民'}
 */
import {type InputError, inputError} from '../errors.js'
import {normalizeHeader} from './case-columns.js'

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
  /** For `enum`: the allowed values; the first alias spelling of each is canonical. */
  readonly values?: Readonly<Record<string, string>>
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
  const missing = specs.filter((spec) => spec.required && !layout.has(spec.name)).map((spec) => spec.name)
  if (missing.length > 0) {
    errors.push(inputError(file, line, missing.join(','), 'header_column_missing', `the header lacks ${missing.join(', ')}`, `columns: ${specs.map((s) => s.name).join(', ')}`))
  }
  return {layout, errors}
}

const AMOUNT = /^-?[0-9]+(\.[0-9]{1,2})?$/
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/
const INTEGER = /^[0-9]+$/
const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/
const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/

/** Canonical text of one value, or an error message. Amounts keep exactly 2 decimals. */
function canonical(spec: ColumnSpec, text: string): {value: string} | {error: string; code: InputError['code']} {
  switch (spec.kind) {
    case 'text':
    case 'codes':
      return {value: text}
    case 'amount':
      if (!AMOUNT.test(text)) return {error: `"${text}" is not an amount in 元 with at most 2 decimals`, code: 'value_not_decimal'}
      return {value: text.includes('.') ? text.padEnd(text.indexOf('.') + 3, '0') : `${text}.00`}
    case 'decimal':
      return DECIMAL.test(text) ? {value: text} : {error: `"${text}" is not a decimal number`, code: 'value_not_decimal'}
    case 'integer':
      return INTEGER.test(text) ? {value: String(Number(text))} : {error: `"${text}" is not a whole number ≥ 0`, code: 'value_not_integer'}
    case 'month':
      return MONTH.test(text) ? {value: text} : {error: `"${text}" is not a month YYYY-MM`, code: 'value_not_allowed'}
    case 'date': {
      const iso = text.replace(/\//g, '-').slice(0, 10)
      return DATE.test(iso) ? {value: iso} : {error: `"${text}" is not a date YYYY-MM-DD`, code: 'value_not_allowed'}
    }
    case 'enum': {
      const value = spec.values?.[text]
      return value === undefined ? {error: `"${text}" is not one of ${[...new Set(Object.values(spec.values ?? {}))].join(', ')}`, code: 'value_not_allowed'} : {value}
    }
  }
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
    if ('error' in result) errors.push(inputError(file, line, spec.name, result.code, result.error))
    else record[spec.name] = result.value
  }
  return errors.length > before ? undefined : record
}

const POOL_VALUES = {职工: '职工', 居民: '居民', employee: '职工', resident: '居民', '1': '职工', '2': '居民'}

export const INSTITUTION_COLUMNS: readonly ColumnSpec[] = [
  {name: 'institution_id', aliases: ['定点医疗机构编码', '机构编码', '医疗机构编码'], kind: 'text', required: true},
  {name: 'name', aliases: ['机构名称', '定点医疗机构名称', '医疗机构名称'], kind: 'text', required: true},
  {name: 'level', aliases: ['医院等级', '机构等级', '等级'], kind: 'text', required: true},
  {name: 'coefficient', aliases: ['机构系数', '医疗机构系数', '系数'], kind: 'decimal', required: false},
  {name: 'pools', aliases: ['险种', '参保险种'], kind: 'text', required: true},
]

export const WEIGHT_COLUMNS: readonly ColumnSpec[] = [
  {name: 'drg', aliases: ['drg_code', 'DRG编码', '病组编码'], kind: 'text', required: true},
  {name: 'weight', aliases: ['权重', 'rw'], kind: 'decimal', required: true},
  {name: 'drg_name', aliases: ['name', 'DRG名称', '病组名称'], kind: 'text', required: false},
  {name: 'institution_level', aliases: ['医院等级', '机构等级'], kind: 'text', required: false},
  {name: 'avg_cost', aliases: ['avg_cost_yuan', '次均费用', '平均费用'], kind: 'amount', required: false},
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
  {name: 'settlement_id', aliases: ['结算流水号', '结算清单编号', '结算ID', '结算编号'], kind: 'text', required: true},
  {name: 'case_no', aliases: ['病案号'], kind: 'text', required: false},
  {name: 'institution_id', aliases: ['定点医疗机构编码', '医疗机构编码', '机构编码', '定点机构编码'], kind: 'text', required: true},
  {name: 'insurance_type', aliases: ['医保类型', '险种', '参保险种'], kind: 'enum', required: true, values: POOL_VALUES},
  {name: 'insured_region', aliases: ['参保地'], kind: 'text', required: false},
  {name: 'admit_date', aliases: ['入院时间', '入院日期'], kind: 'date', required: false},
  {name: 'discharge_date', aliases: ['出院时间', '出院日期', '结算日期'], kind: 'date', required: false},
  {name: 'sex', aliases: ['性别'], kind: 'text', required: false},
  {name: 'age_years', aliases: ['年龄(岁)', '年龄'], kind: 'integer', required: true},
  {name: 'age_days', aliases: ['年龄(天)', '年龄天数'], kind: 'integer', required: true},
  {name: 'birth_weight_g', aliases: ['新生儿出生体重(克)', '新生儿出生体重', '出生体重'], kind: 'integer', required: false},
  {name: 'los_days', aliases: ['住院天数', '实际住院天数'], kind: 'integer', required: true},
  {name: 'discharge_mode', aliases: ['离院方式'], kind: 'enum', required: false, values: {'1': '1', '2': '2', '3': '3', '4': '4', '5': '5', '9': '9'}},
  // A case without a diagnosis is imported and held by the grouper as invalid (pdx_missing), not lost.
  {name: 'dx_codes', aliases: ['诊断', '诊断编码'], kind: 'codes', required: true, allowBlank: true},
  {name: 'px_codes', aliases: ['手术操作', '手术操作编码'], kind: 'codes', required: false},
  {name: 'total_cost', aliases: ['医疗总费用', '总费用'], kind: 'amount', required: true},
  {name: 'fund_recorded', aliases: ['统筹基金记账', '统筹基金支付', '医院记帐'], kind: 'amount', required: true},
  {name: 'self_pay_all', aliases: ['全自费'], kind: 'amount', required: false},
  {name: 'self_pay_first', aliases: ['先行自付'], kind: 'amount', required: false},
  {name: 'deductible', aliases: ['起付线', '起付标准'], kind: 'amount', required: false},
  {name: 'co_pay', aliases: ['按比例自付', '自付'], kind: 'amount', required: false},
  {name: 'other_funds', aliases: ['其他基金', '大病保险', '其他基金支付'], kind: 'amount', required: false},
  // Added after the first release: blank values stay out of the row hash (CASE_COLUMNS_ADDED).
  // Blank or DRG/DIP: paid by the year's method; 床日: per diem (policy per_diem); 项目: by its items.
  {name: 'payment_method', aliases: ['付费方式', '支付方式', '结算方式'], kind: 'enum', required: false, values: PAYMENT_METHOD_VALUES},
  {name: 'per_diem_category', aliases: ['床日病种', '床日类别', '床日付费病种'], kind: 'text', required: false},
]

/** Columns added to the case file after its first release: a blank one leaves a row's hash as it was, so re-importing an old file still changes nothing. */
export const CASE_COLUMNS_ADDED: readonly string[] = ['payment_method', 'per_diem_category']

/** 审核扣减 / 违规扣款 decided for an institution: in a month (taken off that month's payment) or for the year. */
export const DEDUCTION_COLUMNS: readonly ColumnSpec[] = [
  {name: 'deduction_id', aliases: ['扣款编号', '文书号', '决定书编号'], kind: 'text', required: true},
  {name: 'institution_id', aliases: ['定点医疗机构编码', '机构编码', '医疗机构编码'], kind: 'text', required: true},
  {name: 'pool', aliases: ['险种', '医保类型'], kind: 'enum', required: true, values: POOL_VALUES},
  {name: 'month', aliases: ['扣款月份', '月份'], kind: 'month', required: false},
  {name: 'kind', aliases: ['扣款类型', '类型'], kind: 'enum', required: true, values: {违规扣款: '违规扣款', 审核扣减: '审核扣减', violation: '违规扣款', audit: '审核扣减'}},
  {name: 'amount_yuan', aliases: ['amount', '扣款金额', '金额'], kind: 'amount', required: true},
  {name: 'basis', aliases: ['依据', '原因', '说明'], kind: 'text', required: false},
]

/** 特例单议 (special-case review) decisions: approved cases are paid by their approved cost at the year-end clearing. */
export const SPECIAL_CASE_COLUMNS: readonly ColumnSpec[] = [
  {name: 'settlement_id', aliases: ['结算流水号', '结算清单编号', '结算ID'], kind: 'text', required: true},
  {
    name: 'decision',
    aliases: ['审核结果', '评议结果', '结果'],
    kind: 'enum',
    required: true,
    values: {approved: 'approved', rejected: 'rejected', pending: 'pending', 通过: 'approved', 同意: 'approved', 核准: 'approved', 不通过: 'rejected', 不同意: 'rejected', 驳回: 'rejected', 待审: 'pending'},
  },
  {name: 'approved_cost_yuan', aliases: ['核准费用', '核准金额', '认定费用'], kind: 'amount', required: false},
  {name: 'approved_score', aliases: ['核定分值', '专家分值'], kind: 'decimal', required: false},
  {name: 'note', aliases: ['意见', '评议意见', '备注'], kind: 'text', required: false},
]
