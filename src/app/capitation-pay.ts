/**
 * The month's 按人头付费 and 门特 package lines of `yb pay` (src/clearing/capitation.ts): per
 * institution, pool and category the budget, the spending that counts, the due, the payment and
 * what is held back, from the month's enrolment and spending as stored. A month with capitation
 * in the policy and no enrolment says so; spending without enrolment is reported, not paid.
 *
 *   capitationOfMonth(db, policy, '2025-03') → {lines: [{institutionId: 'C001', pool: '居民', category: '', budgetYuan: '300000.00', payYuan: '270000.00', …}], totals: {…}, warnings: []}
 */
import {capitationMonth, type CapitationRules, sumYuanText} from '../clearing/capitation.js'
import {parseDecimal} from '../clearing/money.js'
import type {Policy} from '../clearing/policy.js'
import {monthCapitationRows} from '../store/capitation-data.js'
import type {Db} from '../store/db.js'

export interface CapitationLineJson {
  readonly institutionId: string
  readonly pool: string
  readonly category: string
  /** 按人头, or the 门特 package's name. */
  readonly name: string
  readonly persons: number
  readonly budgetYuan: string
  readonly spendingYuan: string
  readonly dueYuan: string
  readonly payYuan: string
  readonly withheldYuan: string
}

export interface CapitationMonthResult {
  readonly lines: readonly CapitationLineJson[]
  readonly totals: {readonly persons: number; readonly budgetYuan: string; readonly dueYuan: string; readonly payYuan: string; readonly withheldYuan: string}
  readonly warnings: readonly string[]
}

export function capitationRules(policy: Policy): CapitationRules | undefined {
  const c = policy.file.capitation
  if (c === undefined) return undefined
  return {
    pools: Object.fromEntries(Object.entries(c.pools).map(([pool, p]) => [pool, {standardYuan: p.standard_yuan, rule: p.monthly_rule, preSettleRatio: p.pre_settle_ratio, chargeOutside: p.charge_outside, coefficients: new Map(Object.entries(p.category_coefficients))}])),
    packages: new Map(c.packages.map((p) => [p.code, {name: p.name, yuanPerPatientYear: p.yuan_per_patient_year}])),
  }
}

/** undefined when the policy pays nothing by head and the month has no capitation rows. */
export function capitationOfMonth(db: Db, policy: Policy, month: string): CapitationMonthResult | undefined {
  const rules = capitationRules(policy)
  const rows = monthCapitationRows(db, month)
  if (rules === undefined) return undefined
  const warnings: string[] = []
  const lines: CapitationLineJson[] = []
  for (const row of rows) {
    if (row.persons === null) {
      warnings.push(`capitation: ${row.institutionId} ${row.pool}${row.category === '' ? '' : ` ${row.category}`} has spending in ${month} but no enrolment: nothing is budgeted or paid for it`)
      continue
    }
    const line = capitationMonth({institutionId: row.institutionId, pool: row.pool, category: row.category, persons: Number(row.persons), ownYuan: parseDecimal(row.ownYuan), outsideYuan: parseDecimal(row.outsideYuan)}, rules, policy.roundingMode)
    lines.push({
      institutionId: line.institutionId,
      pool: line.pool,
      category: line.category,
      name: line.name,
      persons: line.persons,
      budgetYuan: line.budgetYuan.toFixed(2),
      spendingYuan: line.spendingYuan.toFixed(2),
      dueYuan: line.dueYuan.toFixed(2),
      payYuan: line.payYuan.toFixed(2),
      withheldYuan: line.withheldYuan.toFixed(2),
    })
  }
  if (lines.length === 0) warnings.push(`capitation: the policy pays by head but ${month} has no enrolment: nothing is paid by head this month (yb enrollment import --month ${month})`)
  const total = (key: 'budgetYuan' | 'dueYuan' | 'payYuan' | 'withheldYuan') => sumYuanText(lines.map((l) => l[key]))
  return {lines, totals: {persons: lines.reduce((n, l) => n + l.persons, 0), budgetYuan: total('budgetYuan'), dueYuan: total('dueYuan'), payYuan: total('payYuan'), withheldYuan: total('withheldYuan')}, warnings}
}
