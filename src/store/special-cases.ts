/**
 * 特例单议 (special-case review) of stored discharges: a case is marked for review (by an officer
 * in `yb review`, or `yb special mark`), then decided (imported from the review panel's file):
 * approved with an approved cost (or an expert score under DIP), or rejected. The year-end
 * clearing pays approved cases by their approved cost; pending and rejected ones by their group.
 *
 *   markSpecialCase(db, 'S0001', 'cost 8× the group average') → {settlementId: 'S0001', decision: 'pending', …}
 *   specialDecisionsForYear(db, 2025) → Map {'S0001' => {decision: 'approved', approvedCostYuan: '86000.00', …}}
 */
import {createHash} from 'node:crypto'
import {inputError, InputErrors} from '../errors.js'
import {SPECIAL_CASE_COLUMNS} from '../io/columns.js'
import type {Db} from './db.js'
import {importKeyedFile, type KeyedImportResult} from './keyed-import.js'
import {SPECIAL_TABLE} from './tables.js'
import {assertWritable, closedError, closedFor} from './periods.js'
import type {ImportFileOptions} from './settlement-data.js'

export type SpecialDecisionKind = 'pending' | 'approved' | 'rejected'

export interface SpecialDecision {
  readonly settlementId: string
  readonly decision: SpecialDecisionKind
  /** The approved item cost in 元 (2 dp), or '' when not approved by cost. */
  readonly approvedCostYuan: string
  /** DIP: the experts' score, or ''. */
  readonly approvedScore: string
  readonly note: string
  /** 'review' (marked by an officer) or 'import' (a decision file). */
  readonly source: string
  readonly rowHash: string
}

const COLUMNS = ['settlement_id', 'decision', 'approved_cost_yuan', 'approved_score', 'note', 'source'] as const

/** `months` collects the discharge month of every row read (for the caps of their years); `beforeCommit` may refuse the file. */
export function importSpecialCases(db: Db, options: ImportFileOptions & {months?: Set<string>; beforeCommit?: () => unknown}): Promise<KeyedImportResult> {
  const caseOf = db.prepare('SELECT month FROM settlement_case WHERE settlement_id = ?')
  const existing = db.prepare('SELECT decision, source FROM special_case WHERE settlement_id = ?')
  const dropMark = db.prepare("DELETE FROM special_case WHERE settlement_id = ? AND decision = 'pending' AND source = 'review'")
  return importKeyedFile(db, {
    ...options,
    kind: 'special',
    specs: SPECIAL_CASE_COLUMNS,
    table: SPECIAL_TABLE,
    fixed: {source: 'import'},
    scope: 'special cases',
    toRow(record, line, errors) {
      const before = errors.length
      const stored = caseOf.get(record.settlement_id!) as {month: string} | undefined
      if (stored !== undefined) options.months?.add(stored.month)
      // Decisions are paid at the clearing: a closed year's decisions are facts.
      const closed = stored === undefined ? undefined : closedFor(db, {year: Number(stored.month.slice(0, 4))})
      if (closed !== undefined) errors.push(closedError(closed, `a 特例单议 decision on ${record.settlement_id}`, options.file, line, 'settlement_id'))
      if (stored === undefined) {
        errors.push(inputError(options.file, line, 'settlement_id', 'reference_unknown', `case ${record.settlement_id} is not in the workspace`, 'import its month with `yb cases import` first'))
      }
      if (record.decision === 'approved' && !record.approved_cost_yuan && !record.approved_score) {
        errors.push(inputError(options.file, line, 'approved_cost_yuan', 'value_required', 'an approved case needs its approved cost (核准费用) or, under DIP, an expert score (核定分值)'))
      }
      if (record.decision !== 'approved' && (record.approved_cost_yuan || record.approved_score)) {
        errors.push(inputError(options.file, line, 'decision', 'value_not_allowed', `a ${record.decision} case has no approved cost or score`))
      }
      if (errors.length > before) return undefined
      // A decision takes the place of an officer's mark without --replace: deciding marked cases is the point of the file.
      const mark = existing.get(record.settlement_id!) as {decision: string; source: string} | undefined
      if (mark?.decision === 'pending' && mark.source === 'review') dropMark.run(record.settlement_id!)
      return record
    },
  })
}

