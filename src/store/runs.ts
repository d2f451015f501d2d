/**
 * Runs of the settlement cycle and the state of each period. A run records its inputs' hashes
 * and its results per institution and per case; a newer run of the same period supersedes the
 * older one (both kept). A closed period refuses a new run until it is reopened, with a reason,
 * in the period log.
 *
 *   periodState(db, 'pay', '2025-03') → {state: 'open', runId: 12}
 */
import {createHash} from 'node:crypto'
import {parseFen} from '../clearing/fen.js'
import {assert} from '../errors.js'
import type {Statement} from 'better-sqlite3'
import type {Db} from './db.js'
import {FIELD, joinedFields, KEY_CHUNK_ROWS, keyChunks} from './joined-fields.js'

export type RunKind = 'pay' | 'clear' | 'prepay'

/** A monthly payment (pay, YYYY-MM) or a year-end clearing (clear, YYYY). */
export interface SettlementPeriod {
  readonly kind: 'pay' | 'clear'
  readonly period: string
}

export function startRun(db: Db, kind: RunKind, period: string, inputs: unknown): number {
  const info = db.prepare('INSERT INTO run (kind, period, started_at, inputs_json, result_json) VALUES (?, ?, ?, ?, ?)').run(kind, period, new Date().toISOString(), JSON.stringify(inputs), '{}')
  return Number(info.lastInsertRowid)
}

/** Inputs known only once the run has read them (e.g. the hash of the cases it priced). */
export function setRunInputs(db: Db, runId: number, inputs: unknown): void {
  db.prepare('UPDATE run SET inputs_json = ? WHERE run_id = ?').run(JSON.stringify(inputs), runId)
}

/** Stores the run's result and marks the period's earlier runs as superseded by it; returns the run it replaced. */
export function finishRun(db: Db, runId: number, kind: RunKind, period: string, result: object): number | null {
  const previous = db.prepare('SELECT run_id FROM run WHERE kind = ? AND period = ? AND run_id <> ? AND superseded_by IS NULL ORDER BY run_id DESC LIMIT 1').get(kind, period, runId) as {run_id: number} | undefined
  // Stored as the command returned it, with the run it superseded: `yb runs show` prints it again as it was.
  db.prepare('UPDATE run SET result_json = ? WHERE run_id = ?').run(JSON.stringify({...result, supersededRunId: previous?.run_id ?? null}), runId)
  db.prepare('UPDATE run SET superseded_by = ? WHERE kind = ? AND period = ? AND run_id <> ? AND superseded_by IS NULL').run(runId, kind, period, runId)
  db.prepare("INSERT INTO period (kind, period, state, run_id) VALUES (?, ?, 'open', ?) ON CONFLICT (kind, period) DO UPDATE SET run_id = excluded.run_id").run(kind, period, runId)
  // Sealed: a hash over everything the run wrote, which `yb audit verify` recomputes.
  const key = `${db.name}\t${runId}`
  const cases = caseHashes.get(key) ?? createHash('sha256')
  db.prepare('UPDATE run SET written_sha256 = ? WHERE run_id = ?').run(runWrittenSha256(db, runId, cases.digest('hex')), runId)
  caseHashes.delete(key)
  return previous?.run_id ?? null
}

/**
 * A hash over what a run wrote: its kind, period, inputs and result, its case rows in the order it
 * wrote them (hashed as they are written: no second pass), and its institution and correction rows
 * in key order. `yb audit verify` recomputes it from the rows as stored.
 */
export function runWrittenSha256(db: Db, runId: number, casesSha256?: string): string {
  const hash = createHash('sha256')
  const run = db.prepare('SELECT kind, period, inputs_json, result_json FROM run WHERE run_id = ?').raw(true).get(runId) as string[]
  hash.update(run.join(FIELD))
  hash.update(`\u001e${casesSha256 ?? runCasesSha256(db, runId)}`)
  for (const sql of ['SELECT * FROM run_institution WHERE run_id = ? ORDER BY institution_id, pool', 'SELECT * FROM run_correction WHERE run_id = ? ORDER BY settlement_id']) {
    hash.update('\u001e')
    hashRows(hash, db.prepare(sql).raw(true).iterate(runId) as IterableIterator<unknown[]>)
  }
  return hash.digest('hex')
}

