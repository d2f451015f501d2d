/**
 * `yb reconcile verify`: an institution's returned case-detail file (CSV in UTF-8 or GB18030, or
 * .xlsx; Chinese or English headers) against the period's current run in the workspace, case by
 * case: missing (in the run, not in the file), extra (in the file, not in the run), changed
 * (group, 结算金额 or 统筹基金应支付 differ), and repeated ids. An .xlsx statement with a 汇总 sheet
 * also has its own check equations evaluated on its figures, so an edited total is reported.
 *
 *   verifyReturn(db, {file: 'H001_明细.csv', period: {kind: 'pay', period: '2025-03'}})
 *   → {differences: [{settlementId: 'S7', kind: 'changed', field: '统筹基金应支付', workspace: '10993.33', file: '10993.30', row: 3}], …}
 */
import {readFileSync} from 'node:fs'
import {extname} from 'node:path'
import iconv from 'iconv-lite'
import {CORRECTION_LINES, summedColumns} from '../clearing/equations.js'
import {DetailTotals} from '../clearing/detail-totals.js'
import {parseFen} from '../clearing/fen.js'
import {inputError, InputErrors} from '../errors.js'
import {normalizeHeader} from '../io/case-columns.js'
import {parseCsvText} from '../io/csv-reader.js'
import {refuseUtf16, spreadsheetText, type TextEncoding} from '../io/text-stream.js'
import {readXlsx} from '../io/xlsx.js'
import type {Db} from '../store/db.js'
import {periodState, type SettlementPeriod} from '../store/runs.js'
import {equations, evaluate, type EvaluatedCheck, fenOfCell} from './statement.js'

export interface VerifyOptions {
  readonly file: string
  readonly period: SettlementPeriod
  readonly institution?: string
  /** Without it: a BOM or valid UTF-8 is UTF-8, anything else GB18030. */
  readonly encoding?: TextEncoding
}

export type DifferenceKind = 'missing' | 'extra' | 'changed' | 'repeated'

export interface Difference {
  readonly settlementId: string
  readonly kind: DifferenceKind
  /** For changed: the column that differs. */
  readonly field: string
  readonly workspace: string
  readonly file: string
  /** The file's row (1 = header); 0 for a missing case. */
  readonly row: number
}

export interface VerifyResult {
  readonly file: string
  readonly kind: 'pay' | 'clear'
  readonly period: string
  readonly runId: number
  readonly institutions: readonly string[]
  readonly casesInFile: number
  readonly casesInRun: number
  readonly matched: number
  readonly counts: Readonly<Record<DifferenceKind, number>>
  readonly differences: readonly Difference[]
  /** The 汇总 sheet's own check equations (xlsx statements only); failed ones are differences too. */
  readonly fileChecks: readonly EvaluatedCheck[]
  readonly ok: boolean
}

const COLUMNS: Record<'id' | 'institution' | 'group' | 'adjusted' | 'fund' | 'pool', readonly string[]> = {
  id: ['结算流水号', 'settlement_id', '结算清单编号', '结算ID'],
  institution: ['机构编码', 'institution_id', '定点医疗机构编码', '医疗机构编码'],
  group: ['病组编码', 'drg', 'group', '病种编码', 'dip_group', 'DRG编码'],
  adjusted: ['结算金额', 'adjusted_yuan'],
  fund: ['统筹基金应支付', 'fund_yuan', '基金支付', '统筹基金支付'],
  pool: ['险种', 'pool', 'insurance_type', '医保类型'],
}

/** A table as rows of text with the file row number of each. */
interface Table {
  readonly rows: readonly {readonly fields: readonly string[]; readonly line: number}[]
}

