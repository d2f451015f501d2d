/**
 * DIP payment in the settlement cycle (settlement-rules §3): each stored case is grouped with the
 * year's catalog and scored (group score × auxiliary factor × deviation factor, × the hospital
 * coefficient at the SCORE stage), the score is worth score × point value (× the coefficient at
 * the PAYMENT stage), and the fund's part follows the policy's fund mode. The monthly payment,
 * the bands, the deposit and the balance are the shared cycle's (pay.ts, clear.ts).
 *
 *   dipMethod(db, 2025).rowPricer(rates, true)(row) → {outcome: {points: 1200.0000, fundFen: …}, record: {drg: 'K80.1-01', outlier: 'high', …}}
 */
import {caseFundYuan} from '../clearing/drg-case.js'
import {dipDeviation, type DeviationRule} from '../clearing/dip-pricing.js'
import {globalBudget} from '../clearing/cycle.js'
import {fenOfYuan} from '../clearing/fen.js'
import {type Dec, ONE, parseDecimal, round, roundYuan, type RoundingMode, ZERO} from '../clearing/money.js'
import {parsePolicy} from '../clearing/policy.js'
import {assert, InputErrors} from '../errors.js'
import {loadDipCatalog} from '../grouper/dip-catalog.js'
import {auxFactor, compileDip, type DipCase, groupDip} from '../grouper/dip-group.js'
import {mapPackSource} from '../grouper/pack-load.js'
import {codeList} from '../io/case-row.js'
import type {Db} from '../store/db.js'
import {currentPolicy} from '../store/policies.js'
import {findScheme, schemeFiles} from '../store/schemes.js'
import {casePaths} from './case-paths.js'
import {type CaseOutcome, type CaseRow, loadInstitutions, monthCases, type PaymentMethod} from './drg-context.js'

const y = (x: Dec): string => x.toFixed(2)

