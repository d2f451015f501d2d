/**
 * Imports a CSV file into one keyed table, transactionally and idempotently: a row whose key
 * is new is inserted; the same row again changes nothing; a changed row for a known key is an
 * error unless `replace`. Without a rejects file any bad row rolls the whole file back; with
 * one, good rows go in and every bad row is written there with its reason.
 *
 *   await importKeyedFile(db, {kind: 'institution', file: 'inst.csv', table: INSTITUTION_TABLE, …})
 *   → {rowsRead: 40, inserted: 40, same: 0, replaced: 0, rejected: 0, skipped: 0, sha256: '…'}
 *
 * Every record after the header is counted once: rowsRead = inserted + same + replaced +
 * rejected + skipped (blank records), asserted before the import commits. The sha256 is of the
 * file's bytes as read, as `sha256sum` gives it.
 */
import {createHash, hash as sha256Hex} from 'node:crypto'
import {statSync} from 'node:fs'
import {assert, type InputError, inputError, InputErrors} from '../errors.js'
import {type ColumnSpec, checkRow, type Layout, resolveLayout} from '../io/columns.js'
import {CsvParser, isBlankRow} from '../io/csv-reader.js'
import {ERRORS_KEPT_MAX, rejectHeader, rejectRow, unreadableRaw} from '../io/rejects.js'
import {workspaceFiles} from '../io/output-target.js'
import {readText, type TextEncoding, TextOutput} from '../io/text-stream.js'
import {type Db, withTransaction} from './db.js'

export interface KeyedTable {
  readonly name: string
  /** Key columns, in the table; fixed ones (such as the year) come from `fixed`. */
  readonly key: readonly string[]
  /** Every stored column but row_hash. */
  readonly columns: readonly string[]
  /** Columns added after rows were first stored: left out of the row hash when blank, so an old row still hashes the same. */
  readonly addedColumns?: readonly string[]
}

export interface KeyedImportOptions {
  readonly kind: string
  readonly file: string
  readonly encoding: TextEncoding
  readonly specs: readonly ColumnSpec[]
  readonly table: KeyedTable
  /** Values the command fixes for every row (e.g. {month: '2025-03'}); part of the row hash. */
  readonly fixed: Readonly<Record<string, string>>
  /** Turns a checked record into the stored row, or adds errors (e.g. a reference that does not exist). */
  readonly toRow: (record: Record<string, string>, line: number, errors: InputError[]) => Record<string, string> | undefined
  readonly replace: boolean
  readonly rejects?: string
  /** Printed scope of the import, e.g. "2025-03". */
  readonly scope: string
  /** Bytes of the file read so far, and its size (0 when it has none). */
  readonly onProgress?: (bytesRead: number, bytesTotal: number) => void
  /**
   * A row whose key is already stored, before it is compared with the stored one: may add errors
   * (e.g. the stored row belongs to a closed month). Asked only then, so a new row costs no lookup.
   */
  readonly onConflict?: (row: Readonly<Record<string, string>>, line: number, errors: InputError[]) => void
  /** Runs inside the import's transaction once every row is in: may refuse the whole file (throw InputErrors), or return a report for the result. */
  readonly beforeCommit?: () => unknown
}

export interface KeyedImportResult {
  readonly kind: string
  readonly file: string
  readonly scope: string
  readonly sha256: string
  readonly rowsRead: number
  readonly inserted: number
  readonly same: number
  readonly replaced: number
  readonly rejected: number
  /** Blank records (empty lines, `,,,` rows under an Excel table): skipped, not stored. */
  readonly skipped: number
  readonly rejects: string | null
  /** What `beforeCommit` reported, when the import has one. */
  readonly report?: unknown
}


/** A stored row's hash: its values in the table's column order, blank added columns left out (so an old row hashes as it did). */
/** A regular file's size, else 0 (a pipe or device has none to measure progress by). */
function fileSize(file: string): number {
  try {
    const stat = statSync(file)
    return stat.isFile() ? stat.size : 0
  } catch {
    return 0
  }
}

/** Per table, the positions of its added columns (made once, not per row). */
const addedPositions = new WeakMap<KeyedTable, ReadonlySet<number>>()

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

