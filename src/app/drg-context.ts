/**
 * What the monthly payment and the year-end clearing share for DRG: the year's context (policy,
 * scheme, institutions with their coefficients, weights, case rules), the month's stored cases
 * read a page at a time, and the pricing of one case.
 *
 *   const context = loadContext(db, 2025); const price = casePricer(context, rates, false)
 *   for (const row of monthCases(db, '2025-03')) price(row, institution, groupCase(context.scheme, toGroupCase(row)), weight)
 */
import {createHash} from 'node:crypto'
import {type CaseOutlier, type CasePayment, caseFundYuan, type DrgCaseRules, priceDrgCase} from '../clearing/drg-case.js'
import {fenRules, priceDrgCaseFen} from '../clearing/drg-case-fen.js'
import {paymentStandardYuan, specialCasePoints} from '../clearing/drg-pricing.js'
import {fenOfYuan, fenText, parseFen, type Ratio, ratioOf} from '../clearing/fen.js'
import {globalBudget} from '../clearing/cycle.js'
import {type Dec, ONE, parseDecimal, round, roundYuan, ZERO} from '../clearing/money.js'
import {parsePolicy, type Policy} from '../clearing/policy.js'
import {assert, inputError, InputErrors} from '../errors.js'
import type {GroupCase} from '../grouper/case-view.js'
import {type CompiledScheme, compileScheme} from '../grouper/compile-scheme.js'
import {groupCase, type GroupResult} from '../grouper/group-case.js'
import {loadPack, mapPackSource} from '../grouper/pack-load.js'
import {codeList} from '../io/case-row.js'
import type {Db} from '../store/db.js'
import {currentPolicy} from '../store/policies.js'
import {periodState, type RunCase} from '../store/runs.js'
import {findScheme, schemeFiles} from '../store/schemes.js'
import {casePaths} from './case-paths.js'

export interface InstitutionRow {
  institution_id: string
  name: string
  level: string
  coefficient: string
  pools: string
}

export type PayInstitutionRow = InstitutionRow & {coefficientValue: Dec}

export interface CaseRow {
  settlement_id: string
  institution_id: string
  insurance_type: string
  sex: string
  age_years: string
  age_days: string
  birth_weight_g: string
  los_days: string
  dx_codes: string
  px_codes: string
  total_cost: string
  fund_recorded: string
  self_pay_all: string
  self_pay_first: string
  deductible: string
  discharge_mode: string
  other_funds: string
  /** '' (the year's method), DRG, DIP, 床日 or 项目. */
  payment_method: string
  per_diem_category: string
  row_hash: string
}

export interface Weight {
  weight: Dec
  /** The weight as stored, for the run's case rows. */
  text: string
  averageByLevel: Map<string, Dec>
}

export interface PayContext {
  readonly policy: Policy
  readonly stored: {year: number; version: number; sha256: string}
  readonly scheme: CompiledScheme
  readonly schemeRef: {id: string; version: number; sha256: string}
  readonly institutions: Map<string, PayInstitutionRow>
  readonly weights: Map<string, Weight>
  readonly weightsSha256: string
  readonly rules: DrgCaseRules
}

