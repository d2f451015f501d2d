/**
 * The year-end clearing of 按人头付费 and 门特 packages in `yb clear` (src/clearing/capitation.ts):
 * per institution, pool and category, the months' budgets, counted spending and payments as the
 * months' current payment runs stored them, set against each other in the capitation band rule,
 * the deposit released by the institution's assessment, less the months paid: each step a line,
 * the balance their signed sum. The identity Σ paid + balance = 年度应支付合计 holds on every one.
 *
 *   capitationOfYear(db, policy, months, assessments) → {institutions: [{institutionId: 'C001', pool: '居民', category: '', lines: […], balanceYuan: '143000.00'}], totals: {…}}
 */
import {capitationYearHolds, capitationYearSums, clearCapitation, sumYuanText} from '../clearing/capitation.js'
import type {Assessment} from '../clearing/cycle.js'
import type {Policy} from '../clearing/policy.js'
import {assert} from '../errors.js'
import type {Db} from '../store/db.js'
import {runResult} from '../store/run-lines.js'
import {periodState} from '../store/runs.js'
import type {CapitationLineJson, CapitationMonthResult} from './capitation-pay.js'

export interface CapitationClearing {
  readonly institutionId: string
  readonly pool: string
  readonly category: string
  readonly name: string
  readonly monthsPaid: number
  readonly assessmentScore: string
  readonly lines: readonly {readonly key: string; readonly label: string; readonly amountYuan: string; readonly sign: 1 | -1 | 0}[]
  readonly balanceYuan: string
}

export interface CapitationYearResult {
  readonly institutions: readonly CapitationClearing[]
  readonly totals: {readonly budgetYuan: string; readonly finalEntitledYuan: string; readonly monthlyPaidYuan: string; readonly balanceYuan: string}
}

export function capitationOfYear(db: Db, policy: Policy, months: readonly string[], assessmentOf: (institutionId: string) => {assessment: Assessment; text: string}): CapitationYearResult | null {
  const c = policy.file.capitation
  if (c === undefined) return null
  const stored: CapitationLineJson[] = []
  for (const month of months) {
    const {runId} = periodState(db, 'pay', month)
    if (runId === null) continue
    stored.push(...(runResult<{capitation?: CapitationMonthResult | null}>(db, runId).capitation?.lines ?? []))
  }
  const sums = capitationYearSums(stored)
  const depositRate = c.deposit_rate ?? policy.file.quality_deposit.rate
  const institutions = [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, s]) => {
    const [institutionId, pool, category] = key.split('\t') as [string, string, string]
    const {assessment, text} = assessmentOf(institutionId)
    const clearing = clearCapitation({budgetYuan: s.budgetYuan, spendingYuan: s.spendingYuan, band: policy.capitationBand, depositRate, assessment, monthlyPaidYuan: s.paidYuan}, policy.roundingMode)
    assert(capitationYearHolds(clearing, s.paidYuan), `capitation ${key}: paid + balance = final entitlement`)
    return {
      institutionId,
      pool,
      category,
      name: s.name,
      monthsPaid: s.months,
      assessmentScore: text,
      lines: clearing.lines.map((l) => ({key: l.key, label: l.label, amountYuan: l.amountYuan.toFixed(2), sign: l.sign})),
      balanceYuan: clearing.balanceYuan.toFixed(2),
    }
  })
  const total = (key: string) => sumYuanText(institutions.map((i) => i.lines.find((l) => l.key === key)!.amountYuan))
  return {institutions, totals: {budgetYuan: total('budget'), finalEntitledYuan: total('finalEntitled'), monthlyPaidYuan: total('monthlyPaid'), balanceYuan: sumYuanText(institutions.map((i) => i.balanceYuan))}}
}