export async function importKeyedFile(db: Db, options: KeyedImportOptions): Promise<KeyedImportResult> {
  const {table} = options
  const columns = [...table.columns, 'row_hash']
  const select = db.prepare(`SELECT row_hash FROM ${table.name} WHERE ${table.key.map((k) => `${k} = ?`).join(' AND ')}`)
  // A new key is inserted at once; only a key already stored is looked up (to compare its hash):
  // the first import of a month makes no lookup per row.
  const insert = db.prepare(`INSERT INTO ${table.name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${table.key.join(', ')}) DO NOTHING`)
  const update = db.prepare(`UPDATE ${table.name} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${table.key.map((k) => `${k} = ?`).join(' AND ')}`)
  const storedRow = db.prepare(`SELECT ${table.columns.join(', ')} FROM ${table.name} WHERE ${table.key.map((k) => `${k} = ?`).join(' AND ')}`).raw(true)
  /** What differs between the stored row and the file's: `total_cost 1200.00 → 1250.00`. */
  const differences = (keyValues: readonly string[], values: readonly string[]): string => {
    const stored = (storedRow.get(...keyValues) as unknown[] | undefined) ?? []
    const changed = table.columns.flatMap((column, k) => (String(stored[k] ?? '') === values[k] ? [] : [`${column} ${JSON.stringify(String(stored[k] ?? ''))} → ${JSON.stringify(values[k])}`]))
    return changed.length === 0 ? 'with other values' : `with other values: ${changed.slice(0, 4).join(', ')}${changed.length > 4 ? ` and ${changed.length - 4} more` : ''}`
  }
  const fileHash = createHash('sha256')
  const rejects = options.rejects === undefined ? undefined : new TextOutput(options.rejects, '--rejects', [{path: options.file, what: 'the input file'}, ...workspaceFiles(db.name)])
  const kept: InputError[] = []
  let errorCount = 0
  let layout: Layout | undefined
  let width = 0
  const counts = {rowsRead: 0, inserted: 0, same: 0, replaced: 0, rejected: 0, skipped: 0}
  let parser: CsvParser | undefined

  const reject = (raw: string, rowErrors: readonly InputError[]): void => {
    counts.rejected++
    errorCount += rowErrors.length
    for (const error of rowErrors) if (kept.length < ERRORS_KEPT_MAX) kept.push(error)
    rejects?.write(rejectRow(raw, rowErrors))
  }
  const onRow = (fields: string[], line: number, raw: string): void => {
    if (isBlankRow(fields)) {
      if (layout !== undefined) {
        counts.rowsRead++
        counts.skipped++
      }
      return
    }
    if (layout === undefined) {
      const resolved = resolveLayout(options.specs, options.file, line, fields)
      if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
      layout = resolved.layout
      width = fields.length
      parser!.expectWidth(width)
      rejects?.write(rejectHeader(fields))
      return
    }
    counts.rowsRead++
    const rowErrors: InputError[] = []
    if (fields.length !== width) {
      reject(raw, [inputError(options.file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${width}`)])
      return
    }
    const record = checkRow(options.specs, layout, fields, options.file, line, rowErrors)
    const row = record === undefined ? undefined : options.toRow({...record, ...options.fixed}, line, rowErrors)
    if (row === undefined) {
      reject(raw, rowErrors)
      return
    }
    const values = table.columns.map((column) => row[column] ?? '')
    const hash = rowHashOf(table, values)
    const keyValues = table.key.map((k) => row[k] ?? '')
    if (insert.run(...values, hash).changes === 1) {
      counts.inserted++
      return
    }
    if (options.onConflict !== undefined) {
      options.onConflict(row, line, rowErrors)
      if (rowErrors.length > 0) {
        reject(raw, rowErrors)
        return
      }
    }
    const existing = select.get(...keyValues) as {row_hash: string}
    if (existing.row_hash === hash) {
      counts.same++
    } else if (options.replace) {
      update.run(...values, hash, ...keyValues)
      counts.replaced++
    } else {
      reject(raw, [
        inputError(options.file, line, table.key.join(','), 'duplicate_key', `${keyValues.join(' ')} is already in the workspace ${differences(keyValues, values)}`, 'pass --replace to replace it'),
      ])
    }
  }

  try {
    const result = await withTransaction(db, async () => {
      parser = new CsvParser(onRow, (line, message, raw, code) => {
        if (layout === undefined) throw new InputErrors([inputError(options.file, line, '', code, `the header: ${message}`)])
        counts.rowsRead++
        reject(unreadableRaw(raw, width), [inputError(options.file, line, '', code, message)])
      })
      const bytesTotal = options.onProgress === undefined ? 0 : fileSize(options.file)
      let bytesRead = 0
      const onBytes = (bytes: Uint8Array): void => {
        fileHash.update(bytes)
        bytesRead += bytes.length
        options.onProgress?.(bytesRead, bytesTotal)
      }
      for await (const text of readText(options.file, options.encoding, onBytes)) {
        parser.push(text)
        await rejects?.flushIfFull()
      }
      parser.end()
      if (layout === undefined) throw new InputErrors([inputError(options.file, 1, '', 'header_missing', 'the file is empty; expected a header row')])
      assert(counts.rowsRead === counts.inserted + counts.same + counts.replaced + counts.rejected + counts.skipped, `every record of ${options.file} is counted once`)
      if (counts.rejected > 0 && rejects === undefined) throw new InputErrors(kept, errorCount)
      const report = options.beforeCommit?.()
      const imported: KeyedImportResult = {kind: options.kind, file: options.file, scope: options.scope, sha256: fileHash.digest('hex'), ...counts, rejects: options.rejects ?? null, ...(report === undefined ? {} : {report})}
      db.prepare(
        `INSERT INTO import_log (kind, file, sha256, scope, rows_read, rows_inserted, rows_same, rows_replaced, rows_rejected, rows_skipped, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(imported.kind, imported.file, imported.sha256, imported.scope, imported.rowsRead, imported.inserted, imported.same, imported.replaced, imported.rejected, imported.skipped, new Date().toISOString())
      return imported
    })
    await rejects?.commit()
    return result
  } catch (error) {
    await rejects?.abandon()
    throw error
  }
}
