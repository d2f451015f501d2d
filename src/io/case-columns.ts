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