/** Marks a case for 特例单议 (pending a decision) with a note; marking again updates the note. A decided case is not re-marked. */
export function markSpecialCase(db: Db, settlementId: string, note: string): SpecialDecision {
  return db.transaction(() => {
    const month = db.prepare('SELECT month FROM settlement_case WHERE settlement_id = ?').pluck().get(settlementId) as string | undefined
    if (month === undefined) {
      throw new InputErrors([inputError(settlementId, 0, 'settlement_id', 'reference_unknown', `case ${settlementId} is not in the workspace`)])
    }
    assertWritable(db, {year: Number(month.slice(0, 4))}, `marking ${settlementId} for 特例单议`)
    const stored = specialCase(db, settlementId)
    if (stored !== undefined && stored.decision !== 'pending') {
      throw new InputErrors([inputError(settlementId, 0, 'decision', 'value_not_allowed', `case ${settlementId} was already decided (${stored.decision}); a decided case is changed by importing a new decision with --replace`)])
    }
    const values = [settlementId, 'pending', '', '', note, 'review']
    const hash = createHash('sha256').update(JSON.stringify(values)).digest('hex')
    db.prepare(`INSERT INTO special_case (${COLUMNS.join(', ')}, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (settlement_id) DO UPDATE SET note = excluded.note, row_hash = excluded.row_hash`).run(...values, hash)
    return specialCase(db, settlementId)!
  })()
}

/** Removes an officer's pending mark; returns whether there was one. */
export function unmarkSpecialCase(db: Db, settlementId: string): boolean {
  const month = db.prepare('SELECT month FROM settlement_case WHERE settlement_id = ?').pluck().get(settlementId) as string | undefined
  if (month !== undefined) assertWritable(db, {year: Number(month.slice(0, 4))}, `unmarking ${settlementId}`)
  return db.prepare("DELETE FROM special_case WHERE settlement_id = ? AND decision = 'pending'").run(settlementId).changes > 0
}

export function specialCase(db: Db, settlementId: string): SpecialDecision | undefined {
  const row = db.prepare('SELECT * FROM special_case WHERE settlement_id = ?').get(settlementId) as Record<string, string> | undefined
  return row === undefined ? undefined : toDecision(row)
}

/** Every special case on the discharges of a year (their months YYYY-01 … YYYY-12), by settlement id. */
export function specialDecisionsForYear(db: Db, year: number): Map<string, SpecialDecision> {
  const rows = db.prepare("SELECT s.* FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE c.month >= ? AND c.month <= ? ORDER BY s.settlement_id").all(`${year}-01`, `${year}-12`) as Record<string, string>[]
  return new Map(rows.map((row) => [row.settlement_id!, toDecision(row)]))
}

export function listSpecialCases(db: Db, filter: {year?: number; month?: string}): (SpecialDecision & {institutionId: string; month: string})[] {
  const [from, to] = filter.month !== undefined ? [filter.month, filter.month] : filter.year !== undefined ? [`${filter.year}-01`, `${filter.year}-12`] : ['0000-00', '9999-99']
  const rows = db
    .prepare('SELECT s.*, c.institution_id, c.month FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE c.month >= ? AND c.month <= ? ORDER BY c.month, s.settlement_id')
    .all(from, to) as Record<string, string>[]
  return rows.map((row) => ({...toDecision(row), institutionId: row.institution_id!, month: row.month!}))
}

function toDecision(row: Record<string, string>): SpecialDecision {
  return {
    settlementId: row.settlement_id!,
    decision: row.decision as SpecialDecisionKind,
    approvedCostYuan: row.approved_cost_yuan!,
    approvedScore: row.approved_score!,
    note: row.note!,
    source: row.source!,
    rowHash: row.row_hash!,
  }
}

/** 特例单议 marks on a month's cases that have no decision yet. */
export function pendingSpecialCount(db: Db, month: string): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE c.month = ? AND s.decision = 'pending'").get(month) as {n: number}).n
}

/** Approved 特例单议 cases per institution and discharge month, for the cap. */
export function approvedSpecialCounts(db: Db, fromMonth: string, toMonth: string): {institutionId: string; month: string; cases: number}[] {
  return db
    .prepare("SELECT c.institution_id AS institutionId, c.month, COUNT(*) AS cases FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE s.decision = 'approved' AND c.month >= ? AND c.month <= ? GROUP BY c.institution_id, c.month")
    .all(fromMonth, toMonth) as {institutionId: string; month: string; cases: number}[]
}

/** The 特例单议 decisions on a month's cases, by settlement id. */
export function specialDecisionsForMonth(db: Db, month: string): Map<string, SpecialDecisionKind> {
  const rows = db.prepare('SELECT s.settlement_id, s.decision FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE c.month = ?').all(month) as {settlement_id: string; decision: SpecialDecisionKind}[]
  return new Map(rows.map((row) => [row.settlement_id, row.decision]))
}

/** A hash of the 特例单议 marks and decisions on a month's cases, for a run's record of what it read. */
export function monthSpecialSha256(db: Db, month: string): string {
  const hash = createHash('sha256')
  for (const [id, rowHash] of db.prepare('SELECT s.settlement_id, s.row_hash FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE c.month = ? ORDER BY s.settlement_id').raw(true).iterate(month) as IterableIterator<[string, string]>) hash.update(`${id}\t${rowHash}\n`)
  return hash.digest('hex')
}
