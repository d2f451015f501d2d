/**
 * `yb group` as a function: stream a case file through a compiled scheme into a CSV or NDJSON
 * file, in input order, keeping every input column and adding mdc, adrg, drg, drg_name, status,
 * reason (and trace with explain). Memory stays flat: one 64 KiB chunk in, one out.
 *
 *   await groupFile({scheme, input: 'cases.csv', output: 'grouped.csv', format: 'csv', …})
 *   → {cases: 20000, byStatus: {grouped: 19716, qy: 0, ungroupable: 284, invalid: 0}, …}
 *
 * A malformed row (wrong column count, bad number) stops the run: the output file is removed
 * and every error is returned. With a rejects file, malformed rows go there with their reason
 * and the good rows are grouped.
 */
import {assert, type InputError, inputError, InputErrors} from '../errors.js'
import {resolveCaseColumns, type CaseColumns} from '../io/case-columns.js'
import {parseCaseRow} from '../io/case-row.js'
import {CsvParser, isBlankRow} from '../io/csv-reader.js'
import {ERRORS_KEPT_MAX, rejectHeader, rejectRow, unreadableRaw} from '../io/rejects.js'
import {csvField, csvLine, readText, type TextEncoding, TextOutput} from '../io/text-stream.js'
import type {CompiledScheme} from './compile-scheme.js'
import {type CompiledDip, type DipResult, type DipStatus, groupDip} from './dip-group.js'
import {groupCase, type GroupResult, type GroupStatus} from './group-case.js'
import {explainCase} from './trace.js'

export type OutputFormat = 'csv' | 'ndjson'
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'ndjson']

/** Columns that grouping adds; an input column of the same name is replaced. */
export const RESULT_COLUMNS = ['mdc', 'adrg', 'drg', 'drg_name', 'status', 'reason'] as const
export const TRACE_COLUMN = 'trace'
/** Columns that DIP grouping adds (after the DRG ones when both run). */
export const DIP_COLUMNS = ['dip_group', 'dip_type', 'dip_name', 'dip_score', 'dip_status', 'dip_reason'] as const
export const DIP_TRACE_COLUMN = 'dip_trace'

export interface GroupFileOptions {
  /** The DRG scheme; at least one of scheme and dip. */
  readonly scheme?: CompiledScheme
  readonly dip?: CompiledDip
  readonly input: string
  readonly output: string
  readonly format: OutputFormat
  readonly explain: boolean
  readonly encoding: TextEncoding
  readonly rejects?: string
  readonly onProgress?: (casesRead: number) => void
}

export interface GroupFileResult {
  readonly scheme: {readonly id: string; readonly sha256: string} | null
  readonly dip: {readonly id: string; readonly sha256: string} | null
  readonly input: string
  readonly output: string
  readonly format: OutputFormat
  /** Data records read (every record after the header): casesWritten + rowsRejected + rowsSkipped. */
  readonly rowsRead: number
  /** Blank records (empty lines, `,,,` rows): skipped, not grouped. */
  readonly rowsSkipped: number
  /** Cases written to the output (grouped, qy, ungroupable or invalid). */
  readonly casesWritten: number
  readonly byStatus: Record<GroupStatus, number>
  /** Cases per MDC among grouped and QY cases, in the scheme's MDC order. */
  readonly byMdc: Record<string, number>
  /** DIP: cases per status and per group type (core, basic, comprehensive). */
  readonly byDipStatus: Record<DipStatus, number>
  readonly byDipType: Record<string, number>
  /** Malformed rows: written to the rejects file when one was given, else the run failed. */
  readonly rowsRejected: number
  readonly rejects: string | null
  /** The first ERRORS_KEPT_MAX input errors; errorCount counts them all. */
  readonly errors: readonly InputError[]
  readonly errorCount: number
  readonly completed: boolean
}

