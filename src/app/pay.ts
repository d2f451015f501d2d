/**
 * `yb pay --month`: group the month's stored discharges with the year's scheme, price each
 * case by the year's policy and weights, sum per institution and pool, pay p of the due (floored
 * at 0) less the deductions due (this month's and those carried in), hold back the rest, and
 * record the run (inputs' hashes, per-case results, per-institution lines). The check equations
 * are asserted on the stored data as read back.
 *
 *   await runPay(db, {month: '2025-03'}) → {runId: 7, institutions: [{institutionId: 'H001', pool: '职工', payYuan: '…'}], checks: […]}
 */
import {createHash} from 'node:crypto'
import {payChecks} from '../clearing/checks.js'
import {yuanOfFen} from '../clearing/fen.js'
import {KeyedTotals} from '../clearing/ledger.js'
import {type Dec, parseDecimal, sum} from '../clearing/money.js'
import {type InstitutionMonth, MonthAccumulator} from '../clearing/month.js'
import {WeightSums} from '../clearing/units.js'
import {assert, inputError, InputErrors} from '../errors.js'
import {monthCaseCount, monthCasesSha256} from '../store/cases.js'
import {institutionsSha256} from '../store/institutions.js'
import {type RunCorrection, runCorrectionLines} from '../store/corrections.js'
import {monthInputsRead} from './month-inputs.js'
import {priceCorrections} from './pay-corrections.js'
import type {Db} from '../store/db.js'
import {withTransaction} from '../store/db.js'
import {currentRunLines, runInputs, runResult} from '../store/run-lines.js'
import {finishRun, runCaseTotals, runCaseWriter, runInstitutionWriter, setRunInputs, startRun} from '../store/runs.js'
import {deductionsFor} from '../store/settlement-data.js'
import {pendingSpecialCount} from '../store/special-cases.js'
import {assertWritable, periodInfo} from '../store/periods.js'
import {loadMethod} from './method.js'
import {missingWeightsCheck, type MissingWeights, MissingWeightsCounter} from './missing-weights.js'
import type {PaymentMethod, PoolRate, PoolRateJson} from './payment-method.js'
import {runPolicyCheck} from './policy-workspace.js'
import {checkRates} from './rate-check.js'
import {yearPolicy} from './year-policy.js'
import {capitationOfMonth, type CapitationMonthResult} from './capitation-pay.js'
import {exactOf, FIELD, NUMBER, PAGE_FIELDS, PAGE_NUMBERS} from './priced-pages.js'
import {type PricedSource, pricingThread, type PricingThread} from './priced-source.js'
import type {CaseOutlier, CasePayment} from '../clearing/drg-case.js'
import {monthLineHolds} from '../clearing/capitation.js'

