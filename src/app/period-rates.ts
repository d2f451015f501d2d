/**
 * The rates or point values of a period of months, per pool: published in the policy, or
 * computed from the budget (clearing/pool-rates) over the period's Σ units, which the method
 * counts case by case (Σ RW, Σ points or Σ scores, with per-diem points where they count).
 *
 *   periodRates(db, {policy, family: 'DRG_RATE', months: ['2025-03'], published: 'computed', unitsOf}) → [{pool: '职工', source: 'computed', rate: 12165.26}, …]
 */
import {globalBudget} from '../clearing/cycle.js'
import {KeyedTotals} from '../clearing/ledger.js'
import type {Dec} from '../clearing/money.js'
import {budgetRate, type RateFamily} from '../clearing/pool-rates.js'
import type {Policy} from '../clearing/policy.js'
import {type CaseRow, monthCaseRowPages} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {inputError, InputErrors} from '../errors.js'
import type {PoolRate} from './payment-method.js'

export interface PeriodRatesInput {
  readonly policy: Policy
  readonly family: RateFamily
  readonly months: readonly string[]
  readonly published: Readonly<Record<string, Dec>> | 'computed'
  /** A case's units toward Σ (undefined: it does not count). */
  readonly unitsOf: (row: CaseRow) => Dec | undefined
  /** Σ units per pool of the months, made elsewhere with the same unitsOf (on workers); sumUnits in this thread when absent. */
  readonly summed?: UnitsSummer
}

/** Σ units per pool over months, counted by the method's unitsOf. */
export type UnitsSummer = (months: readonly string[]) => KeyedTotals

/** Σ units per pool of the months' cases (those of the pages `take(n)` accepts, n counted from 0 over the months). */
export function sumUnits(db: Db, months: readonly string[], unitsOf: (row: CaseRow) => Dec | undefined, take: (page: number) => boolean = () => true): KeyedTotals {
  const units = new KeyedTotals()
  let pageNo = 0
  for (const month of months) {
    for (const rows of monthCaseRowPages(db, month, UNIT_PAGE_CASES, () => take(pageNo++))) {
      for (const row of rows) {
        const counted = unitsOf(row)
        if (counted !== undefined) units.add(row.insurance_type, counted)
      }
    }
  }
  return units
}

const UNIT_PAGE_CASES = 200

export function periodRates(db: Db, input: PeriodRatesInput): PoolRate[] {
  const p = input.policy.file
  const published = input.published
  if (published !== 'computed') return p.pools.map((pool) => ({pool, source: 'published' as const, rate: published[pool]!}))
  const units = input.summed?.(input.months) ?? sumUnits(db, input.months, input.unitsOf)
  const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, input.policy.roundingMode)
  const rounding = {mode: input.policy.roundingMode, rateScale: p.rounding.rate_scale, pvScale: p.rounding.pv_scale, scoreScale: p.rounding.score_scale}
  const rates = p.pools.map((pool) => ({
    pool,
    source: 'computed' as const,
    rate: budgetRate(
      {
        family: input.family,
        availableYuan,
        poolShare: p.budget.pool_shares[pool]!,
        months: input.months.length,
        reimbursementRatio: p.reimbursement_ratio[pool]!,
        units: units.get(pool),
        ...(p.dip === undefined ? {} : {settleMethod: p.dip.settle_method}),
      },
      rounding,
    ),
  }))
  // A pool whose cases have units but whose budget share rounds to nothing cannot pay them (and 特例单议 costs ÷ 0 have no points).
  const zero = rates.filter((r) => r.rate.isZero() && !units.get(r.pool).isZero())
  if (zero.length > 0) {
    const name = input.family === 'DRG_RATE' ? '费率' : '点值'
    throw new InputErrors(
      zero.map((r) =>
        inputError(`policy ${p.year}`, 0, 'budget', 'value_out_of_range', `the computed ${name} of pool ${r.pool} for ${input.months.length === 1 ? input.months[0] : `${p.year}`} rounds to 0 (the pool's budget for the period over Σ ${units.get(r.pool).toString()} units)`, 'check budget.base_yuan, budget.pool_shares and the rounding scales'),
      ),
    )
  }
  return rates
}
