/**
 * Header names of the discharge case format (docs/case-format.md), in English or as Chinese
 * settlement systems export them. Resolving a header gives the position of each column.
 *
 *   resolveCaseColumns('cases.csv', 1, ['结算流水号', '机构编码', '性别', …])
 *   → {columns: {settlementId: 0, institutionId: 1, sex: 2, …}, errors: []}
 */
import {type InputError, inputError} from '../errors.js'

/** Canonical column → accepted header names (the first is the canonical English name). */
export const CASE_COLUMN_NAMES = {
  settlement_id: ['settlement_id', '结算流水号', '结算清单编号', '结算ID', '结算编号'],
  institution_id: ['institution_id', '定点医疗机构编码', '医疗机构编码', '机构编码', '定点机构编码'],
  sex: ['sex', '性别'],
  age_years: ['age_years', '年龄(岁)', '年龄'],
  age_days: ['age_days', '年龄(天)', '年龄天数', '年龄(日)'],
  birth_weight_g: ['birth_weight_g', '新生儿出生体重(克)', '新生儿出生体重', '出生体重(克)', '出生体重'],
  los_days: ['los_days', '住院天数', '实际住院天数'],
  discharge_mode: ['discharge_mode', '离院方式'],
  dx_codes: ['dx_codes', '诊断', '诊断编码'],
  px_codes: ['px_codes', '手术操作', '手术操作编码'],
  pdx_code: ['pdx_code', '主要诊断编码', '主诊断编码'],
  other_dx_codes: ['other_dx_codes', '其他诊断编码'],
  main_px_code: ['main_px_code', '主要手术操作编码', '主手术操作编码', '主手术编码'],
  other_px_codes: ['other_px_codes', '其他手术操作编码', '其他手术编码'],
  total_cost: ['total_cost', '医疗总费用', '总费用'],
} as const

export type CaseColumnName = keyof typeof CASE_COLUMN_NAMES

/** The largest whole numbers a case may hold, checked alike by `yb group` and `yb cases import`. */
export const CASE_INTEGER_MAX = {age_years: 150, age_days: 55_000, birth_weight_g: 20_000, los_days: 36_600} as const
/** The largest amount of one case, in 元 (as decimal text). */
export const CASE_AMOUNT_MAX_YUAN = '1000000000'

/**
 * The settlement columns of a case file (`yb cases import`) beyond the grouping ones. With
 * CASE_COLUMN_NAMES this is the one header dictionary of the case file: `yb group`, `yb cases
 * import` and the DIP history reader all accept the same names for the same column.
 */
export const SETTLEMENT_COLUMN_NAMES = {
  case_no: ['case_no', '病案号'],
  insurance_type: ['insurance_type', '医保类型', '险种', '参保险种'],
  insured_region: ['insured_region', '参保地'],
  admit_date: ['admit_date', '入院时间', '入院日期'],
  discharge_date: ['discharge_date', '出院时间', '出院日期', '结算日期'],
  fund_recorded: ['fund_recorded', '统筹基金记账', '统筹基金支付', '医院记帐'],
  self_pay_all: ['self_pay_all', '全自费'],
  self_pay_first: ['self_pay_first', '先行自付'],
  deductible: ['deductible', '起付线', '起付标准'],
  co_pay: ['co_pay', '按比例自付', '自付'],
  other_funds: ['other_funds', '其他基金', '大病保险', '其他基金支付'],
  payment_method: ['payment_method', '付费方式', '支付方式', '结算方式'],
  per_diem_category: ['per_diem_category', '床日病种', '床日类别', '床日付费病种'],
  department: ['department', '出院科别', '出院科室', '科室'],
  physician: ['physician', '主诊医师代码', '主诊医师', '主治医师代码'],
  person_id: ['person_id', '参保人编号', '个人编号', '人员编号', '参保人员编号'],
} as const

/** Every header name accepted for a column of the case file other than its canonical English name. */
export function caseColumnAliases(column: CaseColumnName | keyof typeof SETTLEMENT_COLUMN_NAMES): readonly string[] {
  const names: readonly string[] = column in CASE_COLUMN_NAMES ? CASE_COLUMN_NAMES[column as CaseColumnName] : SETTLEMENT_COLUMN_NAMES[column as keyof typeof SETTLEMENT_COLUMN_NAMES]
  return names.slice(1)
}

/** Where each column sits in a row (-1: absent). Diagnoses come from dx_codes, or from pdx_code + other_dx_codes. */
export type CaseColumns = Readonly<Record<CaseColumnName, number>>

/** Columns a grouping input must have (diagnoses and procedures in either of their two shapes). */
const REQUIRED: readonly CaseColumnName[] = ['settlement_id', 'institution_id', 'sex', 'age_years', 'age_days', 'birth_weight_g', 'los_days']

/** Full-width brackets and spaces differ between exports: compare names without them. */
export function normalizeHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase()
}

const LOOKUP = new Map<string, CaseColumnName>()
for (const [column, names] of Object.entries(CASE_COLUMN_NAMES) as [CaseColumnName, readonly string[]][]) {
  for (const name of names) LOOKUP.set(normalizeHeader(name), column)
}

export function resolveCaseColumns(file: string, line: number, header: readonly string[]): {columns: CaseColumns; errors: InputError[]} {
  const errors: InputError[] = []
  const columns = Object.fromEntries(Object.keys(CASE_COLUMN_NAMES).map((name) => [name, -1])) as Record<CaseColumnName, number>
  header.forEach((name, position) => {
    const column = LOOKUP.get(normalizeHeader(name))
    if (column === undefined) return
    if (columns[column] >= 0) {
      errors.push(inputError(file, line, name, 'header_column_duplicate', `"${name}" gives ${column} a second time (first as "${header[columns[column]]}")`))
      return
    }
    columns[column] = position
  })
  const missing: string[] = REQUIRED.filter((column) => columns[column] < 0)
  if (columns.dx_codes < 0 && columns.pdx_code < 0) missing.push('dx_codes')
  if (columns.px_codes < 0 && columns.main_px_code < 0) missing.push('px_codes')
  if (missing.length > 0) {
    errors.push(
      inputError(
        file,
        line,
        missing.join(','),
        'header_column_missing',
        `the header lacks ${missing.join(', ')}`,
        'see docs/case-format.md for the columns and their Chinese names',
      ),
    )
  }
  return {columns, errors}
}