export interface PayInstitution {
  readonly institutionId: string
  readonly name: string
  readonly level: string
  readonly pool: string
  readonly coefficient: string
  /** 费率 (RATE) or 点值 (POINTS, DIP) of the pool this month. */
  readonly rate: PoolRateJson
  readonly cases: number
  /** Of them, discharged in an earlier month and declared in this one (跨月). */
  readonly lateClaims: number
  /** 冲正 and 补退 lines: corrections of cases paid in closed months (counted apart from the cases). */
  readonly corrections: number
  readonly byPayment: Readonly<Record<string, number>>
  readonly byOutlier: Readonly<Record<string, number>>
  /** Cases grouped to a DRG the year's weights lack (paid by their items at the 0000 discount). */
  readonly missingWeightCases: number
  /** Σ of the cases' fund amounts as each was rounded (the case-detail sheet's total). */
  readonly casesFundYuan: string
  /** 尾差 = Σ rounded cases − their exact sum rounded once; fundDue = casesFund − 尾差 under rounding stage INSTITUTION. */
  readonly roundingResidueYuan: string
  /** The month's fund due; below 0 when patient burdens exceed the cases' worth (DIP TOTAL_MINUS_PATIENT). */
  readonly fundDueYuan: string
  /** max(0, fund due) (§3.6): what the payment and the holdback are shares of. */
  readonly fundDueFlooredYuan: string
  /** p × the floored due, before deductions. */
  readonly payBeforeDeductionsYuan: string
  /** 审核扣减 / 违规扣款 dated in this month. */
  readonly deductionsYuan: string
  /** 上月结转待扣: deductions an earlier month could not take. */
  readonly carriedInYuan: string
  /** 本月实扣: the deductions taken off this payment. */
  readonly deductionsTakenYuan: string
  /** 结转下月待扣: the deductions left for later (CARRY_FORWARD; 0 under NEGATIVE_PAYMENT). */
  readonly carriedOutYuan: string
  readonly payYuan: string
  readonly withheldYuan: string
  /** Cases paid by their group with a weight (DRG) or score (DIP), and the exact Σ of those: CMI = weightSum ÷ weightedCases. */
  readonly weightedCases: number
  readonly weightSum: string
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
  readonly roundingStage: 'CASE' | 'INSTITUTION'
  readonly excessDeduction: 'CARRY_FORWARD' | 'NEGATIVE_PAYMENT'
  readonly rates: readonly PoolRateJson[]
  /** The month whose payment run the carried deductions came from, or null. */
  readonly carriedFrom: {readonly month: string; readonly runId: number} | null
  /** 特例单议 marks on the month's cases still waiting for a decision (they are paid by their group meanwhile). */
  readonly specialPending: number
  readonly missingWeights: MissingWeights
  /** The corrections settled this month (冲正 of what a closed month paid, 补退 of the corrected case). */
  readonly corrections: readonly RunCorrection[]
  readonly warnings: readonly string[]
  readonly institutions: readonly PayInstitution[]
  /** Σ over the institution-pools of each of these lines. */
  readonly totals: {readonly cases: number} & Pick<PayInstitution, TotalLine>
  readonly checks: readonly PayCheck[]
  /** 按人头付费 and 门特 packages of the month (docs/settlement.md), paid beside the cases; null when the policy pays nothing by head. */
  readonly capitation: CapitationMonthResult | null
  /** True when the month's inputs had not changed since its current run, which is returned as it was (no new run). */
  readonly unchanged?: boolean
}

type TotalLine = 'roundingResidueYuan' | 'fundDueYuan' | 'fundDueFlooredYuan' | 'deductionsYuan' | 'carriedInYuan' | 'deductionsTakenYuan' | 'carriedOutYuan' | 'payYuan' | 'withheldYuan'
const TOTAL_LINES: readonly TotalLine[] = ['roundingResidueYuan', 'fundDueYuan', 'fundDueFlooredYuan', 'deductionsYuan', 'carriedInYuan', 'deductionsTakenYuan', 'carriedOutYuan', 'payYuan', 'withheldYuan']

export interface PayOptions {
  readonly month: string
  /** Store every case's price build-up (by default only its results are stored). */
  readonly explain?: boolean
  /** Pay at a computed rate beyond the policy's rate_check bound (reported as a warning). */
  readonly acceptRateDeviation?: boolean
  /** Run again even when nothing the month's payment reads has changed since its current run. */
  readonly force?: boolean
  readonly onProgress?: (done: number, total: number) => void
}

export async function runPay(db: Db, options: PayOptions): Promise<PayResult> {
  const {month} = options
  const year = Number(month.slice(0, 4))
  assertWritable(db, {month}, `a payment run of ${month}`, '', 'reopen')
  const {policy, stored} = yearPolicy(db, year)
  const total = monthCaseCount(db, month)
  if (total === 0) throw new InputErrors([inputError(month, 0, '', 'reference_unknown', `no discharges are stored for ${month}`, `import them with \`yb cases import --month ${month} <file>\``)])
  const check = runPolicyCheck(db, policy, `policy ${year} v${stored.version}`, [month])
  check.early()
  // The workers (for a large month) start first: they load the year's method while this thread
  // loads its own and makes the rates. The month's cases are checked against the policy's pools
  // (a pass over them) while the workers price their first pages (payMonth), before any run is stored.
  const pricing = pricingThread(db, year, total)
  try {
    return await payWith(db, pricing, options, total, check.cases)
  } finally {
    await pricing.stop()
  }
}

