/**
 * The cases of a payment or clearing run, priced, a page at a time: what `yb pay` and `yb clear`
 * store of each case (its run_case fields) and what they sum (fund in 分, rounding residue, the
 * exact fund on the decimal path, the missing weight, the actual spending, the 特例单议 value).
 * The same pages are made in this thread or on a worker (priced-source.ts), so the run that sums
 * them is one piece of code whichever thread priced the cases.
 *
 *   const job = {kind: 'pay', months: ['2025-03'], rates, explain: false}
 *   for (const page of pricePages(db, method, job)) … page.fields[k * PAGE_FIELDS] → 'S000001'
 */
import {fenText, parseFen} from '../clearing/fen.js'
import {parseDecimal} from '../clearing/money.js'
import {assert} from '../errors.js'
import {monthCaseCount, monthCaseRowPages} from '../store/cases.js'
import {runCaseSealText} from '../store/runs.js'
import {latestCorrections} from '../store/corrections.js'
import type {Db} from '../store/db.js'
import {specialDecisionsForMonth, specialDecisionsForYear} from '../store/special-cases.js'
import type {PaymentMethod, PoolRate} from './payment-method.js'

/** A monthly payment prices one month's cases; a clearing every case of the year, as last corrected, with its 特例单议 decisions valued. */
export interface PricingJob {
  readonly kind: 'pay' | 'clear'
  readonly months: readonly string[]
  readonly rates: readonly PoolRate[]
  readonly explain: boolean
  /** The run the cases are written to (its id is in the seal's text). */
  readonly runId: number
  /** Cases a page (PAGE_CASES unless a test asks for small pages). */
  readonly pageCases?: number
}

/**
 * The run_case fields of a case, in the table's order after run_id: settlement_id, institution_id,
 * pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps,
 * points, special.
 */
export const PAGE_FIELDS = 15
/** Per case: fund (分), rounding residue (1e-8 分), actual spending (分, the band's basis), the approved 特例单议 fund (分), late claim (1/0). */
export const PAGE_NUMBERS = 5
export const NUMBER = {fundFen: 0, residueUnits: 1, actualFen: 2, specialFen: 3, late: 4} as const
export const FIELD = {settlementId: 0, institutionId: 1, pool: 2, status: 3, weight: 6, payment: 7, outlier: 8, special: 14} as const

export interface PricedPage {
  /** The page's number in the job, from 0. */
  readonly pageNo: number
  /** The month of its cases (a page is of one month). */
  readonly month: string
  /** Its stored cases paid by the year's method (付费方式 not 床日 or 项目), per institution as stored: what the 特例单议 cap counts. */
  readonly byMethod: readonly (readonly [string, number])[]
  readonly count: number
  /** PAGE_FIELDS strings a case. */
  readonly fields: string[]
  /** PAGE_NUMBERS numbers a case (integers, exact in a double). */
  readonly numbers: Float64Array
  /** The decimal path's exact fund a case ('' on the integer path). */
  readonly exact: string[]
  /** The DRG a case was grouped to that the year's weights lack, else ''. */
  readonly missing: string[]
  /** The stored cases' row hashes, in order, run together (what the run records of the cases it read). */
  readonly rowHashes: string
  /** The row hashes of the 特例单议 decisions the clearing valued on these cases, run together. */
  readonly specialHashes: string
  /** The run_case seq of its first case (cases are numbered in the job's order), and its rows' text for the run's seal. */
  readonly firstSeq: number
  readonly sealText: string
}

/** A page is at most this many cases of one month; page n of the job is the same cases whoever prices it. */
export const PAGE_CASES = 200

/**
 * Prices the job's cases page by page (the pages `take(n)` accepts, n counted over the job's
 * months from 0: a worker of two prices every other one); `decisions` receives how many 特例单议
 * decisions the year has.
 */
