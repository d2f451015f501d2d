/**
 * `yb clear --year`: 年终清算 (settlement-rules §3.7, §4.2, §5.4–5.5). The year's cases are priced
 * again at the final rate or point value, and every institution and pool with cases, a monthly
 * payment, a prepayment or a deduction in the year gets its clearing: the entitled amount (floored
 * at 0) against the actual spending in the band rule, the quality deposit released by the
 * assessment, 特例单议 additions, every deduction once, the months paid and the prepayment; each
 * step a printed line, the balance their signed sum (应补 > 0, 应扣 < 0). The year's identity is
 * asserted per institution and for the region on the figures as stored.
 *
 *   await runClear(db, {year: 2025}) → {runId: 14, institutions: [{institutionId: 'H001', pool: '职工', balanceYuan: '129875.00', lines: […]}]}
 */
import {type Check, clearChecks} from '../clearing/checks.js'
import {type Assessment, clearInstitution, signedSum} from '../clearing/cycle.js'
import {yuanOfFen} from '../clearing/fen.js'
import {KeyedTotals} from '../clearing/ledger.js'
import {type Dec, parseDecimal, sum, ZERO} from '../clearing/money.js'
import {YearAccumulator} from '../clearing/month.js'
import {assert, inputError, InputErrors} from '../errors.js'
import {monthCaseCount} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {withTransaction} from '../store/db.js'
import {currentRunLines, runLines} from '../store/run-lines.js'
import {finishRun, runCaseTotals, runCaseWriter, runInstitutionWriter, setRunInputs, startRun} from '../store/runs.js'
import {yearDeductions} from '../store/settlement-data.js'
import type {SpecialDecisionKind} from '../store/special-cases.js'
import {doublyPaid, priorCorrectionLines} from '../store/corrections.js'
import {assertWritable, openMonths} from '../store/periods.js'
import {assessmentsOf} from './assessment.js'
import {loadMethod} from './method.js'
import {missingWeightsCheck, type MissingWeights, MissingWeightsCounter} from './missing-weights.js'
import type {PaymentMethod, PoolRate, PoolRateJson} from './payment-method.js'
import {runPolicyCheck} from './policy-workspace.js'
import {checkRates} from './rate-check.js'
import {refuseBeyondCap, type SpecialCapReport, specialCapReport} from './special-cap.js'
import {yearPolicy} from './year-policy.js'
import {capitationOfYear, type CapitationYearResult} from './capitation-clear.js'
import {enrolledInstitutions} from '../store/capitation-data.js'
import type {CaseOutlier, CasePayment} from '../clearing/drg-case.js'
import {exactOf, FIELD, NUMBER, PAGE_FIELDS, PAGE_NUMBERS} from './priced-pages.js'
import {type PricedSource, pricingThread, type PricingThread} from './priced-source.js'

export interface ClearLine {
  readonly key: string
  readonly label: string
  readonly amountYuan: string
  readonly sign: 1 | -1 | 0
}

export interface ClearInstitution {
  readonly institutionId: string
  readonly name: string
  readonly level: string
  readonly pool: string
  readonly cases: number
  /** 特例单议 on the institution's cases: approved (paid by approved cost, the difference on the 特例单议追加 line), rejected, and still pending. */
  readonly special: {readonly approved: number; readonly rejected: number; readonly pending: number}
  /** The assessment value as given (a score out of 100, or a coefficient under assessment.mode COEFFICIENT). */
  readonly assessmentScore: string
  readonly lines: readonly ClearLine[]
  readonly balanceYuan: string
}

