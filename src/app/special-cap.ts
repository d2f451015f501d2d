/**
 * How much of the 特例单议 cap the approved cases use (policy special_case; N3/N5: DRG 5%, DIP 5‰
 * of the discharges paid by the year's method): per period (the year or its quarters) for the
 * region and, where the policy caps them, for each institution. `yb special import` and
 * `yb clear` report it and refuse approvals beyond a cap unless the policy allows them.
 *
 *   specialCapReport(db, policy, 2025) → {rows: [{scope: '统筹区', period: '2025', approved: 3, discharges: 1000, sharePercent: '0.30', capShare: '0.005', within: true}], beyond: []}
 */
import type {Policy} from '../clearing/policy.js'
import {countWithinShare, percentText, periodOfMonth} from '../clearing/special-cap.js'
import {inputError, InputErrors} from '../errors.js'
import {methodDischarges} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {approvedSpecialCounts} from '../store/special-cases.js'

export interface SpecialCapRow {
  /** '统筹区' (the region) or an institution id. */
  readonly scope: string
  readonly period: string
  readonly approved: number
  readonly discharges: number
  readonly sharePercent: string
  readonly capShare: string
  readonly limitCases: number
  readonly within: boolean
}

export interface SpecialCapReport {
  readonly beyondCap: 'REFUSE' | 'ALLOW'
  readonly rows: readonly SpecialCapRow[]
}

/** Discharges paid by the year's method, per institution and month (methodDischarges; a clearing counts them as it prices). */
export type MethodDischarges = readonly {readonly institutionId: string; readonly month: string; readonly cases: number}[]

export function specialCapReport(db: Db, policy: Policy, year: number, counted?: MethodDischarges): SpecialCapReport {
  const cap = policy.specialCap
  const from = `${year}-01`
  const to = `${year}-12`
  const discharges = new Map<string, number>()
  const approved = new Map<string, number>()
  const bump = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n)
  for (const row of counted ?? methodDischarges(db, from, to)) {
    const period = periodOfMonth(row.month, cap.period)
    bump(discharges, `\t${period}`, row.cases)
    bump(discharges, `${row.institutionId}\t${period}`, row.cases)
  }
  for (const row of approvedSpecialCounts(db, from, to)) {
    const period = periodOfMonth(row.month, cap.period)
    bump(approved, `\t${period}`, row.cases)
    bump(approved, `${row.institutionId}\t${period}`, row.cases)
  }
  const rows: SpecialCapRow[] = []
  const rowOf = (key: string, share: NonNullable<typeof cap.institutionCapShare>): SpecialCapRow => {
    const [scope, period] = key.split('\t') as [string, string]
    const count = approved.get(key) ?? 0
    const total = discharges.get(key) ?? 0
    const use = countWithinShare(count, total, share)
    return {scope: scope === '' ? '统筹区' : scope, period, approved: count, discharges: total, sharePercent: percentText(use.share), capShare: share.toString(), limitCases: use.limitCases, within: use.within}
  }
  const keys = [...new Set([...discharges.keys(), ...approved.keys()])].sort()
  for (const key of keys.filter((k) => k.startsWith('\t'))) rows.push(rowOf(key, cap.capShare))
  if (cap.institutionCapShare !== null) for (const key of keys.filter((k) => !k.startsWith('\t') && approved.has(k))) rows.push(rowOf(key, cap.institutionCapShare))
  return {beyondCap: cap.beyondCap, rows}
}

/** Refuses a report with a row beyond its cap, unless the policy allows it (then the rows say so). */
export function refuseBeyondCap(report: SpecialCapReport, label: string): void {
  const beyond = report.rows.filter((r) => !r.within)
  if (beyond.length === 0 || report.beyondCap === 'ALLOW') return
  throw new InputErrors(
    beyond.map((r) =>
      inputError(
        label,
        0,
        'special_case.cap_share',
        'cap_exceeded',
        `${r.scope} ${r.period}: ${r.approved} approved 特例单议 case(s) of ${r.discharges} discharges (${r.sharePercent}%) exceed the cap ${r.capShare} (at most ${r.limitCases})`,
        'reject or defer approvals beyond the cap, or set special_case.beyond_cap: ALLOW in the policy',
      ),
    ),
  )
}