/**
 * The hash of a run's case rows as stored, in seq order (the order written): each row's fields
 * joined by ␟ and ended by a line break, the text runCaseSealText made when they were written.
 * SQLite joins the fields (concat_ws: the same text for TEXT and INTEGER values, which are all
 * run_case holds), and then a chunk's rows into one text (group_concat), with their seqs as a
 * second text in the same order: a million rows cross into JavaScript as 200 strings, in about
 * half the time of a string a row. A run of one month writes its cases in settlement_id order,
 * so its rows are read in chunks of the table's key; the text is hashed as long as the seqs it
 * comes with rise, which makes it every row once in seq order, whatever order SQLite put a
 * chunk's rows in. Where they do not (a clearing: month by month), the rows are read again
 * sorted by seq, a row at a time.
 */
export function runCasesSha256(db: Db, runId: number, chunkRows = KEY_CHUNK_ROWS): string {
  const declared = db.prepare('SELECT name, type FROM pragma_table_info(?) ORDER BY cid').all('run_case') as {name: string; type: string}[]
  // SQLite's text of a TEXT or INTEGER value is JavaScript's: a REAL or BLOB column would need its own reading.
  assert(declared.every((column) => column.type === 'TEXT' || column.type === 'INTEGER'), 'run_case holds only TEXT and INTEGER columns')
  const columns = declared.map((column) => column.name)
  assert(columns.includes('seq'), 'run_case has a seq column')
  const line = `${joinedFields(columns)} || char(10)`
  const inKeyOrder = createHash('sha256')
  if (hashKeyChunks(inKeyOrder, db.prepare(`SELECT max(settlement_id), group_concat(seq), group_concat(line, '') FROM (SELECT settlement_id, seq, ${line} AS line FROM run_case WHERE run_id = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?)`).raw(true), runId, chunkRows)) return inKeyOrder.digest('hex')
  const bySeq = createHash('sha256')
  const text = chunked(bySeq)
  for (const [seqLine] of db.prepare(`SELECT ${line} FROM run_case WHERE run_id = ? ORDER BY seq`).raw(true).iterate(runId) as IterableIterator<[string]>) text.add(seqLine)
  text.end()
  return bySeq.digest('hex')
}
/** Hashes a run's chunks of rows (last key, seqs, lines) in key order; false at the first seq not above the one before. */
function hashKeyChunks(hash: ReturnType<typeof createHash>, chunk: Statement, runId: number, chunkRows: number): boolean {
  let lastSeq = -Infinity
  for (const {row: [, seqs, lines]} of keyChunks<[string, string | null, string | null]>(chunk, [runId], chunkRows)) {
    for (const seq of (seqs ?? '').split(',')) {
      const value = Number(seq)
      if (!(value > lastSeq)) return false
      lastSeq = value
    }
    hash.update(lines ?? '')
  }
  return true
}

/** Hashes rows as `field␟field…\n`. */
function hashRows(hash: ReturnType<typeof createHash>, rows: IterableIterator<unknown[]>): void {
  const text = chunked(hash)
  for (const row of rows) text.add(`${row.join(FIELD)}\n`)
  text.end()
}

/** Text handed to `hash` HASHED_CHARS at a time: the same bytes as piece by piece, in far fewer calls. */
function chunked(hash: ReturnType<typeof createHash>): {add: (piece: string) => void; end: () => void} {
  let text = ''
  return {
    add(piece) {
      text += piece
      if (text.length >= HASHED_CHARS) {
        hash.update(text)
        text = ''
      }
    },
    end() {
      hash.update(text)
      text = ''
    },
  }
}
const HASHED_CHARS = 1 << 16

/** The case-row hashes of runs being written, by workspace and run. */
const caseHashes = new Map<string, ReturnType<typeof createHash>>()

export function periodState(db: Db, kind: RunKind, period: string): {state: 'open' | 'closed' | 'none'; runId: number | null} {
  const row = db.prepare('SELECT state, run_id FROM period WHERE kind = ? AND period = ?').get(kind, period) as {state: 'open' | 'closed'; run_id: number | null} | undefined
  return row === undefined ? {state: 'none', runId: null} : {state: row.state, runId: row.run_id}
}