export function* pricePages(db: Db, method: PaymentMethod, job: PricingJob, take: (page: number) => boolean = () => true): Generator<PricedPage> {
  const price = method.rowPricer(job.rates, job.explain)
  const clearing = job.kind === 'clear'
  const year = Number(job.months[0]!.slice(0, 4))
  const decisions = clearing ? specialDecisionsForYear(db, year) : undefined
  const marks = clearing ? undefined : specialDecisionsForMonth(db, job.months[0]!)
  const specialValue = clearing ? method.specialValuer(job.rates) : undefined
  // A case corrected in the year is cleared as corrected (its latest correction), once.
  const corrected = clearing ? latestCorrections(db, job.months[0]!, job.months[job.months.length - 1]!) : undefined
  const basisIsTotalCost = method.policy.file.band.basis === 'TOTAL_COST'
  const pageCases = job.pageCases ?? PAGE_CASES
  let pageNo = 0
  // A page's first seq from the months' counts (every worker reads the same): the cases before its month, then whole pages.
  let casesBefore = 0
  for (const month of job.months) {
    const monthStart = `${month}-01`
    const monthCases = monthCaseCount(db, month)
    const firstPage = pageNo
    let taken = 0
    for (const rows of monthCaseRowPages(db, month, pageCases, () => take((taken = pageNo++)))) {
      const page = newPage(rows.length)
      let rowHashes = ''
      let specialHashes = ''
      const byMethod = new Map<string, number>()
      for (const [k, stored] of rows.entries()) {
        rowHashes += stored.row_hash
        const row = corrected?.get(stored.settlement_id) ?? stored
        const {outcome, record} = price(row)
        let steps = record.steps
        let special = marks?.get(row.settlement_id) ?? ''
        let specialFen = 0
        const decision = decisions?.get(row.settlement_id)
        if (decision !== undefined) {
          specialHashes += decision.rowHash
          special = decision.decision
          if (decision.decision === 'approved') {
            const value = specialValue!(row, decision)
            specialFen = value.fundFen
            steps = [steps, value.step, `特例单议追加 = ${fenText(value.fundFen)} − ${fenText(outcome.fundFen)}`].filter(Boolean).join('\n')
          }
        }
        page.fields.push(record.settlementId, record.institutionId, record.pool, record.status, record.mdc, record.drg, record.weight, record.payment, record.outlier, record.standardYuan, record.adjustedYuan, record.fundYuan, steps, record.points, special)
        const n = k * PAGE_NUMBERS
        page.numbers[n + NUMBER.fundFen] = outcome.fundFen
        page.numbers[n + NUMBER.residueUnits] = outcome.residueUnits
        page.numbers[n + NUMBER.actualFen] = clearing ? parseFen(basisIsTotalCost ? row.total_cost : row.fund_recorded) : 0
        page.numbers[n + NUMBER.specialFen] = specialFen
        // Discharged before the month (not blank: '' sorts first): declared late, 跨月.
        page.numbers[n + NUMBER.late] = row.discharge_date !== '' && row.discharge_date < monthStart ? 1 : 0
        if (stored.payment_method !== '床日' && stored.payment_method !== '项目') byMethod.set(stored.institution_id, (byMethod.get(stored.institution_id) ?? 0) + 1)
        page.exact.push(outcome.fundExactYuan === null ? '' : outcome.fundExactYuan.toFixed())
        page.missing.push(outcome.missingWeightDrg)
      }
      const firstSeq = casesBefore + (taken - firstPage) * pageCases + 1
      yield {...page, pageNo: taken, month, byMethod: [...byMethod], rowHashes, specialHashes, firstSeq, sealText: runCaseSealText(job.runId, page.fields, rows.length, firstSeq)}
    }
    assert(pageNo - firstPage === Math.ceil(monthCases / pageCases), `${month}: ${pageNo - firstPage} pages of ${monthCases} cases`)
    casesBefore += monthCases
  }
}

/** How many 特例单议 decisions the clearing of the job's year reads (0 for a monthly payment). */
export function specialDecisionCount(db: Db, job: PricingJob): number {
  return job.kind === 'clear' ? specialDecisionsForYear(db, Number(job.months[0]!.slice(0, 4))).size : 0
}

function newPage(count: number): {count: number; fields: string[]; numbers: Float64Array; exact: string[]; missing: string[]} {
  return {count, fields: [], numbers: new Float64Array(count * PAGE_NUMBERS), exact: [], missing: []}
}

/** The exact fund of case k of a page, or null on the integer path. */
export function exactOf(page: PricedPage, k: number) {
  const text = page.exact[k]!
  return text === '' ? null : parseDecimal(text)
}