export interface ClearResult {
  readonly runId: number
  readonly year: number
  readonly supersededRunId: number | null
  readonly roundingStage: 'CASE' | 'INSTITUTION'
  readonly prepaymentRecovery: 'OFFSET' | 'REFUND'
  readonly rates: readonly PoolRateJson[]
  /** Months of the year without a current payment run (their cases are cleared, nothing was paid for them). */
  readonly monthsWithoutPayment: readonly string[]
  readonly assessment: 'imported' | 'default-100'
  readonly missingWeights: MissingWeights
  readonly special: SpecialCapReport
  readonly warnings: readonly string[]
  readonly institutions: readonly ClearInstitution[]
  readonly totals: {readonly entitledYuan: string; readonly finalEntitledYuan: string; readonly deductionsYuan: string; readonly monthlyPaidYuan: string; readonly balanceYuan: string; readonly prepaymentRefundYuan: string}
  readonly checks: readonly Check[]
  /** 按人头付费 and 门特 packages cleared beside the cases; null when the policy pays nothing by head. */
  readonly capitation: CapitationYearResult | null
}

export interface ClearOptions {
  readonly year: number
  /** Assessment values per institution, as given in the file (checked against the policy's assessment mode). */
  readonly assessment?: ReadonlyMap<string, {readonly value: string; readonly row: number; readonly file: string}>
  readonly acceptRateDeviation?: boolean
  readonly onProgress?: (done: number) => void
}

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']

export async function runClear(db: Db, options: ClearOptions): Promise<ClearResult> {
  const {year} = options
  const period = String(year)
  assertWritable(db, {year}, `a clearing run of ${year}`, '', 'reopen')
  const open = openMonths(db, year)
  if (open.length > 0) {
    throw new InputErrors([
      inputError(period, 0, '', 'value_not_allowed', `the clearing of ${year} needs all twelve months closed; not closed: ${open.join(', ')}`, `pay and close them (yb period close --month …); a month without cases closes without a run`),
    ])
  }
  const months = MONTHS.map((m) => `${year}-${m}`)
  const {policy, stored} = yearPolicy(db, year)
  const check = runPolicyCheck(db, policy, `policy ${year} v${stored.version}`, months)
  check.early()
  // The workers (for a large year) start first: they load the year's method while this thread
  // loads its own and makes the rates. The year's cases are checked against the policy's pools
  // (a pass over them) while the workers price their first pages (clearYear), before the run is stored.
  const pricing = pricingThread(db, year, months.reduce((cases, month) => cases + monthCaseCount(db, month), 0))
  try {
    const context = loadMethod(db, year)
    const rates = context.rates(db, months, pricing.summer)
    const warnings = checkRates(db, context, rates, {accept: options.acceptRateDeviation === true, period})
    const [paid, prepaid, deductions] = [paidByInstitution(db, months), prepaidByInstitution(db, period), yearDeductions(db, year)]
    return await clearYear(db, context, pricing, {...options, months, stored, rates, warnings, paid, prepaid, deductions, checkPools: check.cases})
  } finally {
    await pricing.stop()
  }
}

interface YearRun extends ClearOptions {
  readonly months: readonly string[]
  readonly stored: {readonly version: number}
  readonly rates: readonly PoolRate[]
  readonly warnings: readonly string[]
  readonly paid: YearPaid
  readonly prepaid: Map<string, Dec>
  readonly deductions: ReturnType<typeof yearDeductions>
  /** Throws when a case of the year is in a pool the policy does not pay. */
  readonly checkPools: () => void
}

