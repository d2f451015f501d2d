/**
 * The cases a year does not pay by its group: a case's own payment method (its 付费方式 column)
 * can be 床日 (per diem, §4.5) or 项目 (by its items). A blank, DRG or DIP case goes to the year's
 * method. Per-diem cases are priced here from the policy's per_diem categories: daily points ×
 * days (BED-1), worth points × the pool's point value, or a daily rate in 元 × days, each with its
 * optional cap. The fund's part then follows the year's method (PaymentMethod.caseFund).
 *
 *   const paths = casePaths(policy)
 *   paths.pathOf(row) → 'per_diem';  paths.perDiemPoints(row) → 426.0000 (12 days × 35.5)
 */
import {perDiemPoints} from '../clearing/drg-pricing.js'
import {fenOfYuan} from '../clearing/fen.js'
import {type Dec, min, parseDecimal, roundYuan, ZERO} from '../clearing/money.js'
import type {Policy, PolicyFile} from '../clearing/policy.js'
import {codeList} from '../io/case-row.js'
import type {CaseOutcome, CaseRow, PaymentMethod} from './drg-context.js'

export type CasePath = 'grouped' | 'per_diem' | 'items'

type Category = NonNullable<PolicyFile['per_diem']>['categories'][number]

export interface CasePaths {
  pathOf(row: CaseRow): CasePath
  /** The per-diem category of a case: its 床日病种, else the first whose dx_prefixes match its principal diagnosis, else the one category without prefixes. */
  categoryOf(row: CaseRow): {category: Category} | {reason: string}
  /** The days paid (capped at max_days) and a points category's points, before and after max_points. */
  pointsOf(category: Category, row: CaseRow): {days: Dec; rawPoints: Dec; points: Dec}
  /** A per-diem case's points for the year's Σ points (ZERO for any other case, or when its category pays 元 or it has none). */
  perDiemPoints(row: CaseRow): Dec
}

const y = (x: Dec): string => x.toFixed(2)

export function casePaths(policy: Policy): CasePaths {
  const categories = policy.file.per_diem?.categories ?? []
  const byCode = new Map(categories.map((c) => [c.code, c]))
  const fallback = categories.filter((c) => c.dx_prefixes === undefined)
  const rounding = {mode: policy.roundingMode, scoreScale: policy.file.rounding.score_scale, rateScale: policy.file.rounding.rate_scale, pvScale: policy.file.rounding.pv_scale}
  const paths: CasePaths = {
    pathOf: (row) => (row.payment_method === '床日' ? 'per_diem' : row.payment_method === '项目' ? 'items' : 'grouped'),
    categoryOf(row) {
      if (row.per_diem_category !== '') {
        const named = byCode.get(row.per_diem_category)
        return named === undefined ? {reason: `床日病种 ${row.per_diem_category} is not in the policy's per_diem categories (${[...byCode.keys()].join(', ') || 'none'})`} : {category: named}
      }
      const principal = codeList(row.dx_codes, true)[0] ?? ''
      const matched = categories.find((c) => c.dx_prefixes?.some((prefix) => principal.startsWith(prefix)))
      if (matched !== undefined) return {category: matched}
      if (fallback.length === 1) return {category: fallback[0]!}
      return {reason: categories.length === 0 ? 'the policy has no per_diem categories' : `no per_diem category for principal diagnosis ${principal || '(none)'}; give the case a 床日病种`}
    },
    pointsOf(category, row) {
      const days = daysOf(category, row)
      const rawPoints = category.daily_points === undefined ? ZERO : perDiemPoints(category.daily_points, days, rounding)
      return {days, rawPoints, points: category.max_points === undefined ? rawPoints : min(rawPoints, category.max_points)}
    },
    perDiemPoints(row) {
      if (paths.pathOf(row) !== 'per_diem') return ZERO
      const found = paths.categoryOf(row)
      return 'category' in found && found.category.daily_points !== undefined ? paths.pointsOf(found.category, row).points : ZERO
    },
  }
  return paths
}

function daysOf(category: Category, row: CaseRow): Dec {
  const days = parseDecimal(row.los_days)
  return category.max_days === undefined ? days : min(days, parseDecimal(String(category.max_days)))
}

