/**
 * What `yb audit` reads and keeps: counts of the paid cases of the period's current payment runs
 * (summed in SQLite: a row per institution and stratum, memory flat), the readmission candidates
 * of the same person, and each audit with its signals and their cases.
 *
 *   strataCounts(db, [4], 'severity') → [{institutionId: 'H001', stratum: 'BR2', cases: 80, flagged: 28}, …]
 */
import type {ReadmissionCandidate, StratumCount} from '../quality/signals.js'
import type {Db} from './db.js'

const inList = (ids: readonly number[]): string => ids.map((id) => String(Math.trunc(id))).join(', ') || 'NULL'

/** Grouped cases in ADRGs with a severity split, per institution and ADRG; flagged: in the MCC/CC groups (ending 1 or 3). */
export function severityCounts(db: Db, runIds: readonly number[]): StratumCount[] {
  const rows = db
    .prepare(
      `SELECT institution_id, substr(drg, 1, 3) AS adrg, COUNT(*) AS cases, SUM(substr(drg, 4, 1) IN ('1', '3')) AS flagged
       FROM run_case WHERE run_id IN (${inList(runIds)}) AND status = 'grouped' AND length(drg) = 4 AND substr(drg, 4, 1) IN ('1', '3', '5')
       GROUP BY institution_id, adrg`,
    )
    .raw(true)
    .all() as [string, string, number, number][]
  // Only ADRGs that are split in the region: some of its cases severe and some not.
  const split = new Map<string, {severe: number; plain: number}>()
  for (const [, adrg, cases, flagged] of rows) {
    const s = split.get(adrg) ?? {severe: 0, plain: 0}
    s.severe += flagged
    s.plain += cases - flagged
    split.set(adrg, s)
  }
  return rows.filter(([, adrg]) => split.get(adrg)!.severe > 0 && split.get(adrg)!.plain > 0).map(([institutionId, stratum, cases, flagged]) => ({institutionId, stratum, cases, flagged}))
}

/** Per group (the run's DRG or DIP group) of the grouped cases: cases and Σ 医疗总费用 in 分. */
export function groupCosts(db: Db, runIds: readonly number[]): Map<string, {cases: number; costFen: bigint}> {
  const rows = db
    .prepare(
      `SELECT r.drg, COUNT(*), SUM(CAST(REPLACE(c.total_cost, '.', '') AS INTEGER))
       FROM run_case r JOIN settlement_case c USING (settlement_id)
       WHERE r.run_id IN (${inList(runIds)}) AND r.status = 'grouped' GROUP BY r.drg`,
    )
    .raw(true)
    .safeIntegers(true)
    .all() as [string, bigint, bigint][]
  return new Map(rows.map(([drg, cases, cost]) => [drg, {cases: Number(cases), costFen: cost}]))
}

/** Grouped cases per institution and group, with those that are 低倍率 (outlier low). */
export function groupCounts(db: Db, runIds: readonly number[]): {institutionId: string; drg: string; cases: number; low: number}[] {
  return (
    db
      .prepare(`SELECT institution_id, drg, COUNT(*), SUM(outlier = 'low') FROM run_case WHERE run_id IN (${inList(runIds)}) AND status = 'grouped' GROUP BY institution_id, drg`)
      .raw(true)
      .all() as [string, string, number, number][]
  ).map(([institutionId, drg, cases, low]) => ({institutionId, drg, cases, low}))
}

/** The grouped stays of at most `days` days: institution, group and cost in 分 (streamed). */
export function shortStays(db: Db, runIds: readonly number[], days: number): IterableIterator<[string, string, string, number]> {
  return db
    .prepare(
      `SELECT r.institution_id, r.drg, r.settlement_id, CAST(REPLACE(c.total_cost, '.', '') AS INTEGER)
       FROM run_case r JOIN settlement_case c USING (settlement_id)
       WHERE r.run_id IN (${inList(runIds)}) AND r.status = 'grouped' AND CAST(c.los_days AS INTEGER) <= ?`,
    )
    .raw(true)
    .iterate(days) as IterableIterator<[string, string, string, number]>
}

/** Analysable cases (all but 待更正) per institution, with those in QY or 0000. */
export function qyCounts(db: Db, runIds: readonly number[]): StratumCount[] {
  return (
    db
      .prepare(`SELECT institution_id, COUNT(*), SUM(status IN ('qy', 'ungroupable')) FROM run_case WHERE run_id IN (${inList(runIds)}) AND status <> 'invalid' GROUP BY institution_id`)
      .raw(true)
      .all() as [string, number, number][]
  ).map(([institutionId, cases, flagged]) => ({institutionId, stratum: '', cases, flagged}))
}

/** Cases of one institution in the runs matching a condition on run_case r (a fixed SQL fragment of this module's callers). */
export function institutionCases(db: Db, runIds: readonly number[], institutionId: string, where: 'severe' | 'low_outlier' | 'qy'): string[] {
  const condition = {
    severe: "r.status = 'grouped' AND length(r.drg) = 4 AND substr(r.drg, 4, 1) IN ('1', '3')",
    low_outlier: "r.status = 'grouped' AND r.outlier = 'low'",
    qy: "r.status IN ('qy', 'ungroupable')",
  }[where]
  return db.prepare(`SELECT r.settlement_id FROM run_case r WHERE r.run_id IN (${inList(runIds)}) AND r.institution_id = ? AND ${condition} ORDER BY r.settlement_id`).pluck().all(institutionId) as string[]
}