function clearYear(db: Db, context: PaymentMethod, pricing: PricingThread, options: YearRun): Promise<ClearResult> {
  const {year, months, stored, rates, warnings, paid, prepaid, deductions} = options
  const period = String(year)
  return withTransaction(db, async () => {
    const runId = startRun(db, 'clear', period, {})
    const source = pricing.start(context, {kind: 'clear', months, rates, explain: false, runId})
    options.checkPools()
    const priced = priceYear(db, source, runId, options.onProgress)
    if (priced.cases === 0) throw new InputErrors([inputError(period, 0, '', 'reference_unknown', `no discharges are stored for ${year}`)])
    const missingWeights = missingWeightsCheck(priced.missing, context.policy, period)
    const special = specialCapReport(db, context.policy, year, priced.methodDischarges)
    refuseBeyondCap(special, `policy ${year} v${stored.version}`)
    // Every institution-pool with cases, a payment, a prepayment or a deduction in the year (§5.2).
    const keys = new Set([...priced.byInstitution.keys(), ...paid.amounts.keys(), ...paid.priorCorrections.keys(), ...prepaid.keys(), ...deductions.dated.keys(), ...deductions.undated.keys()])
    // No case is paid in two current runs of the year except through a recorded correction (冲正/补退).
    const twice = doublyPaid(db, paid.runIds)
    assert(twice.length === 0, `clear ${year}: paid in two current runs: ${twice.map((t) => `${t.settlementId} (runs ${t.runs})`).join(', ')}`)
    for (const key of keys) if (!priced.byInstitution.has(key)) priced.byInstitution.set(key, newYearTotals())
    const assessments = assessmentsOf(context.policy, options.assessment, priced.byInstitution, new Set(enrolledInstitutions(db, months)))
    const institutions = clearAll(db, context, runId, priced.byInstitution, {paid, prepaid, deductions}, assessments)
    const checks = readBackChecks(db, context, runId, {paid, prepaid, deductions})
    const capitation = capitationOfYear(db, context.policy, months, assessments)
    for (const check of checks) assert(check.holds, `clear ${year}: ${check.name}: ${check.left} ≠ ${check.right}`)
    setRunInputs(db, runId, {
      method: context.method,
      policy: context.stored,
      scheme: context.schemeRef,
      ...context.extraInputs,
      cases: {count: priced.cases, sha256: priced.casesSha256},
      special: {decisions: priced.specialDecisions, sha256: priced.specialSha256},
      rates: rates.map((r) => context.rateJson(r)),
    })
    const lineTotal = (key: string) => sum(institutions.map((i) => parseDecimal(i.lines.find((l) => l.key === key)!.amountYuan))).toFixed(2)
    const result = {
      runId,
      year,
      roundingStage: context.policy.file.rounding.money_rounding_stage,
      prepaymentRecovery: context.policy.file.prepay.recovery_mode,
      rates: rates.map((r) => context.rateJson(r)),
      monthsWithoutPayment: paid.monthsWithout,
      assessment: options.assessment === undefined ? ('default-100' as const) : ('imported' as const),
      missingWeights,
      special,
      warnings,
      institutions,
      totals: {
        entitledYuan: lineTotal('entitled'),
        finalEntitledYuan: lineTotal('finalEntitled'),
        deductionsYuan: lineTotal('deductions'),
        monthlyPaidYuan: lineTotal('monthlyPaid'),
        balanceYuan: sum(institutions.map((i) => parseDecimal(i.balanceYuan))).toFixed(2),
        prepaymentRefundYuan: lineTotal('prepaymentRefund'),
      },
      checks,
      capitation,
    }
    const supersededRunId = finishRun(db, runId, 'clear', period, result)
    return {...result, supersededRunId}
  })
}

interface YearTotals {
  readonly year: YearAccumulator
  /** 特例单议 decisions on the institution-pool's cases. */
  readonly special: {approved: number; rejected: number; pending: number}
}

function newYearTotals(): YearTotals {
  return {year: new YearAccumulator(), special: {approved: 0, rejected: 0, pending: 0}}
}