/** What a run keeps of one case. Amounts are canonical 2-dp text. */
export interface RunCase {
  readonly settlementId: string
  readonly institutionId: string
  readonly pool: string
  readonly status: string
  readonly mdc: string
  readonly drg: string
  readonly weight: string
  readonly payment: string
  readonly outlier: string
  readonly standardYuan: string
  readonly adjustedYuan: string
  readonly fundYuan: string
  /** 点数法: the case's points (4 dp text); empty under the rate method. */
  readonly points: string
  /** The price build-up, one step a line; empty unless asked for. */
  readonly steps: string
  /** The case's 特例单议 decision when the run priced it ('' for none). */
  readonly special?: string
}

const RUN_CASE_COLUMNS = 17
/** The fields a page gives a case: the run_case row without run_id and seq (settlement_id … special). */
const PAGE_FIELDS = RUN_CASE_COLUMNS - 2
const BATCH_ROWS = 100

/** The fields before steps (settlement_id … fund_yuan): a row whose steps, points and special are blank binds only these and seq. */
const LEAN_FIELDS = 12

/**
 * Writes a run's cases, given as pages of PAGE_FIELDS fields a case (settlement_id, institution_id,
 * pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps,
 * points, special), in batches of BATCH_ROWS rows per INSERT (a statement per row spent most of
 * its time crossing into SQLite); `flush()` writes what is left and must come before the run's
 * cases are read back. A batch whose rows have no steps, points or special (a plain run) is
 * written by a statement with those and the run id as literals: binding fewer values saves a
 * sixth of the write. The seal's hash is made page by page in the order written, of the text
 * runCaseSealText gives.
 */
export function runCaseWriter(db: Db, runId: number): {page: (fields: readonly string[], count: number, seal: {readonly firstSeq: number; readonly text: string}) => void; flush: () => void} {
  assert(Number.isSafeInteger(runId) && runId > 0, 'a run id is a positive integer')
  const columns = 'run_id, settlement_id, institution_id, pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps, points, special, seq'
  const full = `(${Array.from({length: RUN_CASE_COLUMNS}, () => '?').join(', ')})`
  const lean = `(${runId}, ${Array.from({length: LEAN_FIELDS}, () => '?').join(', ')}, '', '', '', ?)`
  const sql = (rows: number, row: string) => `INSERT INTO run_case (${columns}) VALUES ${Array.from({length: rows}, () => row).join(', ')}`
  const batchFull = db.prepare(sql(BATCH_ROWS, full))
  const batchLean = db.prepare(sql(BATCH_ROWS, lean))
  const singleFull = db.prepare(sql(1, full))
  const singleLean = db.prepare(sql(1, lean))
  const hash = createHash('sha256')
  caseHashes.set(`${db.name}\t${runId}`, hash)
  let seq = 0
  /** The rows not yet written: their lean values (LEAN_FIELDS and seq) and their steps, points and special. */
  let leanValues: (string | number)[] = []
  let rest: string[] = []
  let plain = true
  const fullRow = (k: number): (string | number)[] => [runId, ...leanValues.slice(k * (LEAN_FIELDS + 1), k * (LEAN_FIELDS + 1) + LEAN_FIELDS), ...rest.slice(k * 3, k * 3 + 3), leanValues[k * (LEAN_FIELDS + 1) + LEAN_FIELDS]!]
  /** `seal`: the rows' text for the seal (runCaseSealText of these fields), made where the page was made, numbered from firstSeq. */
  const page = (fields: readonly string[], count: number, seal: {readonly firstSeq: number; readonly text: string}): void => {
    assert(fields.length === count * PAGE_FIELDS, `a page of ${count} cases has ${count * PAGE_FIELDS} fields`)
    assert(seal.firstSeq === seq + 1, `the page's cases are numbered from ${seal.firstSeq}, the run's next is ${seq + 1}`)
    hash.update(seal.text)
    for (let k = 0; k < count; k++) {
      const at = k * PAGE_FIELDS
      for (let f = at; f < at + LEAN_FIELDS; f++) leanValues.push(fields[f]!)
      leanValues.push(++seq)
      const steps = fields[at + LEAN_FIELDS]!
      const points = fields[at + LEAN_FIELDS + 1]!
      const special = fields[at + LEAN_FIELDS + 2]!
      rest.push(steps, points, special)
      if (steps !== '' || points !== '' || special !== '') plain = false
      if (rest.length === BATCH_ROWS * 3) {
        if (plain) batchLean.run(leanValues)
        else batchFull.run(Array.from({length: BATCH_ROWS}, (_, r) => fullRow(r)).flat())
        leanValues = []
        rest = []
        plain = true
      }
    }
  }
  const flush = (): void => {
    for (let k = 0; k < rest.length / 3; k++) {
      if (rest[k * 3] === '' && rest[k * 3 + 1] === '' && rest[k * 3 + 2] === '') singleLean.run(leanValues.slice(k * (LEAN_FIELDS + 1), (k + 1) * (LEAN_FIELDS + 1)))
      else singleFull.run(fullRow(k))
    }
    leanValues = []
    rest = []
    plain = true
  }
  return {page, flush}
}

