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
import {statSync} from 'node:fs'
import {assert, type InputError, inputError, InputErrors} from '../errors.js'
import {ERRORS_KEPT_MAX, rejectHeader, rejectRow} from '../io/rejects.js'
import {workspaceFiles} from '../io/output-target.js'
import {type TextEncoding, TextOutput} from '../io/text-stream.js'
import {type Db, withTransaction} from './db.js'
import {prepareFile, type PreparedRecord, type RecordPlan} from './keyed-records.js'

export {type KeyedTable, rowHashOf} from './keyed-records.js'

/** Prepares the file's records somewhere else (a worker) and hands them over in order; the same records prepareFile gives. */
export type RecordSource = (emit: (record: PreparedRecord) => void, afterBatch: () => Promise<void>, onBytes: (bytes: number) => void) => Promise<{sha256: string; headerSeen: boolean}>

export interface KeyedImportOptions extends RecordPlan {
  readonly kind: string
  readonly encoding: TextEncoding
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
  /** Where the records come from when not read here (import-worker); made inside the transaction. */
  readonly records?: () => RecordSource | undefined
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


/** A regular file's size, else 0 (a pipe or device has none to measure progress by). */
function fileSize(file: string): number {
  try {
    const stat = statSync(file)
    return stat.isFile() ? stat.size : 0
  } catch {
    return 0
  }
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
  const rejects = options.rejects === undefined ? undefined : new TextOutput(options.rejects, '--rejects', [{path: options.file, what: 'the input file'}, ...workspaceFiles(db.name)])
  const kept: InputError[] = []
  let errorCount = 0
  const counts = {rowsRead: 0, inserted: 0, same: 0, replaced: 0, rejected: 0, skipped: 0}
  const keyAt = table.key.map((k) => table.columns.indexOf(k))
  assert(keyAt.every((k) => k >= 0), `the key of ${table.name} is among its columns`)

  const reject = (raw: string, rowErrors: readonly InputError[]): void => {
    counts.rejected++
    errorCount += rowErrors.length
    for (const error of rowErrors) if (kept.length < ERRORS_KEPT_MAX) kept.push(error)
    rejects?.write(rejectRow(raw, rowErrors))
  }
  const apply = (record: PreparedRecord): void => {
    if (record.kind === 'header') {
      rejects?.write(rejectHeader(record.fields))
      return
    }
    counts.rowsRead++
    if (record.kind === 'blank') {
      counts.skipped++
      return
    }
    if (record.kind === 'reject') {
      reject(record.raw, record.errors)
      return
    }
    const {values, hash, line, raw} = record
    if (insert.run(...values, hash).changes === 1) {
      counts.inserted++
      return
    }
    const keyValues = keyAt.map((k) => values[k]!)
    if (options.onConflict !== undefined) {
      const rowErrors: InputError[] = []
      options.onConflict(Object.fromEntries(table.columns.map((column, k) => [column, values[k]!])), line, rowErrors)
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
      const bytesTotal = options.onProgress === undefined ? 0 : fileSize(options.file)
      let bytesRead = 0
      const onBytes = (bytes: number): void => {
        bytesRead += bytes
        options.onProgress?.(bytesRead, bytesTotal)
      }
      const afterBatch = async () => {
        await rejects?.flushIfFull()
      }
      const source = options.records?.()
      const read = source === undefined ? await prepareFile(options, options.encoding, apply, {afterChunk: afterBatch, onBytes: (bytes) => onBytes(bytes.length)}) : await source(apply, afterBatch, onBytes)
      if (!read.headerSeen) throw new InputErrors([inputError(options.file, 1, '', 'header_missing', 'the file is empty; expected a header row')])
      assert(counts.rowsRead === counts.inserted + counts.same + counts.replaced + counts.rejected + counts.skipped, `every record of ${options.file} is counted once`)
      if (counts.rejected > 0 && rejects === undefined) throw new InputErrors(kept, errorCount)
      const report = options.beforeCommit?.()
      const imported: KeyedImportResult = {kind: options.kind, file: options.file, scope: options.scope, sha256: read.sha256, ...counts, rejects: options.rejects ?? null, ...(report === undefined ? {} : {report})}
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