/** Prices every case of the year at the final rate (here or on a worker), storing each; sums per institution and pool in 分 with the rounding residues. */
function priceYear(db: Db, source: PricedSource, runId: number, progress?: (done: number) => void) {
  const record = runCaseWriter(db, runId)
  const byInstitution = new Map<string, YearTotals>()
  const missing = new MissingWeightsCounter()
  // Discharges paid by the year's method per institution and month, for the 特例单议 cap (counted here, not by a second scan of the year).
  const byMethod = new Map<string, {institutionId: string; month: string; cases: number}>()
  let cases = 0
  for (const page of source.pages) {
    record.page(page.fields, page.count, {firstSeq: page.firstSeq, text: page.sealText})
    const {fields, numbers} = page
    for (const [institutionId, n] of page.byMethod) {
      const at = `${institutionId}\t${page.month}`
      const counted = byMethod.get(at)
      if (counted === undefined) byMethod.set(at, {institutionId, month: page.month, cases: n})
      else counted.cases += n
    }
    for (let k = 0; k < page.count; k++) {
      const f = k * PAGE_FIELDS
      const n = k * PAGE_NUMBERS
      const key = `${fields[f + FIELD.institutionId]}\t${fields[f + FIELD.pool]}`
      let totals = byInstitution.get(key)
      if (totals === undefined) {
        totals = newYearTotals()
        byInstitution.set(key, totals)
      }
      const fundFen = numbers[n + NUMBER.fundFen]!
      const decision = fields[f + FIELD.special] as '' | SpecialDecisionKind
      if (decision !== '') {
        if (decision === 'approved') totals.year.addSpecial(numbers[n + NUMBER.specialFen]!, fundFen)
        totals.special[decision]++
      }
      totals.year.cases.addCase(fields[f + FIELD.payment] as CasePayment, fields[f + FIELD.outlier] as CaseOutlier, fundFen, numbers[n + NUMBER.residueUnits]!, exactOf(page, k))
      missing.add(key, fields[f + FIELD.status]!, page.missing[k]!)
      totals.year.addActual(numbers[n + NUMBER.actualFen]!)
    }
    const before = cases
    cases += page.count
    if (Math.floor(cases / 10_000) > Math.floor(before / 10_000)) progress?.(cases)
  }
  record.flush()
  const summary = source.summary()
  return {cases, byInstitution, missing, methodDischarges: [...byMethod.values()], casesSha256: summary.casesSha256, specialDecisions: summary.specialDecisions, specialSha256: summary.specialSha256}
}

interface YearPaid {
  /** Σ 本月拨付 per institution and pool over the current payment runs of the year's months. */
  readonly amounts: KeyedTotals
  /** Σ of the deductions those payments took. */
  readonly taken: KeyedTotals
  /** Σ 补退 − 冲正 those payments made for cases of earlier years. */
  readonly priorCorrections: KeyedTotals
  readonly runIds: number[]
  readonly monthsWithout: string[]
}

function paidByInstitution(db: Db, months: readonly string[]): YearPaid {
  const amounts = new KeyedTotals()
  const taken = new KeyedTotals()
  const priorCorrections = new KeyedTotals()
  const runIds: number[] = []
  const monthsWithout: string[] = []
  for (const month of months) {
    const run = currentRunLines<{payYuan: string; deductionsTakenYuan?: string; deductionsYuan: string}>(db, 'pay', month)
    if (run === undefined) {
      monthsWithout.push(month)
      continue
    }
    runIds.push(run.runId)
    for (const {institutionId, pool, line} of run.lines) {
      const key = `${institutionId}\t${pool}`
      amounts.add(key, parseDecimal(line.payYuan))
      // Runs before carry-forward took every deduction of their month.
      taken.add(key, parseDecimal(line.deductionsTakenYuan ?? line.deductionsYuan))
    }
  }
  for (const line of priorCorrectionLines(db, runIds, months[0]!)) {
    priorCorrections.add(`${line.institutionId}\t${line.pool}`, parseDecimal(line.fundYuan))
    priorCorrections.subtract(`${line.reversedInstitutionId}\t${line.reversedPool}`, parseDecimal(line.reversedFundYuan))
  }
  return {amounts, taken, priorCorrections, runIds, monthsWithout}
}

/** The year's prepayment per institution and pool (its current prepay run; only amounts above 0). */
function prepaidByInstitution(db: Db, period: string): Map<string, Dec> {
  const amounts = new Map<string, Dec>()
  for (const {institutionId, pool, line} of currentRunLines<{prepaymentYuan: string}>(db, 'prepay', period)?.lines ?? []) {
    const amount = parseDecimal(line.prepaymentYuan)
    if (amount.gt(0)) amounts.set(`${institutionId}\t${pool}`, amount)
  }
  return amounts
}

