/**
 * What a month's payment reads of the month itself, as hashes: its cases, its deductions, the
 * 特例单议 marks and decisions on its cases, and the corrections it settles. A payment run records
 * them; `yb pay` returns the current run when they (and the policy, scheme, weights and
 * institutions) are unchanged, and `yb period close` refuses a month whose run no longer matches
 * them (its cases changed since: pay it again first).
 *
 *   monthInputsRead(db, '2025-03') → {cases: '9f…', deductions: '3a…', special: 'e3…', corrections: 'e3…'}
 */
import {monthCapitationSha256} from '../store/capitation-data.js'
import {monthCasesSha256} from '../store/cases.js'
import {monthCorrectionsSha256} from '../store/corrections.js'
import type {Db} from '../store/db.js'
import {monthDeductionsSha256} from '../store/settlement-data.js'
import {monthSpecialSha256} from '../store/special-cases.js'

export interface MonthInputsRead {
  readonly cases: string
  readonly deductions: string
  readonly special: string
  readonly corrections: string
  /** 按人头付费: the month's enrolment and outpatient spending. */
  readonly capitation: string
}

/** With {cases: false} the cases' hash (a pass over the month's rows) is left out: a payment makes it while it prices them. */
export function monthInputsRead(db: Db, month: string): MonthInputsRead
export function monthInputsRead(db: Db, month: string, options: {cases: false}): Omit<MonthInputsRead, 'cases'>
export function monthInputsRead(db: Db, month: string, options?: {cases: false}): MonthInputsRead | Omit<MonthInputsRead, 'cases'> {
  const others = {
    deductions: monthDeductionsSha256(db, Number(month.slice(0, 4)), month),
    special: monthSpecialSha256(db, month),
    corrections: monthCorrectionsSha256(db, month),
    capitation: monthCapitationSha256(db, month),
  }
  return options?.cases === false ? others : {cases: monthCasesSha256(db, month), ...others}
}

const NAMES: Record<keyof MonthInputsRead, string> = {cases: 'its cases', deductions: 'its deductions', special: 'its 特例单议 marks or decisions', corrections: 'its corrections', capitation: 'its enrolment or outpatient spending'}

/** What changed since a run read the month (names for people), or [] when nothing did (or the run is older than these records). */
export function changedSince(recorded: Partial<MonthInputsRead> | undefined, now: MonthInputsRead): string[] {
  if (recorded === undefined) return []
  return (Object.keys(NAMES) as (keyof MonthInputsRead)[]).filter((k) => recorded[k] !== undefined && recorded[k] !== now[k]).map((k) => NAMES[k])
}