export function verifyReturn(db: Db, options: VerifyOptions): VerifyResult {
  const {kind, period} = options.period
  const {runId} = periodState(db, kind, period)
  if (runId === null) throw new InputErrors([inputError(period, 0, '', 'reference_unknown', `${kind} ${period} has no run to verify against`)])
  const {detail, summary} = readReturned(options.file, options.encoding)
  if (detail.rows.length === 0) throw new InputErrors([inputError(options.file, 1, '', 'header_missing', 'the file is empty; expected a header row with 结算流水号')])
  const header = detail.rows[0]!.fields.map(normalizeHeader)
  const position = (names: readonly string[]) => {
    for (const name of names) {
      const k = header.indexOf(normalizeHeader(name))
      if (k >= 0) return k
    }
    return -1
  }
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([key, names]) => [key, position(names)])) as Record<keyof typeof COLUMNS, number>
  if (at.id < 0) throw new InputErrors([inputError(options.file, detail.rows[0]!.line, '结算流水号', 'header_column_missing', 'the header has no 结算流水号 (settlement_id) column')])
  if (at.group < 0 && at.fund < 0 && at.adjusted < 0) {
    throw new InputErrors([inputError(options.file, detail.rows[0]!.line, '统筹基金应支付', 'header_column_missing', 'the header has none of 病组编码, 结算金额, 统筹基金应支付: nothing to compare')])
  }
  // Correction lines (冲正 / 补退) are not cases of the run: the file's own equations hold them to its totals.
  const typeAt = header.indexOf(normalizeHeader('结算类型'))
  const body = detail.rows.slice(1).filter((r) => r.fields.some((f) => f.trim() !== '') && !(typeAt >= 0 && CORRECTION_LINES.has((r.fields[typeAt] ?? '').trim())))
  const institutions = options.institution !== undefined ? [options.institution] : at.institution >= 0 ? [...new Set(body.map((r) => r.fields[at.institution]!.trim()))].sort() : []
  if (institutions.length === 0) throw new InputErrors([inputError(options.file, detail.rows[0]!.line, '机构编码', 'header_column_missing', 'the file does not say its institution', 'give --institution <id>')])

  const inRun = new Map<string, {institution: string; group: string; adjusted: string; fund: string; pool: string}>()
  const select = db.prepare('SELECT settlement_id, institution_id, drg, adjusted_yuan, fund_yuan, pool FROM run_case WHERE run_id = ? AND institution_id = ?').raw(true)
  for (const institution of institutions) {
    for (const [id, inst, group, adjusted, fund, pool] of select.iterate(runId, institution) as IterableIterator<string[]>) inRun.set(id!, {institution: inst!, group: group!, adjusted: adjusted!, fund: fund!, pool: pool!})
  }
  const differences: Difference[] = []
  const seen = new Map<string, number>()
  let matched = 0
  for (const {fields, line} of body) {
    const id = (fields[at.id] ?? '').trim()
    const earlier = seen.get(id)
    if (earlier !== undefined) {
      differences.push({settlementId: id, kind: 'repeated', field: '结算流水号', workspace: '', file: `also on row ${earlier}`, row: line})
      continue
    }
    seen.set(id, line)
    const stored = inRun.get(id)
    if (stored === undefined) {
      differences.push({settlementId: id, kind: 'extra', field: '', workspace: '', file: at.fund >= 0 ? (fields[at.fund] ?? '') : '', row: line})
      continue
    }
    const before = differences.length
    if (at.group >= 0 && (fields[at.group] ?? '').trim() !== stored.group) differences.push({settlementId: id, kind: 'changed', field: '病组编码', workspace: stored.group, file: (fields[at.group] ?? '').trim(), row: line})
    for (const [column, field, value] of [[at.adjusted, '结算金额', stored.adjusted], [at.fund, '统筹基金应支付', stored.fund]] as const) {
      if (column < 0) continue
      const fen = fenOfCell(fields[column])
      if (fen === undefined || fen !== parseFen(value)) differences.push({settlementId: id, kind: 'changed', field, workspace: value, file: (fields[column] ?? '').trim(), row: line})
    }
    if (differences.length === before) matched++
  }
  for (const [id, stored] of [...inRun].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!seen.has(id)) differences.push({settlementId: id, kind: 'missing', field: '', workspace: stored.fund, file: '', row: 0})
  }
  const fileChecks = summary === undefined ? [] : checkSummary(db, runId, kind, summary, detail)
  const counts = {missing: 0, extra: 0, changed: 0, repeated: 0}
  for (const d of differences) counts[d.kind]++
  return {
    file: options.file,
    kind,
    period,
    runId,
    institutions,
    casesInFile: seen.size,
    casesInRun: inRun.size,
    matched,
    counts,
    differences,
    fileChecks,
    ok: differences.length === 0 && fileChecks.every((c) => c.holds),
  }
}

