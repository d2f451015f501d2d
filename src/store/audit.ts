/**
 * Tamper evidence, as stored: every imported row against the hash its import recorded, every
 * sealed run against the hash of what it wrote. What no yb command would do (a hand edit of the
 * workspace file) shows here.
 *
 *   rowsNotMatching(db, CASE_TABLE, {monthFrom: '2025-01', monthTo: '2025-12'}) → [{key: 'S1', table: 'settlement_case'}]
 */
import type {Db} from './db.js'
import {type KeyedTable, rowHashOf} from './keyed-import.js'
import {runWrittenSha256} from './runs.js'

/** The rows of a table (of a year, where it has one) whose columns no longer give their stored row_hash. */
export function rowsNotMatching(db: Db, table: KeyedTable, year: number | undefined): {key: string; table: string}[] {
  const scope =
    year === undefined
      ? {where: '', args: [] as unknown[]}
      : table.columns.includes('month') && table.name !== 'deduction'
        ? {where: "WHERE month >= ? AND month <= ?", args: [`${year}-01`, `${year}-12`]}
        : table.columns.includes('year')
          ? {where: 'WHERE year = ?', args: [year]}
          : table.name === 'special_case'
            ? {where: `WHERE settlement_id IN (SELECT settlement_id FROM settlement_case WHERE month >= ? AND month <= ?)`, args: [`${year}-01`, `${year}-12`]}
            : {where: '', args: []}
  const out: {key: string; table: string}[] = []
  const select = db.prepare(`SELECT ${[...table.columns, 'row_hash'].join(', ')} FROM ${table.name} ${scope.where} ORDER BY ${table.key.join(', ')}`).raw(true)
  for (const row of select.iterate(...scope.args) as IterableIterator<unknown[]>) {
    const values = row.slice(0, table.columns.length).map((v) => String(v ?? ''))
    if (rowHashOf(table, values) !== row[table.columns.length]) out.push({table: table.name, key: table.key.map((k) => values[table.columns.indexOf(k)]).join(' ')})
  }
  return out
}

/** Sealed runs of a year (their period starting with it) whose rows or record no longer give their hash; unsealed (older) runs are counted apart. */
export function runsNotMatching(db: Db, year: number | undefined): {runs: number; unsealed: number; tampered: {runId: number; kind: string; period: string}[]} {
  const rows = db.prepare(`SELECT run_id, kind, period, written_sha256 FROM run ${year === undefined ? '' : 'WHERE period >= ? AND period <= ?'} ORDER BY run_id`).all(...(year === undefined ? [] : [String(year), `${year}-12`])) as {run_id: number; kind: string; period: string; written_sha256: string}[]
  const tampered: {runId: number; kind: string; period: string}[] = []
  let unsealed = 0
  for (const row of rows) {
    if (row.written_sha256 === '') {
      unsealed++
      continue
    }
    if (runWrittenSha256(db, row.run_id) !== row.written_sha256) tampered.push({runId: row.run_id, kind: row.kind, period: row.period})
  }
  return {runs: rows.length, unsealed, tampered}
}

/** The statements hash a closed period recorded when its statements were first written ('' when none yet). */
export function recordedStatements(db: Db, kind: string, period: string): string {
  return (db.prepare('SELECT statements_sha256 FROM period WHERE kind = ? AND period = ?').pluck().get(kind, period) as string | undefined) ?? ''
}

export function recordStatements(db: Db, kind: string, period: string, sha256: string): void {
  db.prepare("UPDATE period SET statements_sha256 = ? WHERE kind = ? AND period = ? AND state = 'closed' AND statements_sha256 = ''").run(sha256, kind, period)
}
