/**
 * A history file of discharges (the case format with total_cost; an optional institution_level
 * column), read case by case for the builds from history (yb dip build, yb weights build). A
 * malformed row stops the build with its file, row and column.
 *
 *   await readHistory('2024.csv', 'utf-8', ({groupCase, costFen, level}) => …)
 */
import {parseFen} from '../clearing/fen.js'
import {type InputError, inputError, InputErrors} from '../errors.js'
import type {GroupCase} from '../grouper/case-view.js'
import {normalizeHeader, resolveCaseColumns} from '../io/case-columns.js'
import {parseCaseRow} from '../io/case-row.js'
import {CsvParser, isBlankRow} from '../io/csv-reader.js'
import {ERRORS_KEPT_MAX} from '../io/rejects.js'
import {readText, type TextEncoding} from '../io/text-stream.js'

export interface HistoryRow {
  readonly groupCase: GroupCase
  /** 医疗总费用 in 分. */
  readonly costFen: number
  readonly level: string
}

const LEVEL_HEADERS = new Set(['institution_level', '医院等级', '机构等级', '医疗机构等级'].map(normalizeHeader))

/** Reads one history file: a malformed row stops the build with its file, row and column. */
/** `onNoPrincipal`: a case without a principal diagnosis is counted there and left out (weights build), instead of stopping the build (dip build). */
export async function readHistory(file: string, encoding: TextEncoding, onCase: (c: HistoryRow) => void, onNoPrincipal?: () => void): Promise<void> {
  const errors: InputError[] = []
  let errorCount = 0
  let columns: ReturnType<typeof resolveCaseColumns>['columns'] | undefined
  let levelAt = -1
  let width = 0
  const rowErrors: InputError[] = []
  const parser = new CsvParser(
    (fields, line) => {
      if (isBlankRow(fields)) return
      if (columns === undefined) {
        const resolved = resolveCaseColumns(file, line, fields)
        if (resolved.columns.total_cost < 0) resolved.errors.push(inputError(file, line, 'total_cost', 'header_column_missing', 'a history file needs total_cost (医疗总费用)'))
        if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
        columns = resolved.columns
        levelAt = fields.findIndex((name) => LEVEL_HEADERS.has(normalizeHeader(name)))
        width = fields.length
        parser.expectWidth(width)
        return
      }
      rowErrors.length = 0
      if (fields.length !== width) rowErrors.push(inputError(file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${width}`))
      const parsed = rowErrors.length === 0 ? parseCaseRow(columns, fields, file, line, rowErrors) : undefined
      if (parsed !== undefined && parsed.dx.length === 0 && onNoPrincipal !== undefined) {
        onNoPrincipal()
        return
      }
      if (parsed === undefined || parsed.dx.length === 0) {
        if (parsed !== undefined) rowErrors.push(inputError(file, line, 'dx_codes', 'value_required', 'a history case needs its principal diagnosis'))
        errorCount += rowErrors.length
        for (const error of rowErrors) if (errors.length < ERRORS_KEPT_MAX) errors.push(error)
        return
      }
      const cost = fields[columns.total_cost]!.trim()
      onCase({groupCase: parsed, costFen: parseFen(cost.includes('.') ? cost.padEnd(cost.indexOf('.') + 3, '0') : `${cost}.00`), level: levelAt >= 0 ? (fields[levelAt] ?? '').trim() : ''})
    },
    (line, message, _raw, code) => {
      errorCount++
      if (errors.length < ERRORS_KEPT_MAX) errors.push(inputError(file, line, '', code, message))
    },
  )
  for await (const text of readText(file, encoding)) parser.push(text)
  parser.end()
  if (columns === undefined) throw new InputErrors([inputError(file, 1, '', 'header_missing', 'the file is empty; expected a header row of the case format')])
  if (errorCount > 0) throw new InputErrors(errors, errorCount)
}
