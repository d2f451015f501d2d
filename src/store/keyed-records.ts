/**
 * The records of a keyed import's file, read and checked, in file order: the header, each blank
 * record, each record rejected with its reasons, and each good one as the row it stores (its
 * values in the table's column order and its row hash). importKeyedFile applies them to the
 * table in this thread, or a worker (import-worker.ts) prepares them while it does.
 *
 *   await prepareFile(plan, 'utf-8', (record) => …) → {sha256: '…', headerSeen: true}
 *   record → {kind: 'row', line: 2, raw: 'S1,H001,…', values: ['S1', '2025-03', …], hash: '9f2c…'}
 */
import {createHash, hash as sha256Hex} from 'node:crypto'
import {type InputError, inputError, InputErrors} from '../errors.js'
import {type ColumnSpec, checkRow, type Layout, resolveLayout} from '../io/columns.js'
import {CsvParser, isBlankRow} from '../io/csv-reader.js'
import {unreadableRaw} from '../io/rejects.js'
import {readText, type TextEncoding} from '../io/text-stream.js'

export interface KeyedTable {
  readonly name: string
  /** Key columns, in the table; fixed ones (such as the year) come from `fixed`. */
  readonly key: readonly string[]
  /** Every stored column but row_hash. */
  readonly columns: readonly string[]
  /** Columns added after rows were first stored: left out of the row hash when blank, so an old row still hashes the same. */
  readonly addedColumns?: readonly string[]
}

/** How a file's records become rows: its columns, the table, the values the command fixes and the row rules. */
export interface RecordPlan {
  readonly file: string
  readonly specs: readonly ColumnSpec[]
  readonly table: KeyedTable
  /** Values the command fixes for every row (e.g. {month: '2025-03'}); part of the row hash. */
  readonly fixed: Readonly<Record<string, string>>
  /** Turns a checked record into the stored row, or adds errors (e.g. a reference that does not exist). */
  readonly toRow: (record: Record<string, string>, line: number, errors: InputError[]) => Record<string, string> | undefined
}

export type PreparedRecord =
  | {readonly kind: 'header'; readonly fields: readonly string[]}
  | {readonly kind: 'blank'}
  | {readonly kind: 'reject'; readonly raw: string; readonly errors: readonly InputError[]}
  | {readonly kind: 'row'; readonly line: number; readonly raw: string; readonly values: readonly string[]; readonly hash: string}

/** Per table, the positions of its added columns (made once, not per row). */
const addedPositions = new WeakMap<KeyedTable, ReadonlySet<number>>()

/** A stored row's hash: its values in the table's column order, blank added columns left out (so an old row hashes as it did). */
export function rowHashOf(table: KeyedTable, values: readonly string[]): string {
  let added = addedPositions.get(table)
  if (added === undefined) {
    const names = new Set(table.addedColumns ?? [])
    added = new Set(table.columns.flatMap((column, k) => (names.has(column) ? [k] : [])))
    addedPositions.set(table, added)
  }
  const positions = added
  const hashed = positions.size === 0 ? values : values.filter((value, k) => value !== '' || !positions.has(k))
  // One-shot crypto.hash: the same SHA-256 hex as createHash().update().digest(), several times faster per row.
  return sha256Hex('sha256', JSON.stringify(hashed), 'hex')
}

/**
 * Reads the file and hands each record to `emit` in order (blank records before the header are
 * not records). A header that does not resolve, or that cannot be read, stops with InputErrors.
 * `afterChunk` runs after each piece of the file (a writer's backpressure); `onBytes` sees the
 * bytes as read; `take(n)` chooses the records checked and emitted (n counts the records from the
 * header's 0; readers that take different ones share a file's work). The sha256 is of the file's bytes, as `sha256sum` gives it.
 */
export async function prepareFile(
  plan: RecordPlan,
  encoding: TextEncoding,
  emit: (record: PreparedRecord) => void,
  hooks: {readonly afterChunk?: () => Promise<void> | void; readonly onBytes?: (bytes: Uint8Array) => void; readonly take?: (record: number) => boolean} = {},
): Promise<{sha256: string; headerSeen: boolean; records: number}> {
  const {table, file} = plan
  const fileHash = createHash('sha256')
  let layout: Layout | undefined
  let width = 0
  let parser: CsvParser | undefined
  // Records are numbered in file order (the header 0); a record not taken is counted, not checked.
  let records = 0
  const take = hooks.take ?? (() => true)
  const onRow = (fields: string[], line: number, raw: string): void => {
    if (isBlankRow(fields)) {
      if (layout !== undefined && take(records++)) emit({kind: 'blank'})
      return
    }
    if (layout === undefined) {
      const resolved = resolveLayout(plan.specs, file, line, fields)
      if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
      layout = resolved.layout
      width = fields.length
      parser!.expectWidth(width)
      if (take(records++)) emit({kind: 'header', fields})
      return
    }
    if (!take(records++)) return
    if (fields.length !== width) {
      emit({kind: 'reject', raw, errors: [inputError(file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${width}`)]})
      return
    }
    const errors: InputError[] = []
    const record = checkRow(plan.specs, layout, fields, file, line, errors)
    const row = record === undefined ? undefined : plan.toRow({...record, ...plan.fixed}, line, errors)
    if (row === undefined) {
      emit({kind: 'reject', raw, errors})
      return
    }
    const values = table.columns.map((column) => row[column] ?? '')
    emit({kind: 'row', line, raw, values, hash: rowHashOf(table, values)})
  }
  parser = new CsvParser(onRow, (line, message, raw, code) => {
    if (layout === undefined) throw new InputErrors([inputError(file, line, '', code, `the header: ${message}`)])
    if (take(records++)) emit({kind: 'reject', raw: unreadableRaw(raw, width), errors: [inputError(file, line, '', code, message)]})
  })
  const onBytes = (bytes: Uint8Array): void => {
    fileHash.update(bytes)
    hooks.onBytes?.(bytes)
  }
  for await (const text of readText(file, encoding, onBytes)) {
    parser.push(text)
    await hooks.afterChunk?.()
  }
  parser.end()
  return {sha256: fileHash.digest('hex'), headerSeen: layout !== undefined, records}
}
