/**
 * `yb pay --month`: group the month's stored discharges with the year's scheme, price each
 * case by the year's policy and weights, sum per institution and pool, withhold, and record the
 * run (inputs' hashes, per-case build-up, per-institution lines). The check equations are
 * asserted on the stored data as read back.
 *
 *   await runPay(db, {month: '2025-03'}) → {runId: 7, institutions: [{institutionId: 'H001', pool: '职工', payYuan: '…'}], checks: […]}
 */
import {createHash} from 'node:crypto'
import {MonthAccumulator} from '../clearing/drg-case.js'
import {yuanOfFen} from '../clearing/fen.js'
import {type Dec, parseDecimal, sum, ZERO} from '../clearing/money.js'
import {unitsOf, unitsText} from '../clearing/units.js'
import {assert, inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {deductionsFor} from '../store/settlement-data.js'
import {withTransaction} from '../store/db.js'
import {assertPeriodOpen, finishRun, runCaseTotals, runCaseWriter, setRunInputs, startRun} from '../store/runs.js'
import {monthCases, type PaymentMethod, type PoolRate, type PoolRateJson} from './drg-context.js'
import {loadMethod} from './method.js'

export interface PayInstitution {
  readonly institutionId: string
  readonly name: string
  readonly level: string
  readonly pool: string
  readonly coefficient: string
  /** 费率 (RATE) or 点值 (POINTS) of the pool this month. */
  readonly rate: PoolRateJson
  readonly cases: number
  readonly byPayment: Readonly<Record<string, number>>
  readonly byOutlier: Readonly<Record<string, number>>
  /** Σ of the cases' fund amounts as each was rounded (the case-detail sheet's total). */
  readonly casesFundYuan: string
  /** 尾差 = Σ rounded cases − their exact sum rounded once; fundDue = casesFund − 尾差 under rounding stage INSTITUTION. */
  readonly roundingResidueYuan: string
  readonly fundDueYuan: string
  /** 审核扣减 / 违规扣款 of this month, taken off the payment. */
  readonly deductionsYuan: string
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
  readonly rates: readonly PoolRateJson[]
  /** 特例单议 marks on the month's cases still waiting for a decision (they are paid by their group meanwhile). */
  readonly specialPending: number
  readonly institutions: readonly PayInstitution[]
  readonly totals: {readonly cases: number; readonly roundingResidueYuan: string; readonly fundDueYuan: string; readonly deductionsYuan: string; readonly payYuan: string; readonly withheldYuan: string}
  readonly checks: readonly PayCheck[]
}


export interface PayOptions {
  readonly month: string
  /** Store every case's price build-up (by default only its results are stored). */
  readonly explain?: boolean
  readonly onProgress?: (done: number, total: number) => void
}

export async function runPay(db: Db, options: PayOptions): Promise<PayResult> {
  const {month} = options
  assertPeriodOpen(db, 'pay', month)
  const context = loadMethod(db, Number(month.slice(0, 4)))
  const total = (db.prepare('SELECT COUNT(*) AS n FROM settlement_case WHERE month = ?').get(month) as {n: number}).n
  if (total === 0) throw new InputErrors([inputError(month, 0, '', 'reference_unknown', `no discharges are stored for ${month}`, `import them with \`yb cases import --month ${month} <file>\``)])
  const rates = context.rates(db, [month])

  return withTransaction(db, async () => {
    const inputs = {method: context.method, policy: context.stored, scheme: context.schemeRef, ...context.extraInputs, cases: {month, count: total, sha256: ''}, rates}
    const runId = startRun(db, 'pay', month, inputs)
    const {months, weights, casesSha256} = priceMonth(db, context, month, runId, rates, options.explain === true, (done) => options.onProgress?.(done, total))
    setRunInputs(db, runId, {...inputs, cases: {...inputs.cases, sha256: casesSha256}})
    const deductions = deductionsFor(db, context.stored.year, month)
    for (const key of deductions.keys()) if (!months.has(key)) months.set(key, new MonthAccumulator())
    const institutions = writeInstitutions(db, context, runId, months, weights, rates, deductions)
    const checks = checkRun(db, runId, institutions, total)
    const result = {
      runId,
      month,
      policy: context.stored,
      scheme: context.schemeRef,
      roundingStage: context.policy.file.rounding.money_rounding_stage,
      rates: rates.map((r) => context.rateJson(r)),
      specialPending: specialPendingIn(db, month),
      institutions,
      totals: {
        cases: total,
        roundingResidueYuan: sum(institutions.map((i) => parseDecimal(i.roundingResidueYuan))).toFixed(2),
        fundDueYuan: sum(institutions.map((i) => parseDecimal(i.fundDueYuan))).toFixed(2),
        deductionsYuan: sum(institutions.map((i) => parseDecimal(i.deductionsYuan))).toFixed(2),
        payYuan: sum(institutions.map((i) => parseDecimal(i.payYuan))).toFixed(2),
        withheldYuan: sum(institutions.map((i) => parseDecimal(i.withheldYuan))).toFixed(2),
      },
      checks,
    }
    const supersededRunId = finishRun(db, runId, 'pay', month, result)
    return {...result, supersededRunId}
  })
}

/** Σ weights (DRG) or group scores (DIP) of the cases paid by their group, for the CMI. */
interface GroupWeights {
  units: bigint
  cases: number
}
const WEIGHT_PLACES = 10

/** At least 4 places, more only where a weight or score has them. */
export function weightText(units: bigint): string {
  return unitsText(units, WEIGHT_PLACES, 4)
}

/** Prices the month in one pass over its cases; the cases' hash (their row hashes in order) is made on the way. */
function priceMonth(
  db: Db,
  context: PaymentMethod,
  month: string,
  runId: number,
  rates: readonly PoolRate[],
  explain: boolean,
  progress: (done: number) => void,
): {months: Map<string, MonthAccumulator>; weights: Map<string, GroupWeights>; casesSha256: string} {
  const casesSha = createHash('sha256')
  const weights = new Map<string, GroupWeights>()
  const record = runCaseWriter(db, runId)
  const price = context.rowPricer(rates, explain)
  const months = new Map<string, MonthAccumulator>()
  let done = 0
  for (const row of monthCases(db, month)) {
    casesSha.update(row.row_hash)
    const {outcome, record: kept} = price(row)
    record(kept)
    const key = `${row.institution_id}\t${row.insurance_type}`
    let accumulator = months.get(key)
    if (accumulator === undefined) {
      accumulator = new MonthAccumulator()
      months.set(key, accumulator)
    }
    accumulator.addFen(outcome.payment, outcome.outlier, outcome.fundFen, outcome.residueUnits)
    if (outcome.residueYuan !== null) accumulator.addResidueYuan(outcome.residueYuan)
    if (outcome.payment === 'drg' && kept.weight !== '') {
      const w = weights.get(key) ?? {units: 0n, cases: 0}
      w.units += unitsOf(kept.weight, WEIGHT_PLACES)
      w.cases++
      weights.set(key, w)
    }
    if (++done % 10_000 === 0) progress(done)
  }
  progress(done)
  return {months, weights, casesSha256: casesSha.digest('hex')}
}

function writeInstitutions(
  db: Db,
  context: PaymentMethod,
  runId: number,
  months: Map<string, MonthAccumulator>,
  weights: ReadonlyMap<string, GroupWeights>,
  rates: readonly PoolRate[],
  deductions: ReadonlyMap<string, Dec>,
): PayInstitution[] {
  const insert = db.prepare('INSERT INTO run_institution (run_id, institution_id, pool, lines_json) VALUES (?, ?, ?, ?)')
  const p = context.policy.file
  const out: PayInstitution[] = []
  for (const [key, accumulator] of [...months].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [institutionId, pool] = key.split('\t') as [string, string]
    const institution = context.institutions.get(institutionId)!
    const deductionsYuan = deductions.get(key) ?? ZERO
    const month = accumulator.finish(institutionId, p.monthly.pre_settle_ratio, deductionsYuan, context.policy.roundingMode, p.rounding.money_rounding_stage)
    assert(month.check.holds, `pay ${institutionId} ${pool}: paid + withheld = ${month.check.accountedYuan.toFixed(2)} but the fund due is ${month.fundDueYuan.toFixed(2)}`)
    const line: PayInstitution = {
      institutionId,
      name: institution.name,
      level: institution.level,
      pool,
      coefficient: institution.coefficientValue.toString(),
      rate: context.rateJson(rates.find((r) => r.pool === pool)!),
      cases: month.cases,
      byPayment: month.byPayment,
      byOutlier: month.byOutlier,
      casesFundYuan: month.casesFundYuan.toFixed(2),
      roundingResidueYuan: month.roundingResidueYuan.toFixed(2),
      fundDueYuan: month.fundDueYuan.toFixed(2),
      deductionsYuan: deductionsYuan.toFixed(2),
      payYuan: month.payYuan.toFixed(2),
      withheldYuan: month.withheldYuan.toFixed(2),
      weightedCases: weights.get(key)?.cases ?? 0,
      weightSum: weightText(weights.get(key)?.units ?? 0n),
    }
    insert.run(runId, institutionId, pool, JSON.stringify(line))
    out.push(line)
  }
  return out
}

/** The check equations, on the stored rows read back (§6.1): cases = institutions, and every case priced once. */
function checkRun(db: Db, runId: number, institutions: readonly PayInstitution[], total: number): PayCheck[] {
  const stored = runCaseTotals(db, runId)
  const casesSum = yuanOfFen(stored.fundFen)
  const institutionsCases = sum(institutions.map((i) => parseDecimal(i.casesFundYuan)))
  const institutionsSum = sum(institutions.map((i) => parseDecimal(i.fundDueYuan)))
  // Rounding once per institution, the cases' rounded amounts differ from the due by the 尾差; rounding each case, they are the due.
  const institutionStage = institutions.length > 0 && institutions.some((i) => i.fundDueYuan !== i.casesFundYuan)
  const dueAndResidue = institutionsSum.plus(institutionStage ? sum(institutions.map((i) => parseDecimal(i.roundingResidueYuan))) : ZERO)
  const paidAndWithheld = sum(institutions.flatMap((i) => [parseDecimal(i.payYuan), parseDecimal(i.withheldYuan), parseDecimal(i.deductionsYuan)]))
  const checks: PayCheck[] = [
    {name: '病例数 = 本月出院人次 (cases priced = cases stored)', left: String(stored.cases), right: String(total), holds: stored.cases === total},
    {name: 'Σ 病例基金 = Σ 机构病例合计 (cases = institutions)', left: casesSum.toFixed(2), right: institutionsCases.toFixed(2), holds: casesSum.eq(institutionsCases)},
    {name: institutionStage ? 'Σ 机构基金应付 + Σ 尾差 = Σ 病例基金 (due + rounding residue = cases)' : 'Σ 机构基金应付 = Σ 病例基金 (due = cases; 尾差 shown)', left: dueAndResidue.toFixed(2), right: casesSum.toFixed(2), holds: dueAndResidue.eq(casesSum)},
    {name: 'Σ 本月拨付 + Σ 预留 + Σ 扣款 = Σ 机构基金应付 (paid + withheld + deducted = due)', left: paidAndWithheld.toFixed(2), right: institutionsSum.toFixed(2), holds: paidAndWithheld.eq(institutionsSum)},
  ]
  for (const check of checks) assert(check.holds, `pay run ${runId}: ${check.name}: ${check.left} ≠ ${check.right}`)
  return checks
}

/** 特例单议 marks on a month's cases that have no decision yet. */
function specialPendingIn(db: Db, month: string): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM special_case s JOIN settlement_case c USING (settlement_id) WHERE c.month = ? AND s.decision = 'pending'").get(month) as {n: number}).n
}
