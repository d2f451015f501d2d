/**
 * The rows `yb group` writes: the output's columns (every input column kept, the result columns
 * added) and one case's CSV line or NDJSON record.
 */
import type {CaseColumns} from '../io/case-columns.js'
import {csvField} from '../io/text-stream.js'
import type {DipResult} from './dip-group.js'
import type {GroupResult} from './group-case.js'

/** Columns that grouping adds; an input column of the same name is replaced. */
export const RESULT_COLUMNS = ['mdc', 'adrg', 'drg', 'drg_name', 'status', 'reason'] as const
export const TRACE_COLUMN = 'trace'
/** Columns that DIP grouping adds (after the DRG ones when both run). */
export const DIP_COLUMNS = ['dip_group', 'dip_type', 'dip_name', 'dip_score', 'dip_status', 'dip_reason'] as const
export const DIP_TRACE_COLUMN = 'dip_trace'

export interface Grouped {
  readonly result: GroupResult
  readonly trace: readonly string[] | undefined
}

export interface DipGrouped {
  readonly result: DipResult
  readonly trace: readonly string[] | undefined
}

export interface Layout {
  readonly columns: CaseColumns
  readonly width: number
  readonly header: readonly string[]
  /** Input positions copied to the output (all of them unless some share a result column's name). */
  readonly kept: readonly number[]
  /** True when every input column is kept, so the raw line can be copied as it is. */
  readonly copyRaw: boolean
  readonly outputHeader: readonly string[]
}

export function makeLayout(header: readonly string[], columns: CaseColumns, explain: boolean, drg: boolean, dip: boolean): Layout {
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

export function csvRow(layout: Layout, fields: readonly string[], raw: string, drg: Grouped | undefined, dip: DipGrouped | undefined): string {
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

export function ndjsonRow(layout: Layout, fields: readonly string[], drg: Grouped | undefined, dip: DipGrouped | undefined): string {
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
