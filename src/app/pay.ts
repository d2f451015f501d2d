/**
 * `yb pay --month`: group the month's stored discharges with the year's scheme, price each
 * case by the year's policy and weights, sum per institution and pool, withhold, and record the
 * run (inputs' hashes, per-case build-up, per-institution lines). The check equations are
 * asserted on the stored data as read back.
 *
 *   await runPay(db, {month: '2025-03'}) → {runId: 7, institutions: [{institutionId: 'H001', pool: '职工', payYuan: '…'}], checks: […]}
 */
import {createHash} from 'node:crypto'
import {globalBudget} from '../clearing/cycle.js'
import {type CaseOutlier, type CasePayment, type DrgCaseRules, MonthAccumulator, priceDrgCase} from '../clearing/drg-case.js'
import {fenRules, priceDrgCaseFen} from '../clearing/drg-case-fen.js'
import {fenOfYuan, fenText, parseFen, type Ratio, ratioOf} from '../clearing/fen.js'
import {paymentStandardYuan} from '../clearing/drg-pricing.js'
import {type Dec, ONE, parseDecimal, round, sum, ZERO} from '../clearing/money.js'
import {parsePolicy, type Policy} from '../clearing/policy.js'
import {assert, inputError, InputErrors} from '../errors.js'
import type {GroupCase} from '../grouper/case-view.js'
import {type CompiledScheme, compileScheme} from '../grouper/compile-scheme.js'
import {groupCase, type GroupResult} from '../grouper/group-case.js'
import {loadPack, mapPackSource} from '../grouper/pack-load.js'
import {codeList} from '../io/case-row.js'
import type {Db} from '../store/db.js'
import {currentPolicy} from '../store/policies.js'
import {assertPeriodOpen, finishRun, setRunInputs, startRun} from '../store/runs.js'
import {findScheme, schemeFiles} from '../store/schemes.js'

export interface PayInstitution {
  readonly institutionId: string
  readonly name: string
  readonly level: string
  readonly pool: string
  readonly coefficient: string
  readonly rateYuanPerWeight: string
  readonly cases: number
  readonly byPayment: Readonly<Record<string, number>>
  readonly byOutlier: Readonly<Record<string, number>>
  readonly fundDueYuan: string
  readonly payYuan: string
  readonly withheldYuan: string
}

export interface PayCheck {
  readonly name: string
  readonly left: string
  readonly right: string
  readonly holds: boolean
}

export interface PayResult {
  readonly runId: number
  readonly month: string
  readonly supersededRunId: number | null
  readonly policy: {readonly year: number; readonly version: number; readonly sha256: string}
  readonly scheme: {readonly id: string; readonly version: number; readonly sha256: string}
  readonly rates: readonly {readonly pool: string; readonly source: 'published' | 'computed'; readonly rateYuanPerWeight: string}[]
  readonly institutions: readonly PayInstitution[]
  readonly totals: {readonly cases: number; readonly fundDueYuan: string; readonly payYuan: string; readonly withheldYuan: string}
  readonly checks: readonly PayCheck[]
}

interface InstitutionRow {
  institution_id: string
  name: string
  level: string
  coefficient: string
  pools: string
}

type PayInstitutionRow = InstitutionRow & {coefficientValue: Dec}

interface CaseRow {
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
  row_hash: string
}

interface Weight {
  weight: Dec
  /** The weight as stored, for the run's case rows. */
  text: string
  averageByLevel: Map<string, Dec>
}

