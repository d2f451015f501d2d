/**
 * Reads a small CSV file into validated records, collecting every error as file:line:column.
 *
 *   readTable('cc.csv', text, ['code', 'level'], rowSchema)
 *   → {rows: [{line: 2, value: {code: 'A01.100', level: 'MCC'}}], errors: []}
 *
 * Columns beyond the required ones are allowed and ignored; a missing one is an error for the
 * whole file. Each record is checked by a zod schema; each failing field is one error.
 */
import type {z} from 'zod'
import {type InputError, inputError} from '../errors.js'
import {normalizeHeader} from './case-columns.js'
import {parseCsvText} from './csv-reader.js'

export interface TableRow<T> {
  readonly line: number
  readonly value: T
}

export interface Table<T> {
  readonly rows: TableRow<T>[]
  readonly errors: InputError[]
}

export function readTable<S extends z.ZodType<Record<string, unknown>>>(
  file: string,
  text: string,
  columns: readonly string[],
  schema: S,
  /** Other header names a column may have (Chinese ones), compared as normalizeHeader does. */
  aliases: Readonly<Record<string, readonly string[]>> = {},
): Table<z.output<S>> {
  const rows: TableRow<z.output<S>>[] = []
  const errors: InputError[] = []
  const parsed = parseCsvText(text)
  for (const error of parsed.errors) errors.push(inputError(file, error.line, '', error.code, error.message))
  const [header, ...body] = parsed.rows
  if (header === undefined) {
    errors.push(inputError(file, 1, '', 'header_missing', `the file is empty; expected a header row: ${columns.join(',')}`))
    return {rows, errors}
  }
  const names = header.fields.map((name) => name.trim())
  const normalized = names.map(normalizeHeader)
  const positionOf = (column: string): number => {
    const exact = names.indexOf(column)
    return exact >= 0 ? exact : normalized.findIndex((name) => (aliases[column] ?? []).some((alias) => normalizeHeader(alias) === name))
  }
  const missing = columns.filter((column) => positionOf(column) < 0)
  if (missing.length > 0) {
    errors.push(
      inputError(file, header.line, missing.join(','), 'header_column_missing', `the header lacks ${missing.join(', ')}`, `expected ${columns.join(',')}`),
    )
    return {rows, errors}
  }
  const indexes = columns.map(positionOf)
  for (const row of body) {
    if (row.fields.length !== names.length) {
      errors.push(
        inputError(file, row.line, '', 'column_count', `the row has ${row.fields.length} fields but the header has ${names.length}`),
      )
      continue
    }
    const record: Record<string, string> = {}
    for (let k = 0; k < columns.length; k++) record[columns[k]!] = row.fields[indexes[k]!]!.trim()
    const result = schema.safeParse(record)
    if (result.success) {
      rows.push({line: row.line, value: result.data})
      continue
    }
    for (const issue of result.error.issues) {
      const column = String(issue.path[0] ?? '')
      const found = column in record ? ` (found "${record[column]}")` : ''
      errors.push(inputError(file, row.line, column, 'value_not_allowed', `${issue.message}${found}`))
    }
  }
  return {rows, errors}
}
