/**
 * What the monthly payment and the clearing need of a payment method (DRG in drg-method, DIP in
 * dip-method; per-diem and item-paid cases wrapped around either by case-paths): the year's
 * rates or point values, and the pricing of one stored case into what the run keeps of it. The
 * cycle around it (sums, holdback, bands, balance) is the same for both.
 *
 *   const method = loadMethod(db, 2025); const price = method.rowPricer(method.rates(db, ['2025-03']), false)
 *   price(row) → {outcome: {fundFen: 1099333, …}, record: {settlementId: 'S1', drg: 'BR25', …}}
 */
import type {CaseOutlier, CasePayment} from '../clearing/drg-case.js'
import type {Dec} from '../clearing/money.js'
import type {RateFamily} from '../clearing/pool-rates.js'
import type {Policy} from '../clearing/policy.js'
import type {CaseRow} from '../store/cases.js'
import type {Db} from '../store/db.js'
import type {InstitutionRow} from '../store/institutions.js'
import type {RunCase} from '../store/runs.js'
import type {UnitsSummer} from './period-rates.js'

export type PayInstitutionRow = InstitutionRow & {coefficientValue: Dec}

/** What a run stores of one priced case. */
export interface CaseOutcome {
  readonly payment: CasePayment
  readonly outlier: CaseOutlier
  readonly standardText: string
  readonly adjustedText: string
  readonly fundFen: number
  /** The integer path's rounding residue (exact − rounded) in 1e-8 分; 0 on the decimal path. */
  readonly residueUnits: number
  /** The decimal path's fund amount before rounding (null on the integer path). */
  readonly fundExactYuan: Dec | null
  /** 点数法 and DIP: the case's points or score; undefined under the rate method. */
  readonly points: Dec | undefined
  /** A case grouped to a DRG the year's weights lack (paid by its items at the discount): that DRG, else ''. */
  readonly missingWeightDrg: string
  readonly steps: string
}

export interface PoolRate {
  readonly pool: string
  readonly source: 'published' | 'computed'
  /** 费率 (元 per unit of weight) under RATE, 点值 (元 per point) under POINTS and DIP. */
  readonly rate: Dec
}

/** A pool's rate (费率法, 2 dp) or point value (点数法, DIP: at least pv_scale places) as a run reports it. */
export type PoolRateJson =
  | {readonly pool: string; readonly source: 'published' | 'computed'; readonly rateYuanPerWeight: string}
  | {readonly pool: string; readonly source: 'published' | 'computed'; readonly pointValueYuan: string}

export type RowPricer = (row: CaseRow) => {outcome: CaseOutcome; record: RunCase}

export interface PaymentMethod {
  readonly method: 'DRG' | 'DIP'
  /** What the computed values are: a DRG rate, a DRG point value or a DIP point value (the rate check compares like with like). */
  readonly family: RateFamily
  readonly policy: Policy
  readonly stored: {readonly year: number; readonly version: number; readonly sha256: string}
  /** The DRG scheme or the DIP catalog used. */
  readonly schemeRef: {readonly id: string; readonly version: number; readonly sha256: string}
  readonly institutions: ReadonlyMap<string, PayInstitutionRow>
  /** The inputs beyond cases and policy (DRG weights), for the run's record. */
  readonly extraInputs: Record<string, unknown>
  /** The period's rates or point values: published, or computed from the budget over the period's Σ units (summed by `summed` when given, e.g. on workers). */
  rates(db: Db, months: readonly string[], summed?: UnitsSummer): PoolRate[]
  /** A case's units toward the Σ a computed rate divides by (Σ RW, points or scores); undefined when it does not count. */
  unitsOf(row: CaseRow): Dec | undefined
  rateJson(rate: PoolRate): PoolRateJson
  rowPricer(rates: readonly PoolRate[], explain: boolean): RowPricer
  /** The fund's part of a case worth `valueYuan` under the year's fund rule, with the exact amount before rounding and a build-up line. */
  caseFund(row: CaseRow, valueYuan: Dec, valueExactYuan: Dec): {fundYuan: Dec; exactYuan: Dec; step: string}
  /** An approved 特例单议 case's fund amount, priced at the final rates. */
  specialValuer(rates: readonly PoolRate[]): (row: CaseRow, decision: {approvedCostYuan: string; approvedScore: string}) => {fundFen: number; step: string}
}

/** "费率 12,165.26" or "点值 115.5556" for people. */
export function rateLabel(r: PoolRateJson): {name: string; value: string} {
  return 'pointValueYuan' in r ? {name: '点值', value: r.pointValueYuan} : {name: '费率', value: r.rateYuanPerWeight}
}

/** The rate as a run reports it: 2 dp under RATE, at least pv_scale places for a point value. */
export function rateJsonOf(family: RateFamily, pvScale: number, r: PoolRate): PoolRateJson {
  return family === 'DRG_RATE'
    ? {pool: r.pool, source: r.source, rateYuanPerWeight: r.rate.toFixed(2)}
    : {pool: r.pool, source: r.source, pointValueYuan: r.rate.toFixed(Math.max(r.rate.decimalPlaces(), pvScale))}
}
