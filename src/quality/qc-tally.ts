/**
 * The counts of a quality check: per rule the cases that fail it, per institution the cases,
 * those that pass every rule (通过率), those with an error and with only warnings, and its most
 * failed rules. Memory grows with institutions and rules, not with cases.
 *
 *   const tally = new QcTally(qc.rules)
 *   tally.add('H001', [0, 3]);  tally.summary() → {cases: 1, passed: 0, byRule: […], byInstitution: […]}
 */
import {shareText} from '../clearing/supervision.js'
import type {QcRule, Severity} from './qc-pack.js'

export interface RuleCount {
  readonly id: string
  readonly severity: Severity
  readonly message: string
  readonly cases: number
}

export interface InstitutionQuality {
  readonly institutionId: string
  readonly cases: number
  readonly passed: number
  /** passed ÷ cases, 4 places HALF_UP. */
  readonly passRate: string
  readonly withErrors: number
  readonly warningsOnly: number
  /** Its most failed rules, most first (at most 3). */
  readonly topRules: readonly {readonly id: string; readonly cases: number}[]
}

export interface QcSummary {
  readonly cases: number
  readonly passed: number
  readonly passRate: string
  readonly withErrors: number
  readonly warningsOnly: number
  readonly byRule: readonly RuleCount[]
  readonly byInstitution: readonly InstitutionQuality[]
}

interface Counts {
  cases: number
  passed: number
  withErrors: number
  warningsOnly: number
  byRule: Int32Array
}

export class QcTally {
  private readonly rules: readonly QcRule[]
  private readonly total: Counts
  private readonly institutions = new Map<string, Counts>()

  constructor(rules: readonly QcRule[]) {
    this.rules = rules
    this.total = this.counts()
  }

  private counts(): Counts {
    return {cases: 0, passed: 0, withErrors: 0, warningsOnly: 0, byRule: new Int32Array(this.rules.length)}
  }

  /** One case and the indexes of the rules it fails; true when one of them is an error. */
  add(institutionId: string, failed: readonly number[]): boolean {
    let counts = this.institutions.get(institutionId)
    if (counts === undefined) {
      counts = this.counts()
      this.institutions.set(institutionId, counts)
    }
    const error = failed.some((k) => this.rules[k]!.severity === 'error')
    for (const c of [this.total, counts]) {
      c.cases++
      if (failed.length === 0) c.passed++
      else if (error) c.withErrors++
      else c.warningsOnly++
      for (const k of failed) c.byRule[k]!++
    }
    return error
  }

  summary(): QcSummary {
    const t = this.total
    const byRule = this.rules.map((rule, k) => ({id: rule.id, severity: rule.severity, message: rule.message, cases: t.byRule[k]!}))
    const byInstitution = [...this.institutions]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([institutionId, c]) => ({
        institutionId,
        cases: c.cases,
        passed: c.passed,
        passRate: shareText(c.passed, c.cases),
        withErrors: c.withErrors,
        warningsOnly: c.warningsOnly,
        topRules: this.rules
          .map((rule, k) => ({id: rule.id, cases: c.byRule[k]!}))
          .filter((r) => r.cases > 0)
          .sort((a, b) => b.cases - a.cases || (a.id < b.id ? -1 : 1))
          .slice(0, 3),
      }))
    return {cases: t.cases, passed: t.passed, passRate: shareText(t.passed, t.cases), withErrors: t.withErrors, warningsOnly: t.warningsOnly, byRule, byInstitution}
  }
}
