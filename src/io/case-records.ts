/**
 * Streams a settlement case file (the columns of `yb cases import`) as checked records, without a
 * workspace: each row's values are checked as the import checks them (numbers, dates, amounts,
 * codes), and a row that fails is reported with its errors, never dropped. Every record after
 * the header is counted once: recordsRead = records + unreadable + skipped (blank).
 *
 *   await readCaseRecords('cases.csv', 'utf-8', (record, line) => …, (line, errors) => …)
 *   → {recordsRead: 1000, records: 998, unreadable: 1, skipped: 1, sha256: '…'}
 */
import {createHash} from 'node:crypto'
import {assert, type InputError, inputError, InputErrors} from '../errors.js'
import {CASE_FILE_COLUMNS, checkRow, joinedCodes, type Layout, resolveLayout} from './columns.js'
import {CsvParser, isBlankRow} from './csv-reader.js'
import {readText, type TextEncoding} from './text-stream.js'

export interface CaseRecordsRead {
  readonly recordsRead: number
  readonly records: number
  readonly unreadable: number
  readonly skipped: number
  readonly sha256: string
}

export async function readCaseRecords(
  file: string,
  encoding: TextEncoding,
  onRecord: (record: Record<string, string>, line: number) => void,
  onUnreadable: (line: number, errors: readonly InputError[]) => void,
  onBytes?: (bytes: number) => void,
  /** Awaited after each chunk of the file: an output written as the records come can drain. */
  afterChunk?: () => Promise<void>,
): Promise<CaseRecordsRead> {
  const counts = {recordsRead: 0, records: 0, unreadable: 0, skipped: 0}
  let layout: Layout | undefined
  let width = 0
  let parser: CsvParser | undefined
  const bad = (line: number, errors: readonly InputError[]): void => {
    counts.unreadable++
    onUnreadable(line, errors)
  }
  parser = new CsvParser(
    (fields, line) => {
      if (isBlankRow(fields)) {
        if (layout !== undefined) {
          counts.recordsRead++
          counts.skipped++
        }
        return
      }
      if (layout === undefined) {
        const resolved = resolveLayout(CASE_FILE_COLUMNS, file, line, fields)
        if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
        layout = resolved.layout
        width = fields.length
        parser!.expectWidth(width)
        return
      }
      counts.recordsRead++
      if (fields.length !== width) return bad(line, [inputError(file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${width}`)])
      const errors: InputError[] = []
      const record = checkRow(CASE_FILE_COLUMNS, layout, fields, file, line, errors)
      if (record === undefined) return bad(line, errors)
      counts.records++
      onRecord({...record, ...joinedCodes(record)}, line)
    },
    (line, message, _raw, code) => {
      if (layout === undefined) throw new InputErrors([inputError(file, line, '', code, `the header: ${message}`)])
      counts.recordsRead++
      bad(line, [inputError(file, line, '', code, message)])
    },
  )
  const hash = createHash('sha256')
  for await (const text of readText(file, encoding, (bytes) => {
    hash.update(bytes)
    onBytes?.(bytes.length)
  })) {
    parser.push(text)
    await afterChunk?.()
  }
  parser.end()
  if (layout === undefined) throw new InputErrors([inputError(file, 1, '', 'header_missing', 'the file is empty; expected a header row')])
  assert(counts.recordsRead === counts.records + counts.unreadable + counts.skipped, `every record of ${file} is counted once`)
  return {...counts, sha256: hash.digest('hex')}
}
