/**
 * The DRG payment method of a year: its context (policy, scheme, institutions with their
 * coefficients, weights, case rules) and the PaymentMethod the monthly payment and the clearing
 * run: the period's rates, a case priced by its group (drg-pricer), the fund rule for per-diem
 * cases, and approved 特例单议 cases valued at the final rates.
 *
 *   const method = drgMethod(db, 2025); method.rowPricer(method.rates(db, ['2025-03']), false)(row) → {outcome, record}
 */
import {caseFundYuan, type DrgCaseRules} from '../clearing/drg-case.js'
import {fenOfYuan} from '../clearing/fen.js'
import {type Dec, parseDecimal} from '../clearing/money.js'
import {type Policy} from '../clearing/policy.js'
import {drgSpecialCaseFund} from '../clearing/special-value.js'
import {assert, inputError, InputErrors} from '../errors.js'
import type {GroupCase} from '../grouper/case-view.js'
import type {CompiledScheme} from '../grouper/compile-scheme.js'
import {groupCase, type GroupResult, heldResult} from '../grouper/group-case.js'
import {loadSchemeReady} from '../grouper/pack-cache.js'
import {mapPackSource} from '../grouper/pack-load.js'
import {cacheDir} from '../io/cache-dir.js'
import {codeList} from '../io/case-row.js'
import type {CaseRow} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {findScheme, schemeFiles} from '../store/schemes.js'
import {weightRows} from '../store/weights.js'
import {casePaths} from './case-paths.js'
import {casePricer, caseRecord} from './drg-pricer.js'
import {payInstitutions} from './institutions.js'
import {type PaymentMethod, type PayInstitutionRow, type PoolRate, rateJsonOf} from './payment-method.js'
import {periodRates, type UnitsSummer} from './period-rates.js'
import {yearPolicy} from './year-policy.js'
import {qualityHold, type QualityHold} from './quality-hold.js'

export interface Weight {
  weight: Dec
  /** The weight as stored, for the run's case rows. */
  text: string
  averageByLevel: Map<string, Dec>
}

export interface DrgContext {
  readonly policy: Policy
  readonly stored: {year: number; version: number; sha256: string}
  readonly scheme: CompiledScheme
  readonly schemeRef: {id: string; version: number; sha256: string}
  readonly institutions: Map<string, PayInstitutionRow>
  readonly weights: Map<string, Weight>
  readonly weightsSha256: string
  readonly rules: DrgCaseRules
  /** 质控拦截 (policy quality.hold_errors): held cases are paid as 待更正. */
  readonly hold: QualityHold | undefined
}

/** The case grouped, or held as invalid when it fails an error rule under quality.hold_errors. */
export function groupOrHold(context: DrgContext, row: CaseRow): GroupResult {
  const held = context.hold?.reasonOf(row) ?? ''
  return held === '' ? groupCase(context.scheme, toGroupCase(row)) : heldResult(held)
}

export function loadDrgContext(db: Db, year: number): DrgContext {
  const {policy, stored} = yearPolicy(db, year)
  const p = policy.file
  if (p.method !== 'DRG') throw new InputErrors([inputError(`policy ${year} v${stored.version}`, 0, 'method', 'value_not_allowed', `method ${p.method}: the DRG payment needs method DRG`)])
  const schemeStored = findScheme(db, p.scheme)
  const loaded = loadSchemeReady(() => mapPackSource(`workspace:${schemeStored.id}@${schemeStored.version}`, schemeFiles(db, schemeStored)), {dir: cacheDir(), sha256: schemeStored.sha256})
  if (loaded.scheme === undefined) throw new InputErrors(loaded.errors)
  const {weights, sha256: weightsSha256} = loadWeights(db, year)
  const d = p.drg
  const {scheme} = loaded
  return {
    // The code names are made only if a quality rule asks for them.
    hold: qualityHold(db, policy, {hasDx: (code) => scheme.dxNames.has(code), hasPx: (code) => scheme.pxNames.has(code)}),
    policy,
    stored: {year, version: stored.version, sha256: stored.sha256},
    scheme,
    schemeRef: {id: schemeStored.id, version: schemeStored.version, sha256: schemeStored.sha256},
    institutions: payInstitutions(db, policy, year),
    weights,
    weightsSha256,
    rules: {
      fundMode: d.fund_mode,
      high: {threshold: policy.highThreshold, basis: d.high.basis, payment: d.high.payment, share: d.high.share, inclusive: d.high.inclusive},
      low: {times: d.low.times, inclusive: d.low.inclusive, payment: d.low.payment},
      midLowUplift: d.mid_low_uplift,
      qyDiscount: d.qy_discount,
      ungroupableDiscount: d.ungroupable_discount,
      mode: policy.roundingMode,
      ...(d.family === 'POINTS' ? {points: {perWeight: d.points_per_weight!, scoreScale: p.rounding.score_scale}} : {}),
    },
  }
}

function loadWeights(db: Db, year: number): {weights: Map<string, Weight>; sha256: string} {
  const {rows, sha256} = weightRows(db, year)
  if (rows.length === 0) throw new InputErrors([inputError(String(year), 0, '', 'reference_unknown', `the workspace has no DRG weights for ${year}`, `import them with \`yb weights import --year ${year} <file>\``)])
  const weights = new Map<string, Weight>()
  for (const row of rows) {
    const entry = weights.get(row.drg) ?? {weight: parseDecimal(row.weight), text: row.weight, averageByLevel: new Map<string, Dec>()}
    if (row.institution_level === '') {
      entry.weight = parseDecimal(row.weight)
      entry.text = row.weight
    }
    if (row.avg_cost !== '') entry.averageByLevel.set(row.institution_level, parseDecimal(row.avg_cost))
    weights.set(row.drg, entry)
  }
  return {weights, sha256}
}

