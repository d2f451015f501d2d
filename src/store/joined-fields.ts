/**
 * A row that crosses from SQLite into JavaScript as one string, its fields joined by ␟ in SQL
 * (concat_ws), instead of one value a column: reading a million rows took a third to half less
 * time so. SQLite's text of a TEXT or INTEGER value is JavaScript's. No stored value holds a
 * control character (the imports refuse them), so a row that does not split back into its
 * fields was changed outside yb: its reader reads it again a value per column.
 *
 *   db.prepare(`SELECT ${joinedFields(['a', 'b'])} FROM t`).pluck().all() → ['1␟x', …]; splitFields('1␟x', 2) → ['1', 'x']
 */
import type {Statement} from 'better-sqlite3'

/** The separator, as JavaScript writes it; char(31) in SQL. */
export const FIELD = '\u001f'

/** The SQL that joins these columns (or expressions) into one text. */
export function joinedFields(columns: readonly string[]): string {
  return `concat_ws(char(31), ${columns.join(', ')})`
}

/** Rows a chunk joins (group_concat) when many rows' values cross as one string: about a megabyte of text. */
export const KEY_CHUNK_ROWS = 10_000

/**
 * A chunk query's rows, one chunk after another along a table's text key. `chunk` (raw) takes
 * `values`, then the last key of the chunk before ('' first) and the chunk's size, and gives one
 * row whose first value is its own chunk's last key, null once no row is left. `after` is the key
 * the chunk was read after (to read it again another way).
 *
 *   for (const {row: [, count, funds]} of keyChunks(db.prepare('SELECT max(id), count(*), group_concat(x) FROM (… id > ? … LIMIT ?)').raw(true), [runId])) …
 */
export function* keyChunks<R extends readonly [string | null, ...unknown[]]>(chunk: Statement, values: readonly unknown[], chunkRows = KEY_CHUNK_ROWS): Generator<{readonly after: string; readonly row: R}> {
  for (let after = ''; ; ) {
    const row = chunk.get(...values, after, chunkRows) as R
    if (row[0] === null) return
    yield {after, row}
    after = row[0]
  }
}

/** The fields of a joined row, or undefined when it does not split into `count` of them. */
export function splitFields(joined: string, count: number): string[] | undefined {
  const fields = joined.split(FIELD)
  return fields.length === count ? fields : undefined
}