/**
 * The seal's text of `count` case rows given as PAGE_FIELDS fields each, numbered from firstSeq:
 * each row as SELECT * returns it (columns in table order: steps, then points, special and seq,
 * added later), joined by FIELD, a line each. Made where the rows are priced (a worker), so the
 * writing thread only hashes it.
 */
export function runCaseSealText(runId: number, fields: readonly string[], count: number, firstSeq: number): string {
  let text = ''
  for (let k = 0; k < count; k++) {
    text += runId
    for (let f = k * PAGE_FIELDS; f < (k + 1) * PAGE_FIELDS; f++) text += FIELD + fields[f]!
    text += `${FIELD}${firstSeq + k}\n`
  }
  return text
}

/**
 * Σ fund of a run's stored cases and their count, read back in chunks of KEY_CHUNK_ROWS rows (never
 * all at once) and summed here, in 分. SQLite hands a chunk's amounts over as one text joined by
 * commas (group_concat), a third of the time of a value a row; a chunk whose text does not split
 * into its row count (an amount changed outside yb to hold a comma) is read again a row at a time.
 */
export function runCaseTotals(db: Db, runId: number): {cases: number; fundFen: number} {
  const chunk = db.prepare('SELECT max(settlement_id), count(*), group_concat(fund_yuan) FROM (SELECT settlement_id, fund_yuan FROM run_case WHERE run_id = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?)').raw(true)
  const rowByRow = db.prepare('SELECT fund_yuan FROM run_case WHERE run_id = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?').raw(true)
  let cases = 0
  let fundFen = 0
  for (const {after, row: [, count, joined]} of keyChunks<[string, number, string | null]>(chunk, [runId])) {
    const funds = joined?.split(',') ?? []
    for (const fund of funds.length === count ? funds : (rowByRow.all(runId, after, KEY_CHUNK_ROWS) as [string][]).map(([value]) => value)) fundFen += parseFen(fund)
    cases += count
  }
  return {cases, fundFen}
}

/** Stores a run's line for an institution and pool (its JSON as the run reports it). */
export function runInstitutionWriter(db: Db, runId: number): (institutionId: string, pool: string, line: unknown) => void {
  const insert = db.prepare('INSERT INTO run_institution (run_id, institution_id, pool, lines_json) VALUES (?, ?, ?, ?)')
  return (institutionId, pool, line) => {
    insert.run(runId, institutionId, pool, JSON.stringify(line))
  }
}

/** The cases a run stored (of one institution, when given). */
export function runCaseCount(db: Db, runId: number, institutionId?: string): number {
  return institutionId === undefined
    ? (db.prepare('SELECT COUNT(*) FROM run_case WHERE run_id = ?').pluck().get(runId) as number)
    : (db.prepare('SELECT COUNT(*) FROM run_case WHERE run_id = ? AND institution_id = ?').pluck().get(runId, institutionId) as number)
}

/** What a run stored of one case's fund, or undefined. */
export function runCaseFund(db: Db, runId: number, settlementId: string): string | undefined {
  return (db.prepare('SELECT fund_yuan FROM run_case WHERE run_id = ? AND settlement_id = ?').get(runId, settlementId) as {fund_yuan: string} | undefined)?.fund_yuan
}

/** The payment standards of the cases two runs share, paid by their group (DRG or DIP) in both: [current, draft]. */
export function* sharedStandards(db: Db, currentRunId: number, draftRunId: number): Generator<readonly [string, string]> {
  const rows = db
    .prepare("SELECT a.standard_yuan, b.standard_yuan FROM run_case a JOIN run_case b ON b.run_id = ? AND b.settlement_id = a.settlement_id WHERE a.run_id = ? AND a.payment IN ('drg', 'dip') AND b.payment = a.payment")
    .raw(true)
    .iterate(draftRunId, currentRunId) as IterableIterator<[string, string]>
  for (const row of rows) yield row
}