interface PayContext {
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

export interface PayOptions {
  readonly month: string
  /** Store every case's price build-up (by default only its results are stored). */
  readonly explain?: boolean
  readonly onProgress?: (done: number, total: number) => void
}

export async function runPay(db: Db, options: PayOptions): Promise<PayResult> {
  const {month} = options
  assertPeriodOpen(db, 'pay', month)
  const context = loadContext(db, Number(month.slice(0, 4)))
  const total = (db.prepare('SELECT COUNT(*) AS n FROM settlement_case WHERE month = ?').get(month) as {n: number}).n
  if (total === 0) throw new InputErrors([inputError(month, 0, '', 'reference_unknown', `no discharges are stored for ${month}`, `import them with \`yb cases import --month ${month} <file>\``)])
  const rates = monthRates(db, context, month)

  db.exec('BEGIN')
  try {
    const inputs = {policy: context.stored, scheme: context.schemeRef, weights: {year: context.stored.year, sha256: context.weightsSha256}, cases: {month, count: total, sha256: ''}, rates}
    const runId = startRun(db, 'pay', month, inputs)
    const {months, casesSha256} = priceMonth(db, context, month, runId, rates, options.explain === true, (done) => options.onProgress?.(done, total))
    setRunInputs(db, runId, {...inputs, cases: {...inputs.cases, sha256: casesSha256}})
    const institutions = writeInstitutions(db, context, runId, months, rates)
    const checks = checkRun(db, runId, institutions, total)
    const result = {
      runId,
      month,
      policy: context.stored,
      scheme: context.schemeRef,
      rates: rates.map((r) => ({pool: r.pool, source: r.source, rateYuanPerWeight: r.rate.toFixed(2)})),
      institutions,
      totals: {
        cases: total,
        fundDueYuan: sum(institutions.map((i) => parseDecimal(i.fundDueYuan))).toFixed(2),
        payYuan: sum(institutions.map((i) => parseDecimal(i.payYuan))).toFixed(2),
        withheldYuan: sum(institutions.map((i) => parseDecimal(i.withheldYuan))).toFixed(2),
      },
      checks,
    }
    const supersededRunId = finishRun(db, runId, 'pay', month, result)
    db.exec('COMMIT')
    return {...result, supersededRunId}
  } catch (error) {
    db.exec('ROLLBACK')
    throw error
  }
}

function loadContext(db: Db, year: number): PayContext {
  const stored = currentPolicy(db, year)
  const parsed = parsePolicy(`policy ${year} v${stored.version}`, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  const policy = parsed.policy
  const p = policy.file
  const schemeStored = findScheme(db, p.scheme)
  const loaded = loadPack(mapPackSource(`workspace:${schemeStored.id}@${schemeStored.version}`, schemeFiles(db, schemeStored)))
  if (loaded.pack === undefined) throw new InputErrors(loaded.errors)
  const missing: string[] = []
  const institutions = new Map<string, InstitutionRow & {coefficientValue: Dec}>()
  for (const row of db.prepare('SELECT * FROM institution ORDER BY institution_id').all() as InstitutionRow[]) {
    // The institution's own coefficient, else the policy's for it, else the policy's for its level (§3.3).
    const coefficient = row.coefficient !== '' ? parseDecimal(row.coefficient) : (p.coefficients.by_institution[row.institution_id] ?? p.coefficients.by_level[row.level])
    if (coefficient === undefined) missing.push(`${row.institution_id} (level ${row.level})`)
    else institutions.set(row.institution_id, {...row, coefficientValue: coefficient})
  }
  if (missing.length > 0) {
    throw new InputErrors([inputError(`policy ${year}`, 0, 'coefficients.by_level', 'parameter_missing', `no coefficient for ${missing.join(', ')}`, 'give the institution one, or the policy one for its level')])
  }
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
    },
  }
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
  'row_hash',
] as const satisfies readonly (keyof CaseRow)[]