/**
 * The year's method with per-diem and item-paid cases priced on their own path: the same rates
 * (which count per-diem points, see the methods' rates), the same fund rules, one record per case.
 */
export function withCasePaths(method: PaymentMethod): PaymentMethod {
  const policy = method.policy
  const paths = casePaths(policy)
  const mode = policy.roundingMode
  const scoreScale = policy.file.rounding.score_scale
  return {
    ...method,
    rowPricer(rates, explain) {
      const grouped = method.rowPricer(rates, explain)
      const pvOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row) => {
        const path = paths.pathOf(row)
        if (path === 'grouped') return grouped(row)
        const base = {settlementId: row.settlement_id, institutionId: row.institution_id, pool: row.insurance_type, mdc: ''}
        if (path === 'items') {
          const fund = parseDecimal(row.fund_recorded)
          const steps = explain ? `按项目付费: 统筹基金记账 ${y(fund)}` : ''
          const outcome: CaseOutcome = {payment: 'items', outlier: 'normal', standardText: y(fund), adjustedText: y(fund), fundFen: fenOfYuan(fund), residueUnits: 0, residueYuan: ZERO, points: undefined, steps}
          return {outcome, record: {...base, status: 'items', drg: '', weight: '', payment: 'items', outlier: 'normal', standardYuan: y(fund), adjustedYuan: y(fund), fundYuan: y(fund), points: '', steps}}
        }
        const found = paths.categoryOf(row)
        if ('reason' in found) {
          const steps = `床日: ${found.reason}`
          const outcome: CaseOutcome = {payment: 'held', outlier: 'normal', standardText: '0.00', adjustedText: '0.00', fundFen: 0, residueUnits: 0, residueYuan: ZERO, points: undefined, steps}
          return {outcome, record: {...base, status: 'per_diem', drg: row.per_diem_category, weight: '', payment: 'held', outlier: 'normal', standardYuan: '0.00', adjustedYuan: '0.00', fundYuan: '0.00', points: '', steps}}
        }
        const c = found.category
        const {days, rawPoints: raw, points: cappedPoints} = paths.pointsOf(c, row)
        const capped = c.max_days !== undefined && parseDecimal(row.los_days).gt(days) ? ` (住院 ${row.los_days} 天, 限 ${c.max_days} 天)` : ''
        let points: Dec | undefined
        let value: Dec
        let valueExact: Dec
        let step: string
        if (c.daily_points !== undefined) {
          const pv = pvOf.get(row.insurance_type)!
          points = cappedPoints
          valueExact = points.times(pv)
          value = roundYuan(valueExact, mode)
          step = `床日 ${c.code} ${c.name}: ${days.toString()} 天${capped} × ${c.daily_points.toString()} 点 = ${raw.toString()} 点${points.eq(raw) ? '' : `, 限 ${points.toString()} 点`}; 金额 = ${points.toString()} × 点值 ${pv.toString()} = ${y(value)}`
        } else {
          const rawYuan = c.daily_rate_yuan!.times(days)
          value = c.max_yuan === undefined ? rawYuan : min(rawYuan, c.max_yuan)
          valueExact = value
          step = `床日 ${c.code} ${c.name}: ${days.toString()} 天${capped} × ${y(c.daily_rate_yuan!)} = ${y(rawYuan)}${value.eq(rawYuan) ? '' : `, 限 ${y(value)}`}`
        }
        const fund = method.caseFund(row, value, valueExact)
        const steps = explain ? `${step}\n${fund.step}` : ''
        const daily = c.daily_points?.toString() ?? y(c.daily_rate_yuan!)
        const outcome: CaseOutcome = {payment: 'per_diem', outlier: 'normal', standardText: y(value), adjustedText: y(value), fundFen: fenOfYuan(fund.fundYuan), residueUnits: 0, residueYuan: fund.exactYuan.minus(fund.fundYuan), points, steps}
        return {
          outcome,
          record: {...base, status: 'per_diem', drg: c.code, weight: daily, payment: 'per_diem', outlier: 'normal', standardYuan: y(value), adjustedYuan: y(value), fundYuan: y(fund.fundYuan), points: points?.toFixed(scoreScale) ?? '', steps},
        }
      }
    },
  }
}