interface YearAmounts {
  readonly paid: YearPaid
  readonly prepaid: ReadonlyMap<string, Dec>
  readonly deductions: {readonly dated: ReadonlyMap<string, Dec>; readonly undated: ReadonlyMap<string, Dec>}
}

function clearAll(db: Db, context: PaymentMethod, runId: number, byInstitution: ReadonlyMap<string, YearTotals>, amounts: YearAmounts, assessments: (institutionId: string) => {assessment: Assessment; text: string}): ClearInstitution[] {
  const p = context.policy.file
  const store = runInstitutionWriter(db, runId)
  const out: ClearInstitution[] = []
  for (const [key, totals] of [...byInstitution].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [institutionId, pool] = key.split('\t') as [string, string]
    const {assessment, text} = assessments(institutionId)
    const clearing = clearInstitution(
      {
        cases: totals.year.cases.totals(context.policy.roundingMode, p.rounding.money_rounding_stage),
        actualYuan: totals.year.actualYuan,
        band: context.policy.band,
        depositRate: p.quality_deposit.rate,
        assessment,
        specialAdditionsYuan: totals.year.specialAdditionsYuan,
        priorYearCorrectionsYuan: amounts.paid.priorCorrections.get(key),
        deductions: {
          datedYuan: amounts.deductions.dated.get(key) ?? ZERO,
          takenMonthlyYuan: amounts.paid.taken.get(key),
          yearEndYuan: amounts.deductions.undated.get(key) ?? ZERO,
        },
        monthlyPaidYuan: amounts.paid.amounts.get(key),
        prepayment: {prepaidYuan: amounts.prepaid.get(key) ?? ZERO, recovery: p.prepay.recovery_mode},
      },
      context.policy.roundingMode,
    )
    const line: ClearInstitution = {
      institutionId,
      name: context.institutions.get(institutionId)?.name ?? '',
      level: context.institutions.get(institutionId)?.level ?? '',
      pool,
      cases: totals.year.cases.count,
      special: {...totals.special},
      assessmentScore: text,
      lines: clearing.lines.map((l) => ({key: l.key, label: l.label, amountYuan: l.amountYuan.toFixed(2), sign: l.sign})),
      balanceYuan: clearing.balanceYuan.toFixed(2),
    }
    store(institutionId, pool, line)
    out.push(line)
  }
  return out
}

/**
 * The check equations on the clearing as stored, read back, beside figures read on their own: the
 * cases from run_case, the balances and lines from run_institution, the prepayment from its run,
 * the monthly payments from theirs, the deductions from the deduction table.
 */
function readBackChecks(db: Db, context: PaymentMethod, runId: number, amounts: YearAmounts): Check[] {
  const storedCases = runCaseTotals(db, runId)
  const lines = runLines<ClearInstitution>(db, runId)
  return clearChecks({
    casesFundReadBackYuan: yuanOfFen(storedCases.fundFen),
    stage: context.policy.file.rounding.money_rounding_stage,
    institutions: lines.map(({institutionId, pool, line}) => {
      const key = `${institutionId}\t${pool}`
      const amount = (k: string) => parseDecimal(line.lines.find((l) => l.key === k)!.amountYuan)
      return {
        institutionId,
        pool,
        casesFundYuan: amount('casesFund'),
        roundingResidueYuan: amount('roundingResidue'),
        fundDueYuan: amount('fundDue'),
        balanceYuan: parseDecimal(line.balanceYuan),
        linesSumYuan: signedSum(line.lines.map((l) => ({amountYuan: parseDecimal(l.amountYuan), sign: l.sign}))),
        prepaidYuan: amounts.prepaid.get(key) ?? ZERO,
        monthlyPaidYuan: amounts.paid.amounts.get(key),
        offsetYuan: amount('prepaymentOffset'),
        refundedYuan: amount('prepaymentRefund'),
        finalEntitledYuan: amount('finalEntitled'),
        deductionsYuan: sum([amounts.deductions.dated.get(key) ?? ZERO, amounts.deductions.undated.get(key) ?? ZERO]),
      }
    }),
  })
}