const PAGE_ROWS = 5000
export function loadContext(db: Db, year: number): PayContext {
  const stored = currentPolicy(db, year)
  const parsed = parsePolicy(`policy ${year} v${stored.version}`, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  const policy = parsed.policy
  const p = policy.file
  refuseUnsupported(`policy ${year} v${stored.version}`, policy)
  const schemeStored = findScheme(db, p.scheme)
  const loaded = loadPack(mapPackSource(`workspace:${schemeStored.id}@${schemeStored.version}`, schemeFiles(db, schemeStored)))
  if (loaded.pack === undefined) throw new InputErrors(loaded.errors)
  const institutions = loadInstitutions(db, policy, year)
  const {weights, sha256: weightsSha256} = loadWeights(db, year)
  const d = p.drg
  return {
    policy,
    stored: {year, version: stored.version, sha256: stored.sha256},
    scheme: compileScheme(loaded.pack),
    schemeRef: {id: schemeStored.id, version: schemeStored.version, sha256: schemeStored.sha256},
    institutions,
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

/** The workspace's institutions with their coefficient: their own, else the policy's for them, else for their level (§3.3). */
export function loadInstitutions(db: Db, policy: Policy, year: number): Map<string, PayInstitutionRow> {
  const p = policy.file
  const missing: string[] = []
  const institutions = new Map<string, PayInstitutionRow>()
  for (const row of db.prepare('SELECT * FROM institution ORDER BY institution_id').all() as InstitutionRow[]) {
    const coefficient = row.coefficient !== '' ? parseDecimal(row.coefficient) : (p.coefficients.by_institution[row.institution_id] ?? p.coefficients.by_level[row.level])
    if (coefficient === undefined) missing.push(`${row.institution_id} (level ${row.level})`)
    else institutions.set(row.institution_id, {...row, coefficientValue: coefficient})
  }
  if (missing.length > 0) {
    throw new InputErrors([inputError(`policy ${year}`, 0, 'coefficients.by_level', 'parameter_missing', `no coefficient for ${missing.join(', ')}`, 'give the institution one, or the policy one for its level')])
  }
  return institutions
}

function loadWeights(db: Db, year: number): {weights: Map<string, Weight>; sha256: string} {
  const rows = db.prepare('SELECT drg, institution_level, weight, avg_cost, row_hash FROM drg_weight WHERE year = ? ORDER BY drg, institution_level').all(year) as {drg: string; institution_level: string; weight: string; avg_cost: string; row_hash: string}[]
  if (rows.length === 0) throw new InputErrors([inputError(String(year), 0, '', 'reference_unknown', `the workspace has no DRG weights for ${year}`, `import them with \`yb weights import --year ${year} <file>\``)])
  const weights = new Map<string, Weight>()
  const hash = createHash('sha256')
  for (const row of rows) {
    hash.update(row.row_hash)
    const entry = weights.get(row.drg) ?? {weight: parseDecimal(row.weight), text: row.weight, averageByLevel: new Map<string, Dec>()}
    if (row.institution_level === '') {
      entry.weight = parseDecimal(row.weight)
      entry.text = row.weight
    }
    if (row.avg_cost !== '') entry.averageByLevel.set(row.institution_level, parseDecimal(row.avg_cost))
    weights.set(row.drg, entry)
  }
  return {weights, sha256: hash.digest('hex')}
}

const CASE_COLUMNS = [
  'settlement_id',
  'institution_id',
  'insurance_type',
  'sex',
  'age_years',
  'age_days',
  'birth_weight_g',
  'los_days',
  'dx_codes',
  'px_codes',
  'total_cost',
  'fund_recorded',
  'self_pay_all',
  'self_pay_first',
  'deductible',
  'discharge_mode',
  'other_funds',
  'payment_method',
  'per_diem_category',
  'row_hash',
] as const satisfies readonly (keyof CaseRow)[]

/** The month's cases in settlement_id order, a page at a time (read as arrays: no object per column). */
export function* monthCases(db: Db, month: string): Generator<CaseRow> {
  const page = db.prepare(`SELECT ${CASE_COLUMNS.join(', ')} FROM settlement_case WHERE month = ? AND settlement_id > ? ORDER BY settlement_id LIMIT ?`).raw(true)
  let after = ''
  for (;;) {
    const rows = page.all(month, after, PAGE_ROWS) as string[][]
    if (rows.length === 0) return
    for (const values of rows) {
      const row = {} as Record<string, string>
      for (let k = 0; k < CASE_COLUMNS.length; k++) row[CASE_COLUMNS[k]!] = values[k]!
      yield row as unknown as CaseRow
    }
    after = rows[rows.length - 1]![0]!
  }
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

/** What a run stores of one priced case. */
export interface CaseOutcome {
  readonly payment: CasePayment
  readonly outlier: CaseOutlier
  readonly standardText: string
  readonly adjustedText: string
  readonly fundFen: number
  /** The fund's rounding residue (exact − rounded): in 1e-8 分 on the integer path, in 元 on the decimal path. */
  readonly residueUnits: number
  readonly residueYuan: Dec | null
  /** 点数法: the case's points; undefined under the rate method. */
  readonly points: Dec | undefined
  readonly steps: string
}

export type CasePricer = (row: CaseRow, institution: PayInstitutionRow, result: GroupResult, weight: Weight | undefined) => CaseOutcome

/**
 * The pricing of one case: integer 分 (drg-case-fen) for a plain run under HALF_UP, decimal.js
 * (drg-case) when the build-ups are stored or the policy rounds otherwise. Both give the same
 * amounts (test/clearing/drg-case-fen.test.ts). Standards, thresholds and ratios that depend only
 * on the DRG, pool, institution or level are made once.
 */
export function casePricer(context: PayContext, rates: readonly {pool: string; rate: Dec}[], explain: boolean): CasePricer {
  const p = context.policy.file
  const rateOf = new Map(rates.map((r) => [r.pool, r.rate]))
  const standards = new Map<string, Dec>()
  const standardOf = (drg: string, pool: string, institution: PayInstitutionRow, weight: Weight): {standard: Dec; coefficient: Dec} => {
    const exempt = p.coefficients.exempt_groups.includes(drg)
    const coefficient = exempt ? ONE : institution.coefficientValue
    const key = `${drg}\t${pool}\t${exempt ? '*' : institution.institution_id}`
    let standard = standards.get(key)
    if (standard === undefined) {
      standard = paymentStandardYuan({weight: weight.weight, rateYuanPerWeight: rateOf.get(pool)!, coefficient}, context.policy.roundingMode)
      standards.set(key, standard)
    }
    return {standard, coefficient}
  }
  const averageOf = (weight: Weight | undefined, level: string) => weight?.averageByLevel.get(level) ?? weight?.averageByLevel.get('')

  const ratios = new Map(Object.entries(p.drg.fund_ratio).map(([pool, ratio]) => [pool, ratioOf(ratio)]))
  const residueExact = [...ratios.values(), ratioOf(p.drg.qy_discount), ratioOf(p.drg.ungroupable_discount)].every((r) => 100_000_000 % r.den === 0)
  if (!explain && context.policy.roundingMode === 'HALF_UP' && context.rules.points === undefined && residueExact) {
    const rules = fenRules(context.rules)
    const times = new Map<string, Ratio>()
    return (row, institution, result, weight) => {
      let standardFen: number | undefined
      let basisFen = 0
      let highTimes: Ratio = {num: 1, den: 1}
      if (weight !== undefined) {
        standardFen = fenOfYuan(standardOf(result.drg, row.insurance_type, institution, weight).standard)
        const average = averageOf(weight, institution.level)
        basisFen = average === undefined || context.rules.high.basis === 'STANDARD' ? standardFen : fenOfYuan(average)
        const timesKey = `${result.drg}\t${institution.level}`
        highTimes = times.get(timesKey) ?? rules.highTimes(weight.weight, institution.level)
        times.set(timesKey, highTimes)
      }
      const priced = priceDrgCaseFen(
        {
          status: result.status,
          standardFen,
          basisFen,
          highTimes,
          costFen: parseFen(row.total_cost),
          fundRecordedFen: parseFen(row.fund_recorded),
          selfPayAllFen: parseFen(row.self_pay_all),
          selfPayFirstFen: parseFen(row.self_pay_first),
          deductibleFen: parseFen(row.deductible),
          fundRatio: ratios.get(row.insurance_type)!,
        },
        rules,
      )
      return {
        payment: priced.payment,
        outlier: priced.outlier,
        standardText: fenText(priced.standardFen),
        adjustedText: fenText(priced.adjustedFen),
        fundFen: priced.fundFen,
        residueUnits: priced.residueUnits,
        residueYuan: null,
        points: undefined,
        steps: '',
      }
    }
  }

  const points = context.rules.points !== undefined
  return (row, institution, result, weight) => {
    const fixed = weight === undefined || points ? undefined : standardOf(result.drg, row.insurance_type, institution, weight)
    const coefficient = fixed?.coefficient ?? (p.coefficients.exempt_groups.includes(result.drg) ? ONE : institution.coefficientValue)
    const priced = priceDrgCase(
      {
        settlementId: row.settlement_id,
        status: result.status,
        drg: result.drg,
        weight: weight?.weight,
        groupAverageYuan: averageOf(weight, institution.level),
        institutionLevel: institution.level,
        costYuan: parseDecimal(row.total_cost),
        fundRecordedYuan: parseDecimal(row.fund_recorded),
        selfPayAllYuan: parseDecimal(row.self_pay_all),
        selfPayFirstYuan: parseDecimal(row.self_pay_first),
        deductibleYuan: parseDecimal(row.deductible),
        rateYuanPerWeight: rateOf.get(row.insurance_type)!,
        coefficient,
        ...(points ? {pointValueYuan: rateOf.get(row.insurance_type)!} : {}),
        fundRatio: p.drg.fund_ratio[row.insurance_type]!,
        ...(fixed === undefined ? {} : {standardYuan: fixed.standard}),
      },
      context.rules,
      explain,
    )
    const noWeight = result.status === 'grouped' && weight === undefined ? [`${result.drg}: 本年权重表无此组, 按项目折算`] : []
    return {
      payment: priced.payment,
      outlier: priced.outlier,
      standardText: priced.standardYuan.toFixed(2),
      adjustedText: priced.adjustedYuan.toFixed(2),
      fundFen: fenOfYuan(priced.fundYuan),
      residueUnits: 0,
      residueYuan: priced.fundExactYuan.minus(priced.fundYuan),
      points: priced.points,
      steps: explain ? [...noWeight, ...priced.steps].join('\n') : '',
    }
  }
}


export interface PoolRate {
  readonly pool: string
  readonly source: 'published' | 'computed'
  /** 费率 (元 per unit of weight) under RATE, 点值 (元 per point) under POINTS. */
  readonly rate: Dec
}

/**
 * The rate (费率法) or point value (点数法) of each pool for a period of months: published in the
 * policy, or computed from the budget (DRG-RATE-1, DRG-PV-1) as the pool's share of the available
 * budget for those months ÷ ρ, divided by the period's Σ RW (rate, 2 dp) or Σ case points (point
 * value, 4 dp). For one month of a year (the monthly payment) the budget share is 1/12 and the
 * value is provisional; for the twelve months (the clearing) it is final.
 */
export function drgRates(db: Db, context: PayContext, months: readonly string[]): PoolRate[] {
  const p = context.policy.file
  const isPoints = p.drg.family === 'POINTS'
  const published = isPoints ? p.drg.point_value_yuan! : p.drg.rate_yuan_per_weight
  if (published !== 'computed') return p.pools.map((pool) => ({pool, source: 'published' as const, rate: published[pool]!}))
  const unitsByPool = new Map<string, Dec>(p.pools.map((pool) => [pool, ZERO]))
  // Points do not depend on the point value: price them at 1 元 per point to count them.
  const price = isPoints ? casePricer(context, p.pools.map((pool) => ({pool, rate: ONE})), false) : undefined
  const paths = casePaths(context.policy)
  for (const month of months) {
    for (const row of monthCases(db, month)) {
      if (paths.pathOf(row) !== 'grouped') {
        // Per-diem points join Σ points (§3.4: S includes them); 元-paid per-diem and item cases stay outside.
        if (isPoints) unitsByPool.set(row.insurance_type, (unitsByPool.get(row.insurance_type) ?? ZERO).plus(paths.perDiemPoints(row)))
        continue
      }
      const result = groupCase(context.scheme, toGroupCase(row))
      const weight = result.status === 'grouped' ? context.weights.get(result.drg) : undefined
      if (weight === undefined) continue
      const units = price === undefined ? weight.weight : price(row, context.institutions.get(row.institution_id)!, result, weight).points
      if (units !== undefined) unitsByPool.set(row.insurance_type, (unitsByPool.get(row.insurance_type) ?? ZERO).plus(units))
    }
  }
  const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, context.policy.roundingMode)
  return p.pools.map((pool) => {
    const units = unitsByPool.get(pool)!
    // No weighted case in the pool: no case is priced at its rate (its cases, if any, are paid as items).
    if (units.isZero()) return {pool, source: 'computed' as const, rate: ZERO}
    const costBudget = availableYuan.times(p.budget.pool_shares[pool]!).times(months.length).div(12).div(p.reimbursement_ratio[pool]!)
    return {pool, source: 'computed' as const, rate: round(costBudget.div(units), isPoints ? p.rounding.pv_scale : p.rounding.rate_scale, context.policy.roundingMode)}
  })
}

/** The rates or point values the month's current payment run priced with, and that run; undefined when the month has no run. */
export function paidRates(db: Db, month: string): {runId: number; rates: PoolRate[]} | undefined {
  const {runId} = periodState(db, 'pay', month)
  if (runId === null) return undefined
  const inputs = JSON.parse((db.prepare('SELECT inputs_json FROM run WHERE run_id = ?').get(runId) as {inputs_json: string}).inputs_json) as {rates: {pool: string; source: PoolRate['source']; rate: string}[]}
  return {runId, rates: inputs.rates.map((r) => ({pool: r.pool, source: r.source, rate: parseDecimal(r.rate)}))}
}

/** A pool's rate (费率法, 2 dp) or point value (点数法, at least pv_scale places) as a run reports it. */
export type PoolRateJson =
  | {readonly pool: string; readonly source: 'published' | 'computed'; readonly rateYuanPerWeight: string}
  | {readonly pool: string; readonly source: 'published' | 'computed'; readonly pointValueYuan: string}

export function rateJson(context: PayContext, r: PoolRate): PoolRateJson {
  const p = context.policy.file
  return p.drg.family === 'POINTS'
    ? {pool: r.pool, source: r.source, pointValueYuan: r.rate.toFixed(Math.max(r.rate.decimalPlaces(), p.rounding.pv_scale))}
    : {pool: r.pool, source: r.source, rateYuanPerWeight: r.rate.toFixed(2)}
}

/** "费率 12,165.26" or "点值 115.5556" for people. */
export function rateLabel(r: PoolRateJson): {name: string; value: string} {
  return 'pointValueYuan' in r ? {name: '点值', value: r.pointValueYuan} : {name: '费率', value: r.rateYuanPerWeight}
}

/** What the run keeps of a priced case. */
export function caseRecord(row: CaseRow, result: GroupResult, weight: Weight | undefined, outcome: CaseOutcome): RunCase {
  return {
    settlementId: row.settlement_id,
    institutionId: row.institution_id,
    pool: row.insurance_type,
    status: result.status,
    mdc: result.mdc,
    drg: result.drg,
    weight: weight?.text ?? '',
    payment: outcome.payment,
    outlier: outcome.outlier,
    standardYuan: outcome.standardText,
    adjustedYuan: outcome.adjustedText,
    fundYuan: fenText(outcome.fundFen),
    points: outcome.points?.toFixed(4) ?? '',
    steps: outcome.steps,
  }
}

/**
 * What the monthly payment and the clearing need of a payment method (DRG here, DIP in
 * dip-context): the year's rates or point values, and the pricing of one stored case into what
 * the run keeps of it. The cycle around it (sums, holdback, bands, balance) is the same.
 */
export interface PaymentMethod {
  readonly method: 'DRG' | 'DIP'
  readonly policy: Policy
  readonly stored: {readonly year: number; readonly version: number; readonly sha256: string}
  /** The DRG scheme or the DIP catalog used. */
  readonly schemeRef: {readonly id: string; readonly version: number; readonly sha256: string}
  readonly institutions: ReadonlyMap<string, PayInstitutionRow>
  /** The inputs beyond cases and policy (DRG weights), for the run's record. */
  readonly extraInputs: Record<string, unknown>
  rates(db: Db, months: readonly string[]): PoolRate[]
  rateJson(rate: PoolRate): PoolRateJson
  rowPricer(rates: readonly PoolRate[], explain: boolean): (row: CaseRow) => {outcome: CaseOutcome; record: RunCase}
  /** The fund's part of a case worth `valueYuan` under the year's fund rule, with the exact amount before rounding and a build-up line. */
  caseFund(row: CaseRow, valueYuan: Dec, valueExactYuan: Dec): {fundYuan: Dec; exactYuan: Dec; step: string}
  /** An approved 特例单议 case's fund amount, priced at the final rates. */
  specialValuer(rates: readonly PoolRate[]): (row: CaseRow, decision: {approvedCostYuan: string; approvedScore: string}) => {fundFen: number; step: string}
}

export function drgMethod(db: Db, year: number): PaymentMethod {
  const context = loadContext(db, year)
  return {
    method: 'DRG',
    policy: context.policy,
    stored: context.stored,
    schemeRef: context.schemeRef,
    institutions: context.institutions,
    extraInputs: {weights: {year, sha256: context.weightsSha256}},
    rates: (db2, months) => drgRates(db2, context, months),
    rateJson: (r) => rateJson(context, r),
    rowPricer(rates, explain) {
      const price = casePricer(context, rates, explain)
      return (row) => {
        const institution = context.institutions.get(row.institution_id)
        assert(institution !== undefined, `case ${row.settlement_id}: institution ${row.institution_id} was checked on import`)
        const result = groupCase(context.scheme, toGroupCase(row))
        const weight = result.status === 'grouped' ? context.weights.get(result.drg) : undefined
        const outcome = price(row, institution, result, weight)
        return {outcome, record: caseRecord(row, result, weight, outcome)}
      }
    },
    caseFund(row, valueYuan, valueExactYuan) {
      const steps: string[] = []
      const fund = caseFundYuan(patientOf(row, context.policy.file.drg.fund_ratio[row.insurance_type]!), context.rules, valueYuan, steps, valueExactYuan)
      return {...fund, step: steps.join('; ')}
    },
    specialValuer: (rates) => drgSpecialValuer(context, rates),
  }
}

/**
 * What an approved 特例单议 case is worth to the fund: its approved item cost, converted to points
 * at the final point value under the point method (points = approved cost ÷ PV, SPECIAL-1), then
 * the policy's fund formula as for any case (its patient parts subtracted).
 */
function drgSpecialValuer(context: PayContext, rates: readonly PoolRate[]): ReturnType<PaymentMethod['specialValuer']> {
  const p = context.policy.file
  const rateOf = new Map(rates.map((r) => [r.pool, r.rate]))
  return (row, decision) => {
    const approved = parseDecimal(decision.approvedCostYuan || '0')
    let value = approved
    let step = `特例单议核准费用 ${approved.toFixed(2)}`
    if (context.rules.points !== undefined) {
      const pv = rateOf.get(row.insurance_type)!
      const points = specialCasePoints(approved, pv, {mode: context.policy.roundingMode, scoreScale: p.rounding.score_scale, rateScale: p.rounding.rate_scale, pvScale: p.rounding.pv_scale})
      value = roundYuan(points.times(pv), context.policy.roundingMode)
      step = `特例单议: ${approved.toFixed(2)} ÷ 点值 ${pv.toString()} = ${points.toString()} 点 → ${value.toFixed(2)}`
    }
    const fund = caseFundYuan(patientOf(row, p.drg.fund_ratio[row.insurance_type]!), context.rules, value, null)
    return {fundFen: fenOfYuan(fund.fundYuan), step: `${step}; 基金 ${fund.fundYuan.toFixed(2)}`}
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

/** Policy choices the checker accepts but the DRG payment does not implement: refused, not ignored. */
function refuseUnsupported(file: string, policy: Policy): void {
  const p = policy.file
  const unsupported: [string, string][] = []
  if (p.method !== 'DRG') unsupported.push(['method', `method ${p.method}: the DRG payment needs method DRG`])
  if (unsupported.length > 0) throw new InputErrors(unsupported.map(([path, message]) => inputError(file, 0, path, 'value_not_allowed', message)))
}