/** The month's cases in settlement_id order, a page at a time (read as arrays: no object per column). */
function* monthCases(db: Db, month: string): Generator<CaseRow> {
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

function toGroupCase(row: CaseRow): GroupCase {
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

/**
 * The rate of each pool: published in the policy, or computed for the month from the pool's
 * monthly budget and the month's weights: (available × share ÷ 12 ÷ ρ) ÷ Σ RW (a provisional
 * rate; the year-end clearing fixes the final one).
 */
function monthRates(db: Db, context: PayContext, month: string): {pool: string; source: 'published' | 'computed'; rate: Dec}[] {
  const p = context.policy.file
  const published = p.drg.rate_yuan_per_weight
  if (published !== 'computed') return p.pools.map((pool) => ({pool, source: 'published' as const, rate: published[pool]!}))
  const weightByPool = new Map<string, Dec>(p.pools.map((pool) => [pool, ZERO]))
  for (const row of monthCases(db, month)) {
    const result = groupCase(context.scheme, toGroupCase(row))
    const weight = result.status === 'grouped' ? context.weights.get(result.drg)?.weight : undefined
    if (weight !== undefined) weightByPool.set(row.insurance_type, (weightByPool.get(row.insurance_type) ?? ZERO).plus(weight))
  }
  const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, context.policy.roundingMode)
  return p.pools.map((pool) => {
    const weights = weightByPool.get(pool)!
    if (weights.isZero()) throw new InputErrors([inputError(month, 0, '', 'parameter_missing', `no grouped case of pool ${pool} has a weight in ${month}: a rate cannot be computed`, 'publish drg.rate_yuan_per_weight in the policy')])
    const monthBudget = availableYuan.times(p.budget.pool_shares[pool]!).div(12).div(p.reimbursement_ratio[pool]!)
    return {pool, source: 'computed' as const, rate: round(monthBudget.div(weights), p.rounding.rate_scale, context.policy.roundingMode)}
  })
}

/** What a run stores of one priced case. */
interface CaseOutcome {
  readonly payment: CasePayment
  readonly outlier: CaseOutlier
  readonly standardText: string
  readonly adjustedText: string
  readonly fundFen: number
  readonly steps: string
}

type CasePricer = (row: CaseRow, institution: PayInstitutionRow, result: GroupResult, weight: Weight | undefined) => CaseOutcome

/**
 * The pricing of one case: integer 分 (drg-case-fen) for a plain run under HALF_UP, decimal.js
 * (drg-case) when the build-ups are stored or the policy rounds otherwise. Both give the same
 * amounts (test/clearing/drg-case-fen.test.ts). Standards, thresholds and ratios that depend only
 * on the DRG, pool, institution or level are made once.
 */
function casePricer(context: PayContext, rates: readonly {pool: string; rate: Dec}[], explain: boolean): CasePricer {
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

  if (!explain && context.policy.roundingMode === 'HALF_UP') {
    const rules = fenRules(context.rules)
    const ratios = new Map(Object.entries(p.drg.fund_ratio).map(([pool, ratio]) => [pool, ratioOf(ratio)]))
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
      return {payment: priced.payment, outlier: priced.outlier, standardText: fenText(priced.standardFen), adjustedText: fenText(priced.adjustedFen), fundFen: priced.fundFen, steps: ''}
    }
  }

  return (row, institution, result, weight) => {
    const fixed = weight === undefined ? undefined : standardOf(result.drg, row.insurance_type, institution, weight)
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
        coefficient: fixed?.coefficient ?? institution.coefficientValue,
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
      steps: explain ? [...noWeight, ...priced.steps].join('\n') : '',
    }
  }
}