/** `checkPools`: throws when a case is in a pool the policy does not pay; asked before any run is returned or stored. */
async function payWith(db: Db, pricing: PricingThread, options: PayOptions, total: number, checkPools: () => void): Promise<PayResult> {
  const {month} = options
  const context = loadMethod(db, Number(month.slice(0, 4)))
  const carried = carriedIn(db, month)
  // What the month's payment reads, as hashes: the same inputs again give the same run, so it is returned, not made again.
  // The cases' hash is made while pricing; it is made apart only to compare with a current run.
  const readOthers = monthInputsRead(db, month, {cases: false})
  const fingerprintOf = (casesSha256: string) =>
    createHash('sha256')
      .update(
        JSON.stringify({
          method: context.method,
          policy: context.stored.sha256,
          scheme: context.schemeRef.sha256,
          extra: context.extraInputs,
          institutions: institutionsSha256(db),
          ...readOthers,
          cases: casesSha256,
          carried: {from: carried.from, amounts: [...carried.amounts.keys()].sort().map((k) => [k, carried.amounts.get(k).toFixed(2)])},
          explain: options.explain === true,
          accept: options.acceptRateDeviation === true,
        }),
      )
      .digest('hex')
  const current = periodInfo(db, 'pay', month)
  if (current.runId !== null && options.force !== true && runInputs<{fingerprint?: string}>(db, current.runId).fingerprint === fingerprintOf(monthCasesSha256(db, month))) {
    checkPools()
    const stored = runResult<PayResult>(db, current.runId)
    return {...stored, capitation: stored.capitation ?? null, unchanged: true}
  }
  const rates = context.rates(db, [month], pricing.summer)
  const warnings = checkRates(db, context, rates, {accept: options.acceptRateDeviation === true, period: month})
  return payMonth(db, context, pricing, {...options, rates, warnings, total, carried, readOthers, fingerprintOf, checkPools})
}

interface MonthRun extends PayOptions {
  readonly rates: readonly PoolRate[]
  readonly warnings: readonly string[]
  readonly total: number
  readonly carried: ReturnType<typeof carriedIn>
  readonly readOthers: ReturnType<typeof monthInputsRead>
  readonly fingerprintOf: (casesSha256: string) => string
  readonly checkPools: () => void
}