/**
 * Pairs of stays of the same person at the same institution, the second paid in the runs and
 * admitted on or after the first's discharge and at most `days` after it (the first may be of any
 * month). Each stay carries the group its month's current payment run gave it.
 */
export function readmissionCandidates(db: Db, runIds: readonly number[], days: number): ReadmissionCandidate[] {
  const rows = db
    .prepare(
      `SELECT b.institution_id, b.person_id,
              a.settlement_id, a.month, a.admit_date, a.discharge_date, a.dx_codes, COALESCE(ra.drg, ''), COALESCE(ra.status, ''),
              b.settlement_id, b.month, b.admit_date, b.discharge_date, b.dx_codes, rb.drg, rb.status
       FROM run_case rb
       JOIN settlement_case b ON b.settlement_id = rb.settlement_id
       JOIN settlement_case a ON a.person_id = b.person_id AND a.institution_id = b.institution_id AND a.person_id <> ''
       LEFT JOIN run_case ra ON ra.settlement_id = a.settlement_id AND ra.run_id = (SELECT p.run_id FROM period p WHERE p.kind = 'pay' AND p.period = a.month)
       WHERE rb.run_id IN (${inList(runIds)}) AND b.person_id <> '' AND b.admit_date <> '' AND a.discharge_date <> ''
         AND a.settlement_id <> b.settlement_id AND a.discharge_date <= b.admit_date AND a.discharge_date >= date(b.admit_date, ?)
         AND (a.admit_date < b.admit_date OR (a.admit_date = b.admit_date AND a.settlement_id < b.settlement_id))
       ORDER BY b.settlement_id, a.settlement_id`,
    )
    .raw(true)
    .all(`-${Math.trunc(days)} days`) as string[][]
  const pdx = (codes: string): string => codes.split('|')[0]!.trim()
  return rows.map((r) => ({
    institutionId: r[0]!,
    personKey: r[1]!,
    first: {settlementId: r[2]!, month: r[3]!, admitDate: r[4]!, dischargeDate: r[5]!, pdx: pdx(r[6]!), drg: r[7]!, status: r[8]!},
    second: {settlementId: r[9]!, month: r[10]!, admitDate: r[11]!, dischargeDate: r[12]!, pdx: pdx(r[13]!), drg: r[14]!, status: r[15]!},
  }))
}

export interface StoredSignal {
  readonly kind: string
  readonly institutionId: string
  readonly subject: string
  readonly evidence: unknown
  readonly cases: readonly string[]
}

/** Records an audit with its raised signals and their cases; returns its id. */
export function saveAudit(db: Db, period: string, inputs: unknown, result: unknown, signals: readonly StoredSignal[]): number {
  return db.transaction(() => {
    const auditId = Number(db.prepare('INSERT INTO audit_run (period, started_at, inputs_json, result_json) VALUES (?, ?, ?, ?)').run(period, new Date().toISOString(), JSON.stringify(inputs), JSON.stringify(result)).lastInsertRowid)
    const signal = db.prepare('INSERT INTO audit_signal (audit_id, signal_no, kind, institution_id, subject, evidence_json) VALUES (?, ?, ?, ?, ?, ?)')
    const caseRow = db.prepare('INSERT OR IGNORE INTO audit_case (audit_id, settlement_id, signal_no) VALUES (?, ?, ?)')
    signals.forEach((s, k) => {
      signal.run(auditId, k + 1, s.kind, s.institutionId, s.subject, JSON.stringify(s.evidence))
      for (const id of s.cases) caseRow.run(auditId, id, k + 1)
    })
    return auditId
  })()
}

/** The cases of the newest audit of a period with their signal kinds ('分解住院|高套'), for yb review's filter. */
export function flaggedCases(db: Db, period: string): Map<string, string[]> {
  const auditId = db.prepare('SELECT MAX(audit_id) FROM audit_run WHERE period = ?').pluck().get(period) as number | null
  const flagged = new Map<string, string[]>()
  if (auditId === null) return flagged
  const rows = db.prepare('SELECT c.settlement_id, s.kind FROM audit_case c JOIN audit_signal s USING (audit_id, signal_no) WHERE c.audit_id = ? ORDER BY c.settlement_id').raw(true).all(auditId) as [string, string][]
  for (const [id, kind] of rows) flagged.set(id, [...new Set([...(flagged.get(id) ?? []), kind])])
  return flagged
}

/** Every case of an audit's signals: signal number, kind, institution, subject, settlement id (streamed). */
export function auditCaseRows(db: Db, auditId: number): IterableIterator<[number, string, string, string, string]> {
  return db
    .prepare('SELECT s.signal_no, s.kind, s.institution_id, s.subject, c.settlement_id FROM audit_case c JOIN audit_signal s USING (audit_id, signal_no) WHERE c.audit_id = ? ORDER BY s.signal_no, c.settlement_id')
    .raw(true)
    .iterate(auditId) as IterableIterator<[number, string, string, string, string]>
}
