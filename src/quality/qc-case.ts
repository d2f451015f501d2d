/**
 * One settlement case as the quality rules see it (docs/quality.md): every field a number, NaN
 * when the case does not give it, so that a comparison with a value that is not there is false.
 * Amounts are integer 分; dates become `date_days` (discharge − admission) and `los_date_gap`.
 *
 *   qcFieldsOf({sex: '1', age_years: '60', los_days: '8', admit_date: '2025-03-01', discharge_date: '2025-03-09', total_cost: '9000.00', dx_codes: 'I63.900', …})
 *   → {fields: Float64Array [1, 60, …, 8 (date_days), 0 (los_date_gap), 900000, …], dx: ['I63.900'], px: []}
 */
import {parseFen} from '../clearing/fen.js'
import {parseSex} from '../io/case-row.js'

/** The fields of the quality-rule language, in the order of QcCase.fields. */
export const QC_FIELDS = [
  'sex',
  'age_years',
  'age_days',
  'birth_weight_g',
  'los_days',
  'discharge_mode',
  'date_days',
  'los_date_gap',
  'total_cost',
  'fund_recorded',
  'self_pay_all',
  'self_pay_first',
  'deductible',
  'co_pay',
  'other_funds',
  'cost_parts',
  'dx_count',
  'px_count',
  'dx_repeats',
  'px_repeats',
  'unknown_dx',
  'unknown_px',
] as const
export type QcField = (typeof QC_FIELDS)[number]

/** Fields whose values are amounts: compared in 分, written in 元 in a rule (`total_cost > 100000.00`). */
export const QC_MONEY_FIELDS: ReadonlySet<string> = new Set(['total_cost', 'fund_recorded', 'self_pay_all', 'self_pay_first', 'deductible', 'co_pay', 'other_funds', 'cost_parts'])
/** Fields only a scheme's code dictionary can give: without one the rules that read them are not run. */
export const QC_DICTIONARY_FIELDS: ReadonlySet<string> = new Set(['unknown_dx', 'unknown_px'])

const AT = Object.fromEntries(QC_FIELDS.map((name, k) => [name, k])) as Record<QcField, number>
export function fieldIndex(field: string): number {
  return AT[field as QcField] ?? -1
}

const PART_COLUMNS = ['fund_recorded', 'self_pay_all', 'self_pay_first', 'deductible', 'co_pay', 'other_funds'] as const
const MONEY_COLUMNS = ['total_cost', ...PART_COLUMNS] as const

/** The case columns a rule reads, as stored or as checked from a case file. */
export type QcRecord = Readonly<Partial<Record<'sex' | 'age_years' | 'age_days' | 'birth_weight_g' | 'los_days' | 'discharge_mode' | 'admit_date' | 'discharge_date' | 'dx_codes' | 'px_codes' | (typeof MONEY_COLUMNS)[number], string>>>

/** A scheme's code dictionary: whether it knows a diagnosis or a procedure code. */
export interface QcDictionary {
  hasDx(code: string): boolean
  hasPx(code: string): boolean
}

/**
 * A case as the checker holds it: valid until its next caseOf, which reuses the buffers (a million
 * cases allocate a million code lists, not a million typed arrays).
 */
export interface QcCase {
  readonly fields: Float64Array
  readonly dx: readonly string[]
  readonly px: readonly string[]
  /** Per code, in [0, dxCount), the id of its entry in the checker's code table (src/quality/qc-compile.ts): its lists and whether the dictionary knows it. */
  readonly dxIds: Int32Array
  readonly dxCount: number
  readonly pxIds: Int32Array
  readonly pxCount: number
}

const DAY_MS = 86_400_000

function dayNumber(iso: string): number {
  if (iso.length < 10) return Number.NaN
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS
}

function whole(text: string | undefined): number {
  return text === undefined || text === '' ? Number.NaN : Number(text)
}

function codes(joined: string | undefined): string[] {
  if (joined === undefined || joined === '') return []
  const parts = joined.split('|')
  for (const part of parts) {
    if (part === '' || part.charCodeAt(0) <= 32 || part.charCodeAt(part.length - 1) <= 32) return parts.map((code) => code.trim()).filter((code) => code !== '')
  }
  return parts
}

/**
 * The fields of a case into `f` (the repeats and the dictionary counts are the checker's, which
 * has the codes' ids: use CompiledQc.caseOf). The values must have passed their column checks
 * (canonical amounts, ISO dates, whole numbers).
 */
export function qcFieldsOf(record: QcRecord, f: Float64Array): {dx: string[]; px: string[]} {
  const sex = parseSex(record.sex ?? '')
  f[AT.sex] = sex === undefined || sex === 0 ? Number.NaN : sex
  f[AT.age_years] = whole(record.age_years)
  f[AT.age_days] = whole(record.age_days)
  f[AT.birth_weight_g] = whole(record.birth_weight_g)
  f[AT.los_days] = whole(record.los_days)
  f[AT.discharge_mode] = whole(record.discharge_mode)
  const dateDays = dayNumber(record.discharge_date ?? '') - dayNumber(record.admit_date ?? '')
  f[AT.date_days] = dateDays
  f[AT.los_date_gap] = f[AT.los_days]! - dateDays
  let parts = 0
  for (const column of MONEY_COLUMNS) {
    const text = record[column]
    const fen = text === undefined || text === '' ? Number.NaN : parseFen(text)
    f[AT[column]] = fen
    if (column !== 'total_cost' && !Number.isNaN(fen)) parts += fen
  }
  f[AT.cost_parts] = parts
  const dx = codes(record.dx_codes)
  const px = codes(record.px_codes)
  f[AT.dx_count] = dx.length
  f[AT.px_count] = px.length
  f[AT.unknown_dx] = Number.NaN
  f[AT.unknown_px] = Number.NaN
  return {dx, px}
}

/** A field's value as a person reads it: 元 for amounts, blank when not given. */
export function fieldText(qcCase: QcCase, field: string): string {
  const value = qcCase.fields[fieldIndex(field)]!
  if (Number.isNaN(value)) return '(blank)'
  if (!QC_MONEY_FIELDS.has(field)) return String(value)
  const sign = value < 0 ? '-' : ''
  const fen = Math.abs(value)
  return `${sign}${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}