function payMonth(db: Db, context: PaymentMethod, pricing: PricingThread, options: MonthRun): Promise<PayResult> {
  const {month, rates, warnings, total, carried, readOthers, fingerprintOf} = options
  const year = Number(month.slice(0, 4))
  return withTransaction(db, async () => {
    const inputs = {method: context.method, policy: context.stored, scheme: context.schemeRef, ...context.extraInputs, cases: {month, count: total, sha256: ''}, rates, carriedFrom: carried.from}
    const runId = startRun(db, 'pay', month, inputs)
    const explain = options.explain === true
    const source = pricing.start(context, {kind: 'pay', months: [month], rates, explain, runId})
    // Checked while the workers price their first pages (a pass over the month's cases, which
    // this thread would otherwise spend waiting for them); a policy that does not fit stores nothing.
    options.checkPools()
    const priced = priceMonth(db, context, month, source, runId, rates, explain, (done) => options.onProgress?.(done, total))
    const missingWeights = missingWeightsCheck(priced.missing, context.policy, month)
    const read = {...readOthers, cases: priced.casesSha256}
    setRunInputs(db, runId, {...inputs, cases: {...inputs.cases, sha256: priced.casesSha256}, fingerprint: fingerprintOf(priced.casesSha256), read})
    const deductions = deductionsFor(db, year, month)
    for (const key of [...deductions.keys(), ...carried.amounts.keys()]) if (!priced.months.has(key)) priced.months.set(key, new MonthAccumulator())
    const months = finishMonths(context, priced.months, deductions, carried.amounts)
    const institutions = writeInstitutions(db, context, runId, months, priced, rates, deductions, carried.amounts)
    const stage = context.policy.file.rounding.money_rounding_stage
    const stored = runCaseTotals(db, runId)
    const checks = payChecks({
      casesStored: total,
      casesPriced: stored.cases,
      casesFundReadBackYuan: yuanOfFen(stored.fundFen),
      correctionsReadBack: runCorrectionLines(db, runId),
      stage,
      institutions: months.map(({key, month: m}) => ({...m, deductionsYuan: deductions.get(key) ?? parseDecimal('0'), carriedInYuan: carried.amounts.get(key)})),
    })
    for (const check of checks) assert(check.holds, `pay run ${runId}: ${check.name}: ${check.left} ≠ ${check.right}`)
    const capitation = capitationOfMonth(db, context.policy, month) ?? null
    for (const line of capitation?.lines ?? []) assert(monthLineHolds(line), `pay run ${runId}: capitation ${line.institutionId} ${line.pool}: paid + held back = due`)
    const result = {
      runId,
      month,
      policy: context.stored,
      scheme: context.schemeRef,
      roundingStage: stage,
      excessDeduction: context.policy.excessDeduction,
      rates: rates.map((r) => context.rateJson(r)),
      carriedFrom: carried.from,
      specialPending: pendingSpecialCount(db, month),
      missingWeights,
      corrections: priced.corrections,
      warnings: [...warnings, ...(capitation?.warnings ?? [])],
      institutions,
      totals: {cases: total, ...(Object.fromEntries(TOTAL_LINES.map((key) => [key, sum(institutions.map((i) => parseDecimal(i[key]))).toFixed(2)])) as Pick<PayInstitution, TotalLine>)},
      checks,
      capitation,
    }
    const supersededRunId = finishRun(db, runId, 'pay', month, result)
    return {...result, supersededRunId}
  })
}

/**
 * The deductions an earlier month of the year could not take (its 结转下月待扣), from the current
 * payment run of the latest earlier month that has one.
 */
function carriedIn(db: Db, month: string): {from: {month: string; runId: number} | null; amounts: KeyedTotals} {
  const amounts = new KeyedTotals()
  for (let m = Number(month.slice(5, 7)) - 1; m >= 1; m--) {
    const earlier = `${month.slice(0, 4)}-${String(m).padStart(2, '0')}`
    const run = currentRunLines<{carriedOutYuan?: string}>(db, 'pay', earlier)
    if (run === undefined) continue
    for (const {institutionId, pool, line} of run.lines) if (line.carriedOutYuan !== undefined && line.carriedOutYuan !== '0.00') amounts.add(`${institutionId}\t${pool}`, parseDecimal(line.carriedOutYuan))
    return {from: {month: earlier, runId: run.runId}, amounts}
  }
  return {from: null, amounts}
}

interface PricedMonth {
  readonly months: Map<string, MonthAccumulator>
  readonly weights: WeightSums
  readonly missing: MissingWeightsCounter
  /** Cases discharged in an earlier month and declared in this one (跨月), per institution-pool. */
  readonly late: Map<string, number>
  readonly corrections: readonly RunCorrection[]
  readonly casesSha256: string
}

