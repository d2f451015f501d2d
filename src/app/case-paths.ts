/**
 * The cases a year does not pay by its group: a case's own payment method (its 付费方式 column)
 * can be 床日 (per diem, §4.5) or 项目 (by its items). A blank, DRG or DIP case goes to the year's
 * method. A per-diem case's category is its 床日病种, else the first whose dx_prefixes match its
 * principal diagnosis, else the one category without prefixes; clearing/per-diem prices it, and
 * the fund's part follows the year's method (PaymentMethod.caseFund).
 *
 *   const paths = casePaths(policy)
 *   paths.pathOf(row) → 'per_diem';  paths.perDiemPoints(row) → 426.0000 (12 days × 35.5)
 */
import {fenOfYuan, fenText} from '../clearing/fen.js'
import {type Dec, parseDecimal} from '../clearing/money.js'
import {type PerDiemCategory, perDiemPointsOf, perDiemValue} from '../clearing/per-diem.js'
import type {Policy} from '../clearing/policy.js'
import {codeList} from '../io/case-row.js'
import type {CaseRow} from '../store/cases.js'
import type {CaseOutcome, PaymentMethod} from './payment-method.js'

export type CasePath = 'grouped' | 'per_diem' | 'items'

export interface CasePaths {
  pathOf(row: CaseRow): CasePath
  categoryOf(row: CaseRow): {category: PerDiemCategory} | {reason: string}
  /** A per-diem case's points for the year's Σ points (undefined for any other case, or when its category pays 元 or it has none). */
  perDiemPoints(row: CaseRow): Dec | undefined
}

export function casePaths(policy: Policy): CasePaths {
  const categories: PerDiemCategory[] = (policy.file.per_diem?.categories ?? []).map((c) => ({
    code: c.code,
    name: c.name,
    ...(c.daily_points === undefined ? {} : {dailyPoints: c.daily_points}),
    ...(c.daily_rate_yuan === undefined ? {} : {dailyRateYuan: c.daily_rate_yuan}),
    ...(c.max_days === undefined ? {} : {maxDays: c.max_days}),
    ...(c.max_points === undefined ? {} : {maxPoints: c.max_points}),
    ...(c.max_yuan === undefined ? {} : {maxYuan: c.max_yuan}),
  }))
  const prefixes = new Map((policy.file.per_diem?.categories ?? []).map((c) => [c.code, c.dx_prefixes]))
  const byCode = new Map(categories.map((c) => [c.code, c]))
  const fallback = categories.filter((c) => prefixes.get(c.code) === undefined)
  const rounding = {mode: policy.roundingMode, scoreScale: policy.file.rounding.score_scale, rateScale: policy.file.rounding.rate_scale, pvScale: policy.file.rounding.pv_scale}
  const paths: CasePaths = {
    pathOf: (row) => (row.payment_method === '床日' ? 'per_diem' : row.payment_method === '项目' ? 'items' : 'grouped'),
    categoryOf(row) {
      if (row.per_diem_category !== '') {
        const named = byCode.get(row.per_diem_category)
        return named === undefined ? {reason: `床日病种 ${row.per_diem_category} is not in the policy's per_diem categories (${[...byCode.keys()].join(', ') || 'none'})`} : {category: named}
      }
      const principal = codeList(row.dx_codes, true)[0] ?? ''
      const matched = categories.find((c) => prefixes.get(c.code)?.some((prefix) => principal.startsWith(prefix)))
      if (matched !== undefined) return {category: matched}
      if (fallback.length === 1) return {category: fallback[0]!}
      return {reason: categories.length === 0 ? 'the policy has no per_diem categories' : `no per_diem category for principal diagnosis ${principal || '(none)'}; give the case a 床日病种`}
    },
    perDiemPoints(row) {
      if (paths.pathOf(row) !== 'per_diem') return undefined
      const found = paths.categoryOf(row)
      return 'category' in found ? perDiemPointsOf(found.category, parseDecimal(row.los_days), rounding)?.points : undefined
    },
  }
  return paths
}

/**
 * The year's method with per-diem and item-paid cases priced on their own path: the same rates
 * (which count per-diem points, see the methods' rates), the same fund rules, one record per case.
 */
export function withCasePaths(method: PaymentMethod): PaymentMethod {
  const policy = method.policy
  const paths = casePaths(policy)
  const scoreScale = policy.file.rounding.score_scale
  const rounding = {mode: policy.roundingMode, scoreScale, rateScale: policy.file.rounding.rate_scale, pvScale: policy.file.rounding.pv_scale}
  return {
    ...method,
    rowPricer(rates, explain) {
      const grouped = method.rowPricer(rates, explain)
      const pvOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row) => {
        const path = paths.pathOf(row)
        if (path === 'grouped') return grouped(row)
        const base = {settlementId: row.settlement_id, institutionId: row.institution_id, pool: row.insurance_type, mdc: ''}
        const outcomeOf = (o: Pick<CaseOutcome, 'payment' | 'standardText' | 'fundFen' | 'fundExactYuan' | 'points'>, steps: string): CaseOutcome => ({...o, outlier: 'normal', adjustedText: o.standardText, residueUnits: 0, missingWeightDrg: '', steps})
        if (path === 'items') {
          const fund = parseDecimal(row.fund_recorded)
          const steps = explain ? `按项目付费: 统筹基金记账 ${fund.toFixed(2)}` : ''
          const outcome = outcomeOf({payment: 'items', standardText: fund.toFixed(2), fundFen: fenOfYuan(fund), fundExactYuan: fund, points: undefined}, steps)
          return {outcome, record: {...base, status: 'items', drg: '', weight: '', payment: 'items', outlier: 'normal', standardYuan: outcome.standardText, adjustedYuan: outcome.standardText, fundYuan: outcome.standardText, points: '', steps}}
        }
        const found = paths.categoryOf(row)
        if ('reason' in found) {
          const steps = `床日: ${found.reason}`
          const outcome = outcomeOf({payment: 'held', standardText: '0.00', fundFen: 0, fundExactYuan: null, points: undefined}, steps)
          return {outcome, record: {...base, status: 'per_diem', drg: row.per_diem_category, weight: '', payment: 'held', outlier: 'normal', standardYuan: '0.00', adjustedYuan: '0.00', fundYuan: '0.00', points: '', steps}}
        }
        const c = found.category
        const value = perDiemValue(c, parseDecimal(row.los_days), pvOf.get(row.insurance_type)!, rounding)
        const fund = method.caseFund(row, value.valueYuan, value.valueExactYuan)
        const steps = explain ? `${value.step}\n${fund.step}` : ''
        const outcome = outcomeOf({payment: 'per_diem', standardText: value.valueYuan.toFixed(2), fundFen: fenOfYuan(fund.fundYuan), fundExactYuan: fund.exactYuan, points: value.points}, steps)
        const daily = c.dailyPoints?.toString() ?? c.dailyRateYuan!.toFixed(2)
        return {
          outcome,
          record: {...base, status: 'per_diem', drg: c.code, weight: daily, payment: 'per_diem', outlier: 'normal', standardYuan: outcome.standardText, adjustedYuan: outcome.standardText, fundYuan: fenText(outcome.fundFen), points: value.points?.toFixed(scoreScale) ?? '', steps},
        }
      }
    },
  }
}