export async function groupFile(options: GroupFileOptions): Promise<GroupFileResult> {
  const {scheme, dip, input, format} = options
  if (scheme === undefined && dip === undefined) throw new RangeError('groupFile needs a DRG scheme or a DIP catalog')
  const file = input === '-' ? 'stdin' : input
  const byStatus: Record<GroupStatus, number> = {grouped: 0, qy: 0, ungroupable: 0, invalid: 0}
  const byMdc: Record<string, number> = Object.fromEntries((scheme?.mdcs ?? []).map((mdc) => [mdc.row.mdc, 0]))
  const byDipStatus: Record<DipStatus, number> = {grouped: 0, ungroupable: 0, invalid: 0}
  const byDipType: Record<string, number> = {core: 0, basic: 0, comprehensive: 0}
  const errors: InputError[] = []
  let errorCount = 0
  let rowsRead = 0
  let rowsRejected = 0
  let rowsSkipped = 0
  let casesWritten = 0
  let layout: Layout | undefined
  let failed = false

  const inputFile = {path: input, what: 'the input file'}
  const output = new TextOutput(options.output, '--out', [inputFile, ...(options.rejects === undefined ? [] : [{path: options.rejects, what: 'the rejects file'}])])
  const rejects = options.rejects === undefined ? undefined : new TextOutput(options.rejects, '--rejects', [inputFile, {path: options.output, what: 'the output file'}])
  const keep = (error: InputError): void => {
    errorCount++
    if (errors.length < ERRORS_KEPT_MAX) errors.push(error)
  }
  const rowErrors: InputError[] = []

  const reject = (raw: string): void => {
    rowsRejected++
    for (const error of rowErrors) keep(error)
    if (rejects === undefined) failed = true
    else rejects.write(rejectRow(raw, rowErrors))
  }
  const onRow = (fields: string[], line: number, raw: string): void => {
    if (isBlankRow(fields)) {
      if (layout !== undefined) {
        rowsRead++
        rowsSkipped++
      }
      return
    }
    if (layout === undefined) {
      const resolved = resolveCaseColumns(file, line, fields)
      if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
      layout = makeLayout(fields, resolved.columns, options.explain, scheme !== undefined, dip !== undefined)
      parser.expectWidth(fields.length)
      output.write(format === 'csv' ? csvLine(layout.outputHeader) : '')
      rejects?.write(rejectHeader(fields))
      return
    }
    rowsRead++
    rowErrors.length = 0
    const groupInput =
      fields.length === layout.width
        ? parseCaseRow(layout.columns, fields, file, line, rowErrors)
        : (rowErrors.push(inputError(file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${layout.width}`)), undefined)
    if (groupInput === undefined) {
      reject(raw)
      return
    }
    if (failed) return
    let drg: Grouped | undefined
    if (scheme !== undefined) {
      const result = groupCase(scheme, groupInput)
      byStatus[result.status]++
      if (result.mdc !== '' && result.status !== 'ungroupable') byMdc[result.mdc] = (byMdc[result.mdc] ?? 0) + 1
      drg = {result, trace: options.explain ? explainCase(scheme, groupInput, result) : undefined}
    }
    let dipGrouped: DipGrouped | undefined
    if (dip !== undefined) {
      const trace: string[] | undefined = options.explain ? [] : undefined
      const costAt = layout.columns.total_cost
      const result = groupDip(dip, dip.tieBreak === 'CLOSEST_COST' && costAt >= 0 ? {...groupInput, costYuan: (fields[costAt] ?? '').trim()} : groupInput, trace)
      byDipStatus[result.status]++
      if (result.type !== '') byDipType[result.type]!++
      dipGrouped = {result, trace}
    }
    output.write(format === 'csv' ? csvRow(layout, fields, raw, drg, dipGrouped) : ndjsonRow(layout, fields, drg, dipGrouped))
    casesWritten++
  }
  const parser = new CsvParser(onRow, (line, message, raw, code) => {
    if (layout === undefined) throw new InputErrors([inputError(file, line, '', code, `the header: ${message}`)])
    rowsRead++
    rowErrors.length = 0
    rowErrors.push(inputError(file, line, '', code, message))
    reject(unreadableRaw(raw, layout.width))
  })

  try {
    for await (const text of readText(input, options.encoding)) {
      parser.push(text)
      if (!failed) await output.flushIfFull()
      await rejects?.flushIfFull()
      options.onProgress?.(rowsRead)
    }
    parser.end()
    if (layout === undefined) throw new InputErrors([inputError(file, 1, '', 'header_missing', 'the file is empty; expected a header row of the case format')])
    assert(failed || rowsRead === casesWritten + rowsRejected + rowsSkipped, `every record of ${file} is counted once`)
  } catch (error) {
    await output.abandon()
    await rejects?.abandon()
    throw error
  }
  if (failed) await output.abandon()
  else await output.commit()
  await rejects?.commit()
  return {
    scheme: scheme === undefined ? null : {id: scheme.id, sha256: scheme.sha256},
    dip: dip === undefined ? null : {id: dip.id, sha256: dip.sha256},
    input,
    output: options.output,
    format,
    rowsRead,
    rowsSkipped,
    casesWritten,
    byStatus,
    byMdc,
    byDipStatus,
    byDipType,
    rowsRejected,
    rejects: options.rejects ?? null,
    errors,
    errorCount,
    completed: !failed,
  }
}

interface Grouped {
  readonly result: GroupResult
  readonly trace: readonly string[] | undefined
}

interface DipGrouped {
  readonly result: DipResult
  readonly trace: readonly string[] | undefined
}

interface Layout {
  readonly columns: CaseColumns
  readonly width: number
  readonly header: readonly string[]
  /** Input positions copied to the output (all of them unless some share a result column's name). */
  readonly kept: readonly number[]
  /** True when every input column is kept, so the raw line can be copied as it is. */
  readonly copyRaw: boolean
  readonly outputHeader: readonly string[]
}

function makeLayout(header: readonly string[], columns: CaseColumns, explain: boolean, drg: boolean, dip: boolean): Layout {
  const added: string[] = [
    ...(drg ? [...RESULT_COLUMNS, ...(explain ? [TRACE_COLUMN] : [])] : []),
    ...(dip ? [...DIP_COLUMNS, ...(explain ? [DIP_TRACE_COLUMN] : [])] : []),
  ]
  const kept = header.map((_, k) => k).filter((k) => !added.includes(header[k]!.trim()))
  return {
    columns,
    width: header.length,
    header,
    kept,
    copyRaw: kept.length === header.length,
    outputHeader: [...kept.map((k) => header[k]!), ...added],
  }
}

function csvRow(layout: Layout, fields: readonly string[], raw: string, drg: Grouped | undefined, dip: DipGrouped | undefined): string {
  let line = layout.copyRaw ? raw : layout.kept.map((k) => csvField(fields[k]!)).join(',')
  if (drg !== undefined) {
    const result = drg.result
    line += `,${result.mdc},${result.adrg},${result.drg},${csvField(result.drgName)},${result.status},${csvField(result.reason)}`
    if (drg.trace !== undefined) line += `,${csvField(drg.trace.join(' → '))}`
  }
  if (dip !== undefined) {
    const result = dip.result
    line += `,${result.group},${result.type},${csvField(result.name)},${result.score},${result.status},${csvField(result.reason)}`
    if (dip.trace !== undefined) line += `,${csvField(dip.trace.join(' → '))}`
  }
  return `${line}\n`
}

function ndjsonRow(layout: Layout, fields: readonly string[], drg: Grouped | undefined, dip: DipGrouped | undefined): string {
  const record: Record<string, unknown> = {}
  for (const k of layout.kept) record[layout.header[k]!] = fields[k]
  if (drg !== undefined) {
    const result = drg.result
    record.mdc = result.mdc
    record.adrg = result.adrg
    record.drg = result.drg
    record.drg_name = result.drgName
    record.status = result.status
    record.reason = result.reason
    if (drg.trace !== undefined) record[TRACE_COLUMN] = drg.trace
  }
  if (dip !== undefined) {
    const result = dip.result
    record.dip_group = result.group
    record.dip_type = result.type
    record.dip_name = result.name
    record.dip_score = result.score
    record.dip_status = result.status
    record.dip_reason = result.reason
    if (dip.trace !== undefined) record[DIP_TRACE_COLUMN] = dip.trace
  }
  return `${JSON.stringify(record)}\n`
}
