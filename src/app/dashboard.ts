/**
 * `yb dashboard`: the year so far, from the current payment run of each month and the year's
 * prepayment: per institution its cases, CMI, fund due and paid to date (按人头付费 lines included), and a projected
 * year-end balance; per month the region's fund due; the budget to date. Bars and sparklines
 * come as whole levels computed here from integer 分, so the screen only draws them.
 *
 * Projection (before bands, deposit and assessment, which the clearing applies):
 *   projected balance = Σ 预留 to date × 12 ÷ months paid − 预付金冲抵 (OFFSET recovery)
 *
 *   dashboardData(db, 2025) → {monthsPaid: ['2025-01', …], institutions: [{institutionId: 'H001', cmi: '1.0321', paidBar: 96, spark: [3, 5, 7, -1, …]}, …]}
 */
import {globalBudget} from '../clearing/cycle.js'
import {barLevel, budgetPosition, budgetToDateYuan, caseMixIndex, projectedBalanceYuan, sparkLevels, usedPercent} from '../clearing/indicators.js'
import {FenSum} from '../clearing/ledger.js'
import {WeightSums} from '../clearing/units.js'
import type {Db} from '../store/db.js'
import {institutionRows} from '../store/institutions.js'
import {currentRunLines, runResult} from '../store/run-lines.js'
import type {CapitationYearResult} from './capitation-clear.js'
import type {CapitationMonthResult} from './capitation-pay.js'
import {consumptionIndexes} from './consumption-indexes.js'
import {yearPolicy} from './year-policy.js'

/** Eighths of a cell: a bar `BAR_CELLS` wide has BAR_CELLS × 8 levels. */
export const BAR_CELLS = 10

export interface DashboardInstitution {
  readonly institutionId: string
  readonly name: string
  readonly level: string
  readonly cases: number
  readonly weightedCases: number
  /** Σ weight ÷ cases paid by their group, 4 dp; '' when none (or runs from before weights were kept). */
  readonly cmi: string
  /** 费用消耗指数 and 时间消耗指数 of the paid months (4 dp); null until computed (the screen fills them in when its worker answers). */
  readonly costIndex: string | null
  readonly timeIndex: string | null
  readonly fundDueYuan: string
  readonly paidYuan: string
  readonly withheldYuan: string
  /** Of paidYuan, what 按人头付费 and 门特 packages paid (the region's budget line counts the cases only). */
  readonly capitationPaidYuan: string
  readonly prepaidYuan: string
  readonly projectedBalanceYuan: string
  /** After the year's clearing: its 本期应补应扣 (the institution's pools summed); null before. */
  readonly clearedBalanceYuan: string | null
  /** After the clearing, its lines summed over the institution's pools: 统筹基金应支付, 结余留用/超支分担调整, 质量保证金扣除, 扣款合计. */
  readonly cleared: {readonly entitledYuan: string; readonly bandAdjustmentYuan: string; readonly depositForfeitedYuan: string; readonly deductionsYuan: string} | null
  /** Per month of the year: paid that month, or null when the month has no payment run. */
  readonly monthlyPaidYuan: readonly (string | null)[]
  /** 0 … BAR_CELLS × 8: paid to date against the institution paid most. */
  readonly paidBar: number
  /** Per month 0 … 7 from the institution's lowest to its highest month; -1 for a month not paid. */
  readonly spark: readonly number[]
}

export interface DashboardData {
  readonly year: number
  readonly method: string
  readonly region: {readonly code: string; readonly name: string}
  readonly monthsPaid: readonly string[]
  readonly budget: {readonly availableYuan: string; readonly toDateYuan: string; readonly fundDueYuan: string; readonly usedPercent: string; readonly position: 'over' | 'under' | 'on'}
  /** The year's current clearing run, when there is one: the rows then show its balance. */
  readonly clearRunId: number | null
  readonly monthly: readonly {readonly month: string; readonly cases: number; readonly fundDueYuan: string; readonly paidYuan: string}[]
  /** The region's fund due per month, 0 … 7; -1 for a month not paid. */
  readonly monthlySpark: readonly number[]
  readonly institutions: readonly DashboardInstitution[]
  readonly projection: string
}