export function dipMethod(db: Db, year: number): PaymentMethod {
  const stored = currentPolicy(db, year)
  const label = `policy ${year} v${stored.version}`
  const parsed = parsePolicy(label, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  const policy = parsed.policy
  const p = policy.file
  const d = p.dip!
  const catalogStored = findScheme(db, d.catalog!, 'dip')
  const loaded = loadDipCatalog(mapPackSource(`workspace:${catalogStored.id}@${catalogStored.version}`, schemeFiles(db, catalogStored)))
  if (loaded.catalog === undefined) throw new InputErrors(loaded.errors)
  const catalog = compileDip(loaded.catalog)
  const institutions = loadInstitutions(db, policy, year)
  const mode = policy.roundingMode
  const rule: DeviationRule = {high: d.deviation.high, low: d.deviation.low, extreme: d.deviation.extreme, boundaryInclusive: d.deviation.boundary_inclusive}
  const pvPlaces = p.rounding.pv_scale

  const priceRow = (row: CaseRow, pointValue: Dec, explain: boolean): {outcome: CaseOutcome; record: ReturnType<ReturnType<PaymentMethod['rowPricer']>>['record']} => {
    const institution = institutions.get(row.institution_id)
    assert(institution !== undefined, `case ${row.settlement_id}: institution ${row.institution_id} was checked on import`)
    const dipCase: DipCase = {dx: codeList(row.dx_codes, true), px: codeList(row.px_codes, false), ageYears: Number(row.age_years), dischargeMode: row.discharge_mode}
    const trace: string[] | undefined = explain ? [] : undefined
    const result = groupDip(catalog, dipCase, trace)
    const steps = trace ?? []
    const base = {settlementId: row.settlement_id, institutionId: row.institution_id, pool: row.insurance_type, status: result.status, mdc: '', drg: result.group, weight: result.score}
    if (result.status === 'invalid') {
      const outcome: CaseOutcome = {payment: 'held', outlier: 'normal', standardText: '0.00', adjustedText: '0.00', fundFen: 0, residueUnits: 0, residueYuan: ZERO, points: undefined, steps: steps.join('\n')}
      return {outcome, record: {...base, payment: 'held', outlier: 'normal', standardYuan: '0.00', adjustedYuan: '0.00', fundYuan: '0.00', points: '', steps: outcome.steps}}
    }
    const cost = parseDecimal(row.total_cost)
    const fundRecorded = parseDecimal(row.fund_recorded)
    if (result.status === 'ungroupable') {
      // Not in the catalog: paid by its items at the policy's discount, like a DRG 0000 case.
      const exact = fundRecorded.times(p.drg.ungroupable_discount)
      const fund = roundYuan(exact, mode)
      steps.push(`无法入组: 按项目记账 ${y(fundRecorded)} × ${p.drg.ungroupable_discount.toString()} = ${y(fund)}`)
      const outcome: CaseOutcome = {payment: 'discounted_items', outlier: 'normal', standardText: '0.00', adjustedText: y(fund), fundFen: fenOfYuan(fund), residueUnits: 0, residueYuan: exact.minus(fund), points: undefined, steps: explain ? steps.join('\n') : ''}
      return {outcome, record: {...base, payment: 'discounted_items', outlier: 'normal', standardYuan: '0.00', adjustedYuan: y(fund), fundYuan: y(fund), points: '', steps: outcome.steps}}
    }
    const group = catalog.groups.get(result.group)!
    const reference = catalog.avgCostByLevel.get(`${group.code}\t${institution.level}`) ?? group.avgCostYuan
    const deviation = reference === undefined ? {type: 'normal' as const, factor: ONE, review: false} : dipDeviation(cost, reference, rule)
    if (explain) steps.push(reference === undefined ? '无参考次均费用: 不做偏差判断' : `偏差: ${y(cost)} ÷ 参考次均 ${y(reference)} → ${deviation.type}, 系数 ${deviation.factor.toDecimalPlaces(4).toString()}${deviation.review ? ' (极端异常, 待特病单议)' : ''}`)
    const aux = auxFactor(catalog, dipCase)
    if (explain && aux.applied.length > 0) steps.push(`辅助目录: ${aux.applied.join(', ')}`)
    // 基层病种 and exempt groups carry no hospital coefficient (§3.2, §3.3).
    const hospitalFactor = group.type === 'basic' || p.coefficients.exempt_groups.includes(group.code) ? ONE : institution.coefficientValue
    const atScore = d.hospital_factor_stage === 'SCORE'
    const score = round(group.score.times(aux.factor).times(deviation.factor).times(atScore ? hospitalFactor : ONE), p.rounding.score_scale, mode)
    const valueExact = score.times(pointValue).times(atScore ? ONE : hospitalFactor)
    const value = roundYuan(valueExact, mode)
    if (explain) steps.push(`病例分值 = ${group.scoreText} × ${aux.factor.toString()} × ${deviation.factor.toDecimalPlaces(4).toString()}${atScore ? ` × 系数 ${hospitalFactor.toString()}` : ''} = ${score.toString()}; 金额 = ${score.toString()} × 点值 ${pointValue.toString()}${atScore ? '' : ` × 系数 ${hospitalFactor.toString()}`} = ${y(value)}`)
    const burden = cost.minus(fundRecorded)
    const fund = fundOfValue(d.fund_mode, value, valueExact, burden, p.reimbursement_ratio[row.insurance_type]!, mode)
    if (explain) steps.push(fund.step)
    const standard = roundYuan(group.score.times(pointValue), mode)
    const outlier = deviation.type === 'extreme' ? 'extreme' : deviation.type
    const outcome: CaseOutcome = {
      payment: 'drg',
      outlier,
      standardText: y(standard),
      adjustedText: y(value),
      fundFen: fenOfYuan(fund.fundYuan),
      residueUnits: 0,
      residueYuan: fund.exactYuan.minus(fund.fundYuan),
      points: score,
      steps: explain ? steps.join('\n') : '',
    }
    return {outcome, record: {...base, payment: 'drg', outlier, standardYuan: y(standard), adjustedYuan: y(value), fundYuan: y(fund.fundYuan), points: score.toFixed(p.rounding.score_scale), steps: outcome.steps}}
  }

  return {
    method: 'DIP',
    policy,
    stored: {year, version: stored.version, sha256: stored.sha256},
    schemeRef: {id: catalogStored.id, version: catalogStored.version, sha256: catalogStored.sha256},
    institutions,
    extraInputs: {},
    rates(db2, months) {
      const published = d.point_value_yuan ?? 'computed'
      const monthly = months.length < 12
      if (published !== 'computed' && (!monthly || d.monthly_point_value.method === 'FIXED')) {
        return p.pools.map((pool) => ({pool, source: 'published' as const, rate: monthly ? round(published[pool]!.times(d.monthly_point_value.factor), pvPlaces, mode) : published[pool]!}))
      }
      // Σ case scores of the period per pool (scores do not depend on the point value).
      const scores = new Map<string, Dec>(p.pools.map((pool) => [pool, ZERO]))
      const paths = casePaths(policy)
      for (const month of months) {
        for (const row of monthCases(db2, month)) {
          // Per-diem points are in S (§3.4); item-paid cases are not.
          const points = paths.pathOf(row) === 'grouped' ? priceRow(row, ONE, false).outcome.points : paths.perDiemPoints(row)
          if (points !== undefined) scores.set(row.insurance_type, scores.get(row.insurance_type)!.plus(points))
        }
      }
      const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, mode)
      return p.pools.map((pool) => {
        const total = scores.get(pool)!
        if (total.isZero()) return {pool, source: 'computed' as const, rate: ZERO}
        const fund = availableYuan.times(p.budget.pool_shares[pool]!).times(months.length).div(12)
        // TOTAL_COST: PV in total-cost 元 per point, (F ÷ ρ) ÷ S; FUND_ONLY: F ÷ S (§3.4 b, c).
        const pv = d.settle_method === 'TOTAL_COST' ? fund.div(p.reimbursement_ratio[pool]!).div(total) : fund.div(total)
        return {pool, source: 'computed' as const, rate: round(monthly ? pv.times(d.monthly_point_value.factor) : pv, pvPlaces, mode)}
      })
    },
    rateJson: (r) => ({pool: r.pool, source: r.source, pointValueYuan: r.rate.toFixed(Math.max(r.rate.decimalPlaces(), pvPlaces))}),
    rowPricer(rates, explain) {
      const pvOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row) => priceRow(row, pvOf.get(row.insurance_type)!, explain)
    },
    caseFund: (row, valueYuan, valueExactYuan) => fundOfValue(d.fund_mode, valueYuan, valueExactYuan, parseDecimal(row.total_cost).minus(parseDecimal(row.fund_recorded)), p.reimbursement_ratio[row.insurance_type]!, mode),
    specialValuer(rates) {
      const pvOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row, decision) => {
        const pv = pvOf.get(row.insurance_type)!
        // An expert score, or the approved cost converted to points (SPECIAL-1: cost ÷ PV).
        const score = decision.approvedScore !== '' ? parseDecimal(decision.approvedScore) : round(parseDecimal(decision.approvedCostYuan).div(pv), p.rounding.score_scale, mode)
        const valueExact = score.times(pv)
        const value = roundYuan(valueExact, mode)
        const fund = fundOfValue(d.fund_mode, value, valueExact, parseDecimal(row.total_cost).minus(parseDecimal(row.fund_recorded)), p.reimbursement_ratio[row.insurance_type]!, mode)
        return {fundFen: fenOfYuan(fund.fundYuan), step: `特病单议: ${score.toString()} 分 × 点值 ${pv.toString()} = ${y(value)}; ${fund.step}`}
      }
    },
  }
}