export function toGroupCase(row: CaseRow): GroupCase {
  return {
    sex: row.sex === '1' ? 1 : row.sex === '2' ? 2 : 0,
    ageYears: Number(row.age_years),
    ageDays: Number(row.age_days),
    birthWeightG: row.birth_weight_g === '' ? 0 : Number(row.birth_weight_g),
    losDays: Number(row.los_days),
    dx: codeList(row.dx_codes, true),
    px: codeList(row.px_codes, false),
  }
}

/** A case's units toward a computed rate's Σ: its weight (RATE) or points (POINTS), per-diem points under POINTS (§3.4: S includes them). */
export function drgUnitsOf(context: DrgContext): (row: CaseRow) => Dec | undefined {
  const p = context.policy.file
  const isPoints = p.drg.family === 'POINTS'
  // Points do not depend on the point value: price them at 1 元 per point to count them.
  const price = isPoints ? casePricer(context, p.pools.map((pool) => ({pool, source: 'computed' as const, rate: parseDecimal('1')})), false) : undefined
  const paths = casePaths(context.policy)
  return (row) => {
    // 元-paid per-diem and item cases stay outside.
    if (paths.pathOf(row) !== 'grouped') return isPoints ? paths.perDiemPoints(row) : undefined
    const institution = context.institutions.get(row.institution_id)
    if (institution === undefined) return undefined
    const result = groupOrHold(context, row)
    const weight = result.status === 'grouped' ? context.weights.get(result.drg) : undefined
    if (weight === undefined) return undefined
    return price === undefined ? weight.weight : price(row, institution, result, weight).points
  }
}

/** The rates of a period: published, or Σ RW (rate) or Σ points (point value, per-diem points included) of its cases (DRG-RATE-1, DRG-PV-1). */
export function drgRates(db: Db, context: DrgContext, months: readonly string[], unitsOf: (row: CaseRow) => Dec | undefined, summed?: UnitsSummer): PoolRate[] {
  const p = context.policy.file
  const isPoints = p.drg.family === 'POINTS'
  return periodRates(db, {
    policy: context.policy,
    family: isPoints ? 'DRG_POINTS' : 'DRG_RATE',
    months,
    published: isPoints ? p.drg.point_value_yuan! : p.drg.rate_yuan_per_weight,
    unitsOf,
    ...(summed === undefined ? {} : {summed}),
  })
}

export function drgMethod(db: Db, year: number): PaymentMethod {
  const context = loadDrgContext(db, year)
  const p = context.policy.file
  const family = p.drg.family === 'POINTS' ? 'DRG_POINTS' : 'DRG_RATE'
  const rounding = {mode: context.policy.roundingMode, scoreScale: p.rounding.score_scale, rateScale: p.rounding.rate_scale, pvScale: p.rounding.pv_scale}
  const unitsOf = drgUnitsOf(context)
  return {
    method: 'DRG',
    family,
    policy: context.policy,
    stored: context.stored,
    schemeRef: context.schemeRef,
    institutions: context.institutions,
    extraInputs: {weights: {year, sha256: context.weightsSha256}, ...(context.hold === undefined ? {} : {quality: context.hold.input})},
    rates: (db2, months, summed) => drgRates(db2, context, months, unitsOf, summed),
    unitsOf,
    rateJson: (r) => rateJsonOf(family, p.rounding.pv_scale, r),
    rowPricer(rates, explain) {
      const price = casePricer(context, rates, explain)
      return (row) => {
        const institution = context.institutions.get(row.institution_id)
        assert(institution !== undefined, `case ${row.settlement_id}: institution ${row.institution_id} was checked on import`)
        const result = groupOrHold(context, row)
        const weight = result.status === 'grouped' ? context.weights.get(result.drg) : undefined
        const outcome = price(row, institution, result, weight)
        return {outcome, record: caseRecord(row, result, weight?.text ?? '', outcome)}
      }
    },
    caseFund(row, valueYuan, valueExactYuan) {
      const steps: string[] = []
      const fund = caseFundYuan(patientOf(row, p.drg.fund_ratio[row.insurance_type]!), context.rules, valueYuan, steps, valueExactYuan)
      return {...fund, step: steps.join('; ')}
    },
    specialValuer(rates) {
      const rateOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row, decision) => {
        const pv = context.rules.points === undefined ? undefined : rateOf.get(row.insurance_type)!
        const fund = drgSpecialCaseFund(patientOf(row, p.drg.fund_ratio[row.insurance_type]!), context.rules, parseDecimal(decision.approvedCostYuan || '0'), pv, rounding)
        return {fundFen: fenOfYuan(fund.fundYuan), step: fund.step}
      }
    },
  }
}

export function patientOf(row: CaseRow, fundRatio: Dec) {
  return {
    costYuan: parseDecimal(row.total_cost),
    fundRecordedYuan: parseDecimal(row.fund_recorded),
    selfPayAllYuan: parseDecimal(row.self_pay_all),
    selfPayFirstYuan: parseDecimal(row.self_pay_first),
    deductibleYuan: parseDecimal(row.deductible),
    fundRatio,
  }
}