/** Prices the month in one pass over its cases; the cases' hash (their row hashes in order) is made on the way. */
function priceMonth(
  db: Db,
  context: PayContext,
  month: string,
  runId: number,
  rates: readonly {pool: string; rate: Dec}[],
  explain: boolean,
  progress: (done: number) => void,
): {months: Map<string, MonthAccumulator>; casesSha256: string} {
  const casesSha = createHash('sha256')
  const insert = db.prepare(
    `INSERT INTO run_case (run_id, settlement_id, institution_id, pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const price = casePricer(context, rates, explain)
  const months = new Map<string, MonthAccumulator>()
  let done = 0
  for (const row of monthCases(db, month)) {
    casesSha.update(row.row_hash)
    const institution = context.institutions.get(row.institution_id)
    assert(institution !== undefined, `case ${row.settlement_id}: institution ${row.institution_id} was checked on import`)
    const result = groupCase(context.scheme, toGroupCase(row))
    const weight = result.status === 'grouped' ? context.weights.get(result.drg) : undefined
    const outcome = price(row, institution, result, weight)
    insert.run(runId, row.settlement_id, row.institution_id, row.insurance_type, result.status, result.mdc, result.drg, weight?.text ?? '', outcome.payment, outcome.outlier, outcome.standardText, outcome.adjustedText, fenText(outcome.fundFen), outcome.steps)
    const key = `${row.institution_id}\t${row.insurance_type}`
    let accumulator = months.get(key)
    if (accumulator === undefined) {
      accumulator = new MonthAccumulator()
      months.set(key, accumulator)
    }
    accumulator.addFen(outcome.payment, outcome.outlier, outcome.fundFen)
    if (++done % 10_000 === 0) progress(done)
  }
  progress(done)
  return {months, casesSha256: casesSha.digest('hex')}
}

function writeInstitutions(db: Db, context: PayContext, runId: number, months: Map<string, MonthAccumulator>, rates: readonly {pool: string; rate: Dec}[]): PayInstitution[] {
  const insert = db.prepare('INSERT INTO run_institution (run_id, institution_id, pool, lines_json) VALUES (?, ?, ?, ?)')
  const p = context.policy.file
  const out: PayInstitution[] = []
  for (const [key, accumulator] of [...months].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [institutionId, pool] = key.split('\t') as [string, string]
    const institution = context.institutions.get(institutionId)!
    const month = accumulator.finish(institutionId, p.monthly.pre_settle_ratio, ZERO, context.policy.roundingMode)
    assert(month.check.holds, `pay ${institutionId} ${pool}: paid + withheld = ${month.check.accountedYuan.toFixed(2)} but the cases' fund is ${month.check.casesSumYuan.toFixed(2)}`)
    const line: PayInstitution = {
      institutionId,
      name: institution.name,
      level: institution.level,
      pool,
      coefficient: institution.coefficientValue.toString(),
      rateYuanPerWeight: rates.find((r) => r.pool === pool)!.rate.toFixed(2),
      cases: month.cases,
      byPayment: month.byPayment,
      byOutlier: month.byOutlier,
      fundDueYuan: month.fundDueYuan.toFixed(2),
      payYuan: month.payYuan.toFixed(2),
      withheldYuan: month.withheldYuan.toFixed(2),
    }
    insert.run(runId, institutionId, pool, JSON.stringify(line))
    out.push(line)
  }
  return out
}

/** The check equations, on the stored rows read back (§6.1): cases = institutions, and every case priced once. */
function checkRun(db: Db, runId: number, institutions: readonly PayInstitution[], total: number): PayCheck[] {
  const caseRows = db.prepare('SELECT fund_yuan FROM run_case WHERE run_id = ?').all(runId) as {fund_yuan: string}[]
  const casesSum = sum(caseRows.map((row) => parseDecimal(row.fund_yuan)))
  const institutionsSum = sum(institutions.map((i) => parseDecimal(i.fundDueYuan)))
  const paidAndWithheld = sum(institutions.flatMap((i) => [parseDecimal(i.payYuan), parseDecimal(i.withheldYuan)]))
  const checks: PayCheck[] = [
    {name: '病例数 = 本月出院人次 (cases priced = cases stored)', left: String(caseRows.length), right: String(total), holds: caseRows.length === total},
    {name: 'Σ 病例基金 = Σ 机构基金应付 (cases = institutions)', left: casesSum.toFixed(2), right: institutionsSum.toFixed(2), holds: casesSum.eq(institutionsSum)},
    {name: 'Σ 本月拨付 + Σ 预留 = Σ 机构基金应付 (paid + withheld = due)', left: paidAndWithheld.toFixed(2), right: institutionsSum.toFixed(2), holds: paidAndWithheld.eq(institutionsSum)},
  ]
  for (const check of checks) assert(check.holds, `pay run ${runId}: ${check.name}: ${check.left} ≠ ${check.right}`)
  return checks
}
