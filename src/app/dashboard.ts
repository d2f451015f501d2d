/**
 * `yb dashboard`: the year so far, from the current payment run of each month and the year's
 * prepayment: per institution its cases, CMI, fund due and paid to date, and a projected
 * year-end balance; per month the region's fund due; the budget to date. Bars and sparklines
 * come as whole levels computed here from integer 分, so the screen only draws them.
 *
 * Projection (before bands, deposit and assessment, which the clearing applies):
 *   projected balance = Σ 预留 to date × 12 ÷ months paid − 预付金冲抵 (OFFSET recovery)
 *
 *   dashboardData(db, 2025) → {monthsPaid: ['2025-01', …], institutions: [{institutionId: 'H001', cmi: '1.0321', paidBar: 96, spark: [3, 5, 7, -1, …]}, …]}
 */
import {globalBudget} from '../clearing/cycle.js'
import {fenText, parseFen, yuanOfFen} from '../clearing/fen.js'
import {decimalOfInteger, parseDecimal, round, roundYuan, ZERO} from '../clearing/money.js'
import {parsePolicy} from '../clearing/policy.js'
import {unitsOf, unitsText} from '../clearing/units.js'
import {InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {currentPolicy} from '../store/policies.js'
import {periodState} from '../store/runs.js'

/** Eighths of a cell: a bar `BAR_CELLS` wide has BAR_CELLS × 8 levels. */
export const BAR_CELLS = 10
const WEIGHT_PLACES = 10

export interface DashboardInstitution {
  readonly institutionId: string
  readonly name: string
  readonly level: string
  readonly cases: number
  readonly weightedCases: number
  /** Σ weight ÷ cases paid by their group, 4 dp; '' when none (or runs from before weights were kept). */
  readonly cmi: string
  readonly fundDueYuan: string
  readonly paidYuan: string
  readonly withheldYuan: string
  readonly prepaidYuan: string
  readonly projectedBalanceYuan: string
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
  readonly budget: {readonly availableYuan: string; readonly toDateYuan: string; readonly fundDueYuan: string; readonly usedPercent: string}
  readonly monthly: readonly {readonly month: string; readonly cases: number; readonly fundDueYuan: string; readonly paidYuan: string}[]
  /** The region's fund due per month, 0 … 7; -1 for a month not paid. */
  readonly monthlySpark: readonly number[]
  readonly institutions: readonly DashboardInstitution[]
  readonly projection: string
}

interface Totals {
  cases: number
  weightedCases: number
  weightUnits: bigint
  dueFen: number
  paidFen: number
  withheldFen: number
  prepaidFen: number
  monthlyPaidFen: (number | null)[]
}

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']

export function dashboardData(db: Db, year: number): DashboardData {
  const stored = currentPolicy(db, year)
  const parsed = parsePolicy(`policy ${year} v${stored.version}`, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  const p = parsed.policy.file
  const institutions = new Map((db.prepare('SELECT institution_id, name, level FROM institution ORDER BY institution_id').all() as {institution_id: string; name: string; level: string}[]).map((i) => [i.institution_id, i]))
  const totals = new Map<string, Totals>()
  const of = (id: string): Totals => {
    let t = totals.get(id)
    if (t === undefined) {
      t = {cases: 0, weightedCases: 0, weightUnits: 0n, dueFen: 0, paidFen: 0, withheldFen: 0, prepaidFen: 0, monthlyPaidFen: MONTHS.map(() => null)}
      totals.set(id, t)
    }
    return t
  }
  const linesOf = db.prepare('SELECT institution_id, lines_json FROM run_institution WHERE run_id = ?')
  const monthsPaid: string[] = []
  const monthly: {month: string; cases: number; dueFen: number; paidFen: number}[] = []
  MONTHS.forEach((mm, k) => {
    const month = `${year}-${mm}`
    const {runId} = periodState(db, 'pay', month)
    if (runId === null) return
    monthsPaid.push(month)
    const m = {month, cases: 0, dueFen: 0, paidFen: 0}
    for (const row of linesOf.all(runId) as {institution_id: string; lines_json: string}[]) {
      const line = JSON.parse(row.lines_json) as {cases: number; fundDueYuan: string; payYuan: string; withheldYuan: string; weightedCases?: number; weightSum?: string}
      const t = of(row.institution_id)
      t.cases += line.cases
      t.weightedCases += line.weightedCases ?? 0
      t.weightUnits += line.weightSum === undefined ? 0n : unitsOf(line.weightSum, WEIGHT_PLACES)
      t.dueFen += parseFen(line.fundDueYuan)
      t.paidFen += parseFen(line.payYuan)
      t.withheldFen += parseFen(line.withheldYuan)
      t.monthlyPaidFen[k] = (t.monthlyPaidFen[k] ?? 0) + parseFen(line.payYuan)
      m.cases += line.cases
      m.dueFen += parseFen(line.fundDueYuan)
      m.paidFen += parseFen(line.payYuan)
    }
    monthly.push(m)
  })
  const prepay = periodState(db, 'prepay', String(year)).runId
  if (prepay !== null && p.prepay.recovery_mode === 'OFFSET') {
    for (const row of linesOf.all(prepay) as {institution_id: string; lines_json: string}[]) of(row.institution_id).prepaidFen += parseFen((JSON.parse(row.lines_json) as {prepaymentYuan: string}).prepaymentYuan)
  }

  const mode = parsed.policy.roundingMode
  const maxPaid = Math.max(1, ...[...totals.values()].map((t) => t.paidFen))
  const rows = [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, t]): DashboardInstitution => {
    const institution = institutions.get(id)
    const projected = monthsPaid.length === 0 ? ZERO : roundYuan(yuanOfFen(t.withheldFen).times(12).div(monthsPaid.length), mode).minus(yuanOfFen(t.prepaidFen))
    return {
      institutionId: id,
      name: institution?.name ?? '',
      level: institution?.level ?? '',
      cases: t.cases,
      weightedCases: t.weightedCases,
      cmi: t.weightedCases === 0 || t.weightUnits === 0n ? '' : round(parseDecimal(unitsText(t.weightUnits, WEIGHT_PLACES)).div(decimalOfInteger(t.weightedCases)), 4, mode).toFixed(4),
      fundDueYuan: fenText(t.dueFen),
      paidYuan: fenText(t.paidFen),
      withheldYuan: fenText(t.withheldFen),
      prepaidYuan: fenText(t.prepaidFen),
      projectedBalanceYuan: projected.toFixed(2),
      monthlyPaidYuan: t.monthlyPaidFen.map((f) => (f === null ? null : fenText(f))),
      paidBar: levelOf(t.paidFen, maxPaid, BAR_CELLS * 8),
      spark: sparkLevels(t.monthlyPaidFen),
    }
  })
  const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, mode)
  const toDate = roundYuan(availableYuan.times(monthsPaid.length).div(12), mode)
  const dueFen = monthly.reduce((n, m) => n + m.dueFen, 0)
  return {
    year,
    method: p.method,
    region: {code: p.region.code, name: p.region.name},
    monthsPaid,
    budget: {
      availableYuan: availableYuan.toFixed(2),
      toDateYuan: toDate.toFixed(2),
      fundDueYuan: fenText(dueFen),
      usedPercent: toDate.isZero() ? '' : round(yuanOfFen(dueFen).times(100).div(toDate), 1, mode).toFixed(1),
    },
    monthly: monthly.map((m) => ({month: m.month, cases: m.cases, fundDueYuan: fenText(m.dueFen), paidYuan: fenText(m.paidFen)})),
    monthlySpark: sparkLevels(MONTHS.map((mm) => monthly.find((x) => x.month === `${year}-${mm}`)?.dueFen ?? null)),
    institutions: rows,
    projection: '预计年终应补应扣 = 预留至今 × 12 ÷ 已付月数 − 预付金冲抵 (before bands, deposit and assessment)',
  }
}

/** Levels 0 … 7 from the lowest to the highest month (a flat year sits in the middle); -1 for a month without data. */
function sparkLevels(values: readonly (number | null)[]): number[] {
  const known = values.filter((v): v is number => v !== null)
  const low = Math.min(...known)
  const high = Math.max(...known)
  return values.map((v) => (v === null ? -1 : high === low ? 3 : Math.round(((v - low) * 7) / (high - low))))
}

/** round(value ÷ max × levels), in integers: the length of a bar, not an amount. */
function levelOf(valueFen: number, maxFen: number, levels: number): number {
  return Math.round((Math.max(0, valueFen) * levels) / maxFen)
}