interface Totals {
  cases: number
  readonly due: FenSum
  readonly paid: FenSum
  readonly capitationPaid: FenSum
  readonly withheld: FenSum
  readonly prepaid: FenSum
  readonly monthlyPaid: (FenSum | null)[]
}

interface PayLine {
  cases: number
  fundDueYuan: string
  payYuan: string
  withheldYuan: string
  weightedCases?: number
  weightSum?: string
}

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']

/** One line of month k (cases of a pool, or a capitation line) into an institution's totals. */
function addMonth(t: Totals, k: number, dueYuan: string, payYuan: string, withheldYuan: string): void {
  t.due.add(dueYuan)
  t.paid.add(payYuan)
  t.withheld.add(withheldYuan)
  const paidThisMonth = t.monthlyPaid[k] ?? new FenSum()
  paidThisMonth.add(payYuan)
  t.monthlyPaid[k] = paidThisMonth
}

/** `indexes`: compute the consumption indexes here (for --json); the screen has a worker compute them instead. */
export function dashboardData(db: Db, year: number, options: {readonly indexes?: boolean} = {}): DashboardData {
  const {policy} = yearPolicy(db, year)
  const p = policy.file
  const mode = policy.roundingMode
  const institutions = new Map(institutionRows(db).map((i) => [i.institution_id, i]))
  const totals = new Map<string, Totals>()
  const weights = new WeightSums()
  const of = (id: string): Totals => {
    let t = totals.get(id)
    if (t === undefined) {
      t = {cases: 0, due: new FenSum(), paid: new FenSum(), capitationPaid: new FenSum(), withheld: new FenSum(), prepaid: new FenSum(), monthlyPaid: MONTHS.map(() => null)}
      totals.set(id, t)
    }
    return t
  }
  const monthsPaid: string[] = []
  const monthly: {month: string; cases: number; due: FenSum; paid: FenSum}[] = []
  MONTHS.forEach((mm, k) => {
    const month = `${year}-${mm}`
    const run = currentRunLines<PayLine>(db, 'pay', month)
    if (run === undefined) return
    monthsPaid.push(month)
    const m = {month, cases: 0, due: new FenSum(), paid: new FenSum()}
    for (const {institutionId, line} of run.lines) {
      const t = of(institutionId)
      t.cases += line.cases
      if (line.weightSum !== undefined) weights.addSum(institutionId, line.weightSum, line.weightedCases ?? 0)
      addMonth(t, k, line.fundDueYuan, line.payYuan, line.withheldYuan)
      m.cases += line.cases
      m.due.add(line.fundDueYuan)
      m.paid.add(line.payYuan)
    }
    // 按人头付费 and 门特 packages: an institution's own lines (a community centre may have no case at all).
    for (const line of runResult<{capitation?: CapitationMonthResult | null}>(db, run.runId).capitation?.lines ?? []) {
      const t = of(line.institutionId)
      addMonth(t, k, line.dueYuan, line.payYuan, line.withheldYuan)
      t.capitationPaid.add(line.payYuan)
    }
    monthly.push(m)
  })
  if (p.prepay.recovery_mode === 'OFFSET') {
    for (const {institutionId, line} of currentRunLines<{prepaymentYuan: string}>(db, 'prepay', String(year))?.lines ?? []) of(institutionId).prepaid.add(line.prepaymentYuan)
  }

  // After the clearing, each institution's balance as cleared (its pools summed), not projected.
  const cleared = currentRunLines<{balanceYuan: string; lines: {key: string; amountYuan: string}[]}>(db, 'clear', String(year))
  const CLEARED_LINES = ['entitled', 'bandAdjustment', 'depositForfeited', 'deductions'] as const
  const clearedBalance = new Map<string, FenSum>()
  const clearedLines = new Map<string, Map<string, FenSum>>()
  for (const {institutionId, line} of cleared?.lines ?? []) {
    const sum = clearedBalance.get(institutionId) ?? new FenSum()
    sum.add(line.balanceYuan)
    clearedBalance.set(institutionId, sum)
    const sums = clearedLines.get(institutionId) ?? new Map(CLEARED_LINES.map((key) => [key, new FenSum()]))
    for (const l of line.lines) sums.get(l.key)?.add(l.amountYuan)
    clearedLines.set(institutionId, sums)
    of(institutionId)
  }
  const clearedCapitation = cleared === undefined ? undefined : runResult<{capitation?: CapitationYearResult | null}>(db, cleared.runId).capitation
  for (const c of clearedCapitation?.institutions ?? []) {
    const sum = clearedBalance.get(c.institutionId) ?? new FenSum()
    sum.add(c.balanceYuan)
    clearedBalance.set(c.institutionId, sum)
    // Its budget counts as what it was entitled to; the band and deposit lines as for cases.
    const sums = clearedLines.get(c.institutionId) ?? new Map(CLEARED_LINES.map((key) => [key, new FenSum()]))
    for (const l of c.lines) sums.get(l.key === 'budget' ? 'entitled' : l.key)?.add(l.amountYuan)
    clearedLines.set(c.institutionId, sums)
    of(c.institutionId)
  }
  const clearedOf = (id: string) => {
    const sums = clearedLines.get(id)
    const text = (key: (typeof CLEARED_LINES)[number]) => sums?.get(key)?.text ?? '0.00'
    return cleared === undefined ? null : {entitledYuan: text('entitled'), bandAdjustmentYuan: text('bandAdjustment'), depositForfeitedYuan: text('depositForfeited'), deductionsYuan: text('deductions')}
  }
  const indexes = options.indexes === true ? consumptionIndexes(db, monthsPaid) : undefined
  const maxPaid = Math.max(1, ...[...totals.values()].map((t) => t.paid.totalFen))
  const rows = [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, t]): DashboardInstitution => {
    const institution = institutions.get(id)
    return {
      institutionId: id,
      name: institution?.name ?? '',
      level: institution?.level ?? '',
      cases: t.cases,
      weightedCases: weights.casesOf(id),
      cmi: caseMixIndex(weights.sumText(id), weights.casesOf(id), mode),
      costIndex: indexes?.[id]?.costIndex ?? null,
      timeIndex: indexes?.[id]?.timeIndex ?? null,
      fundDueYuan: t.due.text,
      paidYuan: t.paid.text,
      withheldYuan: t.withheld.text,
      capitationPaidYuan: t.capitationPaid.text,
      prepaidYuan: t.prepaid.text,
      projectedBalanceYuan: projectedBalanceYuan({withheldYuan: t.withheld.yuan, monthsPaid: monthsPaid.length, prepaidYuan: t.prepaid.yuan}, mode).toFixed(2),
      clearedBalanceYuan: cleared === undefined ? null : (clearedBalance.get(id)?.text ?? '0.00'),
      cleared: clearedOf(id),
      monthlyPaidYuan: t.monthlyPaid.map((f) => (f === null ? null : f.text)),
      paidBar: barLevel(t.paid.totalFen, maxPaid, BAR_CELLS * 8),
      spark: sparkLevels(t.monthlyPaid.map((f) => (f === null ? null : f.totalFen))),
    }
  })
  const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, mode)
  const toDate = budgetToDateYuan(availableYuan, monthsPaid.length, mode)
  const due = new FenSum()
  for (const m of monthly) due.add(m.due.text)
  return {
    year,
    method: p.method,
    region: {code: p.region.code, name: p.region.name},
    monthsPaid,
    budget: {availableYuan: availableYuan.toFixed(2), toDateYuan: toDate.toFixed(2), fundDueYuan: due.text, usedPercent: usedPercent(due.yuan, toDate, mode), position: budgetPosition(due.yuan, toDate)},
    clearRunId: cleared?.runId ?? null,
    monthly: monthly.map((m) => ({month: m.month, cases: m.cases, fundDueYuan: m.due.text, paidYuan: m.paid.text})),
    monthlySpark: sparkLevels(MONTHS.map((mm) => monthly.find((x) => x.month === `${year}-${mm}`)?.due.totalFen ?? null)),
    institutions: rows,
    projection:
      cleared === undefined
        ? '预计年终应补应扣 = 预留至今 × 12 ÷ 已付月数 − 预付金冲抵 (before bands, deposit and assessment)'
        : `年终应补应扣 as cleared by run ${cleared.runId} (yb clear --year ${year}: bands, deposit, assessment and deductions applied)`,
  }
}