/** Prices the month in one pass over its cases (here or on a worker); the cases' hash (their row hashes in order) is made on the way. */
function priceMonth(db: Db, context: PaymentMethod, month: string, source: PricedSource, runId: number, rates: readonly PoolRate[], explain: boolean, progress: (done: number) => void): PricedMonth {
  const weights = new WeightSums()
  const missing = new MissingWeightsCounter()
  const record = runCaseWriter(db, runId)
  const months = new Map<string, MonthAccumulator>()
  const accumulatorOf = (key: string): MonthAccumulator => {
    let accumulator = months.get(key)
    if (accumulator === undefined) {
      accumulator = new MonthAccumulator()
      months.set(key, accumulator)
    }
    return accumulator
  }
  const late = new Map<string, number>()
  let done = 0
  for (const page of source.pages) {
    record.page(page.fields, page.count, {firstSeq: page.firstSeq, text: page.sealText})
    const {fields, numbers} = page
    for (let k = 0; k < page.count; k++) {
      const f = k * PAGE_FIELDS
      const n = k * PAGE_NUMBERS
      const key = `${fields[f + FIELD.institutionId]}\t${fields[f + FIELD.pool]}`
      const accumulator = accumulatorOf(key)
      if (numbers[n + NUMBER.late] === 1) late.set(key, (late.get(key) ?? 0) + 1)
      const payment = fields[f + FIELD.payment] as CasePayment
      accumulator.addCase(payment, fields[f + FIELD.outlier] as CaseOutlier, numbers[n + NUMBER.fundFen]!, numbers[n + NUMBER.residueUnits]!, exactOf(page, k))
      missing.add(key, fields[f + FIELD.status]!, page.missing[k]!)
      const weight = fields[f + FIELD.weight]!
      if (payment === 'drg' && weight !== '') weights.add(key, weight)
    }
    done += page.count
    progress(done)
  }
  record.flush()
  const corrections = priceCorrections(db, month, runId, context.rowPricer(rates, explain), accumulatorOf)
  return {months, weights, missing, late, corrections, casesSha256: source.summary().casesSha256}
}

function finishMonths(context: PaymentMethod, months: ReadonlyMap<string, MonthAccumulator>, deductions: ReadonlyMap<string, Dec>, carried: KeyedTotals): {key: string; month: InstitutionMonth}[] {
  const p = context.policy.file
  const rules = {preSettleRatio: p.monthly.pre_settle_ratio, excess: context.policy.excessDeduction, mode: context.policy.roundingMode, stage: p.rounding.money_rounding_stage}
  return [...months]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, accumulator]) => {
      const due = sum([deductions.get(key) ?? parseDecimal('0'), carried.get(key)])
      const month = accumulator.finish(key.split('\t')[0]!, rules, due)
      assert(month.check.holds, `pay ${key}: paid + withheld + taken = ${month.check.accountedYuan.toFixed(2)} but the floored fund due is ${month.dueFlooredYuan.toFixed(2)}`)
      return {key, month}
    })
}

function writeInstitutions(
  db: Db,
  context: PaymentMethod,
  runId: number,
  months: readonly {key: string; month: InstitutionMonth}[],
  priced: PricedMonth,
  rates: readonly PoolRate[],
  deductions: ReadonlyMap<string, Dec>,
  carried: KeyedTotals,
): PayInstitution[] {
  const store = runInstitutionWriter(db, runId)
  return months.map(({key, month}) => {
    const [institutionId, pool] = key.split('\t') as [string, string]
    const institution = context.institutions.get(institutionId)!
    const line: PayInstitution = {
      institutionId,
      name: institution.name,
      level: institution.level,
      pool,
      coefficient: institution.coefficientValue.toString(),
      rate: context.rateJson(rates.find((r) => r.pool === pool)!),
      cases: month.cases,
      lateClaims: priced.late.get(key) ?? 0,
      corrections: month.corrections,
      byPayment: month.byPayment,
      byOutlier: month.byOutlier,
      missingWeightCases: priced.missing.casesOf(key),
      casesFundYuan: month.casesFundYuan.toFixed(2),
      roundingResidueYuan: month.roundingResidueYuan.toFixed(2),
      fundDueYuan: month.fundDueYuan.toFixed(2),
      fundDueFlooredYuan: month.dueFlooredYuan.toFixed(2),
      payBeforeDeductionsYuan: month.beforeDeductionsYuan.toFixed(2),
      deductionsYuan: (deductions.get(key) ?? parseDecimal('0')).toFixed(2),
      carriedInYuan: carried.get(key).toFixed(2),
      deductionsTakenYuan: month.takenYuan.toFixed(2),
      carriedOutYuan: month.carriedOutYuan.toFixed(2),
      payYuan: month.payYuan.toFixed(2),
      withheldYuan: month.withheldYuan.toFixed(2),
      weightedCases: priced.weights.casesOf(key),
      weightSum: priced.weights.sumText(key),
    }
    store(institutionId, pool, line)
    return line
  })
}
