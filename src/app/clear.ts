/**
 * `yb clear --year`: 年终清算 for DRG (settlement-rules §4.2, §5.4–5.5). The year's cases are
 * priced again at the final rate (published, or (available × share ÷ ρ) ÷ Σ RW of the year), the
 * fund's entitled amount meets the actual spending in the band rule, the quality deposit is
 * released by the assessment, and deductions, the months paid and the prepayment come off:
 * every step a printed line, the balance their signed sum (应补 > 0, 应扣 < 0).
 *
 *   await runClear(db, {year: 2025}) → {runId: 14, institutions: [{institutionId: 'H001', pool: '职工', balanceYuan: '129875.00', lines: […]}]}
 */
import {createHash} from 'node:crypto'
import {clearInstitution} from '../clearing/cycle.js'
import {MonthAccumulator} from '../clearing/drg-case.js'
import {parseFen, yuanOfFen} from '../clearing/fen.js'
import {type Dec, parseDecimal, sum, ZERO} from '../clearing/money.js'
import {assert, inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {deductionsFor} from '../store/settlement-data.js'
import {withTransaction} from '../store/db.js'
import {assertPeriodOpen, finishRun, runCaseTotals, runCaseWriter, setRunInputs, startRun} from '../store/runs.js'
import {monthCases, type PaymentMethod, type PoolRate, type PoolRateJson} from './drg-context.js'
import {loadMethod} from './method.js'
import {specialDecisionsForYear} from '../store/special-cases.js'

export interface ClearLine {
  readonly key: string
  readonly label: string
  readonly amountYuan: string
  readonly sign: 1 | -1 | 0
}

export interface ClearInstitution {
  readonly institutionId: string
  readonly name: string
  readonly pool: string
  readonly cases: number
  /** 特例单议 on the institution's cases: approved (paid by approved cost, the difference on the 特例单议追加 line), rejected, and still pending. */
  readonly special: {readonly approved: number; readonly rejected: number; readonly pending: number}
  readonly assessmentScore: string
  readonly lines: readonly ClearLine[]
  readonly balanceYuan: string
}

export interface ClearResult {
  readonly runId: number
  readonly year: number
  readonly supersededRunId: number | null
  readonly roundingStage: 'CASE' | 'INSTITUTION'
  readonly rates: readonly PoolRateJson[]
  /** Months of the year without a current payment run (their cases are cleared, nothing was paid for them). */
  readonly monthsWithoutPayment: readonly string[]
  readonly assessment: 'imported' | 'default-100'
  readonly institutions: readonly ClearInstitution[]
  readonly totals: {readonly entitledYuan: string; readonly balanceYuan: string}
  readonly checks: readonly {readonly name: string; readonly left: string; readonly right: string; readonly holds: boolean}[]
}

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']

export async function runClear(db: Db, options: {year: number; assessment?: ReadonlyMap<string, Dec>; onProgress?: (done: number) => void}): Promise<ClearResult> {
  const {year} = options
  const period = String(year)
  assertPeriodOpen(db, 'clear', period)
  const context = loadMethod(db, year)
  const months = MONTHS.map((m) => `${year}-${m}`)
  const rates = context.rates(db, months)
  const paid = paidByInstitution(db, months)
  const prepaid = context.policy.file.prepay.recovery_mode === 'OFFSET' ? prepaidByInstitution(db, period) : new Map<string, Dec>()

  return withTransaction(db, async () => {
    const runId = startRun(db, 'clear', period, {})
    const priced = priceYear(db, context, months, runId, rates, options.onProgress)
    if (priced.cases === 0) throw new InputErrors([inputError(period, 0, '', 'reference_unknown', `no discharges are stored for ${year}`)])
    const deductions = deductionsFor(db, year, '')
    for (const key of deductions.keys()) if (!priced.byInstitution.has(key)) priced.byInstitution.set(key, newYearTotals())
    const institutions = clearAll(db, context, runId, priced.byInstitution, {paid: paid.amounts, prepaid, deductions}, options.assessment)
    const casesSum = yuanOfFen(runCaseTotals(db, runId).fundFen)
    const amountOf = (i: ClearInstitution, key: string) => parseDecimal(i.lines.find((l) => l.key === key)!.amountYuan)
    const entitled = sum(institutions.map((i) => amountOf(i, 'entitled')))
    const casesFund = sum(institutions.map((i) => amountOf(i, 'casesFund')))
    const institutionStage = context.policy.file.rounding.money_rounding_stage === 'INSTITUTION'
    const entitledAndResidue = entitled.plus(institutionStage ? sum(institutions.map((i) => amountOf(i, 'roundingResidue'))) : ZERO)
    const checks = [
      {name: 'Σ 病例基金 = Σ 机构病例合计 (cases = institutions)', left: casesSum.toFixed(2), right: casesFund.toFixed(2), holds: casesSum.eq(casesFund)},
      {
        name: institutionStage ? 'Σ 统筹基金应支付 + Σ 尾差 = Σ 病例基金 (entitled + rounding residue = cases)' : 'Σ 统筹基金应支付 = Σ 病例基金 (entitled = cases; 尾差 shown)',
        left: entitledAndResidue.toFixed(2),
        right: casesSum.toFixed(2),
        holds: entitledAndResidue.eq(casesSum),
      },
      ...institutions.map((i) => {
        const lines = sum(i.lines.map((l) => parseDecimal(l.amountYuan).times(l.sign)))
        return {name: `${i.institutionId} ${i.pool} 本期应补应扣 = Σ 各行 (balance = its lines)`, left: i.balanceYuan, right: lines.toFixed(2), holds: lines.eq(parseDecimal(i.balanceYuan))}
      }),
    ]
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
    const result = {
      runId,
      year,
      roundingStage: context.policy.file.rounding.money_rounding_stage,
      rates: rates.map((r) => context.rateJson(r)),
      monthsWithoutPayment: paid.monthsWithout,
      assessment: options.assessment === undefined ? ('default-100' as const) : ('imported' as const),
      institutions,
      totals: {entitledYuan: entitled.toFixed(2), balanceYuan: sum(institutions.map((i) => parseDecimal(i.balanceYuan))).toFixed(2)},
      checks,
    }
    const supersededRunId = finishRun(db, runId, 'clear', period, result)
    return {...result, supersededRunId}
  })
}

interface YearTotals {
  readonly cases: MonthAccumulator
  actualFen: number
  /** 特例单议追加: Σ (fund at the approved cost − fund by the group) over approved cases. */
  specialFen: number
  readonly special: {approved: number; rejected: number; pending: number}
}

function newYearTotals(): YearTotals {
  return {cases: new MonthAccumulator(), actualFen: 0, specialFen: 0, special: {approved: 0, rejected: 0, pending: 0}}
}

/** Prices every case of the year at the final rate, storing each; sums per institution and pool in 分 with the rounding residues. */
function priceYear(db: Db, context: PaymentMethod, months: readonly string[], runId: number, rates: readonly PoolRate[], progress?: (done: number) => void) {
  const record = runCaseWriter(db, runId)
  const price = context.rowPricer(rates, false)
  const byInstitution = new Map<string, YearTotals>()
  const basisIsTotalCost = context.policy.file.band.basis === 'TOTAL_COST'
  const decisions = specialDecisionsForYear(db, context.stored.year)
  const specialValue = context.specialValuer(rates)
  const casesSha = createHash('sha256')
  const specialSha = createHash('sha256')
  let cases = 0
  for (const month of months) {
    for (const row of monthCases(db, month)) {
      casesSha.update(row.row_hash)
      const {outcome, record: kept} = price(row)
      const key = `${row.institution_id}\t${row.insurance_type}`
      let totals = byInstitution.get(key)
      if (totals === undefined) {
        totals = newYearTotals()
        byInstitution.set(key, totals)
      }
      const decision = decisions.get(row.settlement_id)
      let steps = kept.steps
      if (decision !== undefined) {
        specialSha.update(decision.rowHash)
        if (decision.decision === 'approved') {
          const special = specialValue(row, decision)
          totals.specialFen += special.fundFen - outcome.fundFen
          steps = [steps, special.step, `特例单议追加 = ${yuanOfFen(special.fundFen).toFixed(2)} − ${yuanOfFen(outcome.fundFen).toFixed(2)}`].filter(Boolean).join('\n')
        }
        totals.special[decision.decision]++
      }
      record({...kept, steps})
      totals.cases.addFen(outcome.payment, outcome.outlier, outcome.fundFen, outcome.residueUnits)
      if (outcome.residueYuan !== null) totals.cases.addResidueYuan(outcome.residueYuan)
      totals.actualFen += parseFen(basisIsTotalCost ? row.total_cost : row.fund_recorded)
      if (++cases % 10_000 === 0) progress?.(cases)
    }
  }
  return {cases, byInstitution, casesSha256: casesSha.digest('hex'), specialDecisions: decisions.size, specialSha256: specialSha.digest('hex')}
}

/** Σ paid per institution and pool over the current payment runs of the year's months. */
function paidByInstitution(db: Db, months: readonly string[]): {amounts: Map<string, Dec>; monthsWithout: string[]} {
  const amounts = new Map<string, Dec>()
  const monthsWithout: string[] = []
  const runOf = db.prepare("SELECT run_id FROM run WHERE kind = 'pay' AND period = ? AND superseded_by IS NULL ORDER BY run_id DESC LIMIT 1")
  const linesOf = db.prepare('SELECT institution_id, pool, lines_json FROM run_institution WHERE run_id = ?')
  for (const month of months) {
    const run = runOf.get(month) as {run_id: number} | undefined
    if (run === undefined) {
      monthsWithout.push(month)
      continue
    }
    for (const row of linesOf.all(run.run_id) as {institution_id: string; pool: string; lines_json: string}[]) {
      const key = `${row.institution_id}\t${row.pool}`
      const line = JSON.parse(row.lines_json) as {payYuan: string}
      amounts.set(key, (amounts.get(key) ?? ZERO).plus(parseDecimal(line.payYuan)))
    }
  }
  return {amounts, monthsWithout}
}

function prepaidByInstitution(db: Db, period: string): Map<string, Dec> {
  const run = db.prepare("SELECT run_id FROM run WHERE kind = 'prepay' AND period = ? AND superseded_by IS NULL ORDER BY run_id DESC LIMIT 1").get(period) as {run_id: number} | undefined
  const amounts = new Map<string, Dec>()
  if (run === undefined) return amounts
  for (const row of db.prepare('SELECT institution_id, pool, lines_json FROM run_institution WHERE run_id = ?').all(run.run_id) as {institution_id: string; pool: string; lines_json: string}[]) {
    amounts.set(`${row.institution_id}\t${row.pool}`, parseDecimal((JSON.parse(row.lines_json) as {prepaymentYuan: string}).prepaymentYuan))
  }
  return amounts
}

function clearAll(
  db: Db,
  context: PaymentMethod,
  runId: number,
  byInstitution: ReadonlyMap<string, YearTotals>,
  amounts: {readonly paid: ReadonlyMap<string, Dec>; readonly prepaid: ReadonlyMap<string, Dec>; readonly deductions: ReadonlyMap<string, Dec>},
  assessment: ReadonlyMap<string, Dec> | undefined,
): ClearInstitution[] {
  const p = context.policy.file
  const insert = db.prepare('INSERT INTO run_institution (run_id, institution_id, pool, lines_json) VALUES (?, ?, ?, ?)')
  const out: ClearInstitution[] = []
  for (const [key, totals] of [...byInstitution].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [institutionId, pool] = key.split('\t') as [string, string]
    const score = assessment?.get(institutionId) ?? parseDecimal('100')
    const year = totals.cases.totals(context.policy.roundingMode, p.rounding.money_rounding_stage)
    const clearing = clearInstitution(
      {
        entitledYuan: year.fundDueYuan,
        actualYuan: yuanOfFen(totals.actualFen),
        band: context.policy.band,
        depositRate: p.quality_deposit.rate,
        assessmentScore: score,
        specialAdditionsYuan: yuanOfFen(totals.specialFen),
        deductionsYuan: amounts.deductions.get(key) ?? ZERO,
        monthlyPaidYuan: amounts.paid.get(key) ?? ZERO,
        prepaymentOffsetYuan: amounts.prepaid.get(key) ?? ZERO,
      },
      context.policy.roundingMode,
    )
    const lines = clearing.lines.map((l) => ({key: l.key, label: l.label, amountYuan: l.amountYuan.toFixed(2), sign: l.sign}))
    // Before 统筹基金应支付: what the cases add up to as each was rounded, and the 尾差 against rounding once (§7.7).
    lines.unshift(
      {key: 'casesFund', label: '病例基金合计(逐例取整)', amountYuan: year.casesFundYuan.toFixed(2), sign: 0},
      {key: 'roundingResidue', label: '尾差', amountYuan: year.roundingResidueYuan.toFixed(2), sign: 0},
    )
    const line: ClearInstitution = {
      institutionId,
      name: context.institutions.get(institutionId)!.name,
      pool,
      cases: totals.cases.count,
      special: {...totals.special},
      assessmentScore: score.toString(),
      lines,
      balanceYuan: clearing.balanceYuan.toFixed(2),
    }
    insert.run(runId, institutionId, pool, JSON.stringify(line))
    out.push(line)
  }
  return out
}