/** The 明细 (and 汇总 of an .xlsx statement) of a returned file. */
function readReturned(file: string, encoding: TextEncoding | undefined): {detail: Table; summary?: Table} {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    throw new InputErrors([inputError(file, 0, '', 'file_missing', `cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`)])
  }
  if (extname(file).toLowerCase() === '.xlsx') {
    const sheets = readXlsx(bytes, file)
    const table = (rows: string[][]): Table => ({rows: rows.map((fields, k) => ({fields, line: k + 1}))})
    const detailName = sheets.has('明细') ? '明细' : [...sheets.keys()].find((name) => sheets.get(name)![0]?.some((h) => COLUMNS.id.includes(h.trim())))
    if (detailName === undefined) throw new InputErrors([inputError(file, 0, '', 'header_missing', 'no sheet has a 结算流水号 column (expected a 明细 sheet)')])
    return {detail: table(sheets.get(detailName)!), ...(sheets.has('汇总') ? {summary: table(sheets.get('汇总')!)} : {})}
  }
  const text = decodeText(bytes, encoding, file)
  const parsed = parseCsvText(text)
  if (parsed.errors.length > 0) throw new InputErrors(parsed.errors.map((e) => inputError(file, e.line, '', e.code, e.message)))
  return {detail: {rows: parsed.rows.map((row) => ({...row, fields: row.fields.map(spreadsheetText)}))}}
}

function decodeText(bytes: Buffer, encoding: TextEncoding | undefined, file: string): string {
  refuseUtf16(bytes, file)
  if (encoding === 'gb18030') return iconv.decode(bytes, 'gb18030')
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3)
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch (error) {
    if (encoding === 'utf-8') throw error
    return iconv.decode(bytes, 'gb18030')
  }
}

/** The statement's equations on the file's own 汇总 and 明细 figures. */
function checkSummary(db: Db, runId: number, kind: 'pay' | 'clear', summary: Table, detail: Table): EvaluatedCheck[] {
  const result = JSON.parse((db.prepare('SELECT result_json FROM run WHERE run_id = ?').get(runId) as {result_json: string}).result_json) as {roundingStage: 'CASE' | 'INSTITUTION'}
  const linesRow = db.prepare('SELECT lines_json FROM run_institution WHERE run_id = ? LIMIT 1').get(runId) as {lines_json: string} | undefined
  const lines = kind === 'clear' && linesRow !== undefined ? (JSON.parse(linesRow.lines_json) as {lines: {label: string; sign: number}[]}).lines : []
  const rowEquations = equations(kind === 'pay' ? 'monthly' : 'yearly', result.roundingStage, lines)
  const records = (table: Table) => {
    const [head, ...rows] = table.rows
    return rows.filter((r) => r.fields.some((f) => f !== '')).map((r) => Object.fromEntries((head?.fields ?? []).map((h, k) => [h.trim(), r.fields[k] ?? ''])))
  }
  const detailHeaders = (detail.rows[0]?.fields ?? []).map((h) => h.trim())
  const pool = detailHeaders.indexOf('险种')
  const totals = new Map<string, DetailTotals>()
  for (const row of detail.rows.slice(1)) {
    if (row.fields.every((f) => f === '')) continue
    const key = row.fields[pool] ?? ''
    const pooled = totals.get(key) ?? new DetailTotals(detailHeaders, {sums: summedColumns(rowEquations)})
    pooled.add(row.fields)
    totals.set(key, pooled)
  }
  return records(summary).flatMap((row) =>
    evaluate(rowEquations, {summary: row, details: totals.get(row['险种'] ?? '') ?? new DetailTotals(detailHeaders, {sums: summedColumns(rowEquations)})}).map((c) => ({...c, name: `${row['机构编码'] ?? ''} ${row['险种'] ?? ''} ${c.name}`})),
  )
}