/** The fund's part of a case worth `value` (§3.5): value − patient burden, value × ρ, or the value itself. */
function fundOfValue(fundMode: 'TOTAL_MINUS_PATIENT' | 'TOTAL_TIMES_RATIO' | 'FUND_DIRECT', value: Dec, valueExact: Dec, burden: Dec, ratio: Dec, mode: RoundingMode): {fundYuan: Dec; exactYuan: Dec; step: string} {
  switch (fundMode) {
    case 'TOTAL_MINUS_PATIENT': {
      // Not floored per case: the institution's month is floored at 0 (§3.6).
      const fund = value.minus(burden)
      return {fundYuan: fund, exactYuan: valueExact.minus(burden), step: `基金 = ${y(value)} − 个人负担 ${y(burden)} = ${y(fund)}`}
    }
    case 'TOTAL_TIMES_RATIO': {
      const fund = caseFundYuan({costYuan: ZERO, fundRecordedYuan: ZERO, selfPayAllYuan: ZERO, selfPayFirstYuan: ZERO, deductibleYuan: ZERO, fundRatio: ratio}, {fundMode: 'CHS_FORMULA', mode}, value, null, valueExact)
      return {...fund, step: `基金 = ${y(value)} × ρ ${ratio.toString()} = ${y(fund.fundYuan)}`}
    }
    case 'FUND_DIRECT':
      return {fundYuan: value, exactYuan: valueExact, step: `基金 = ${y(value)}`}
  }
}
