/**
 * The rates or point values a month's current payment run priced with (its recorded inputs), for
 * `yb case show` and the review case screen: they explain a case as it was paid.
 *
 *   paidRates(db, '2025-03') → {runId: 7, rates: [{pool: '职工', source: 'published', rate: 11111.11}, …]}
 */
import {parseDecimal} from '../clearing/money.js'
import type {Db} from '../store/db.js'
import {runInputs} from '../store/run-lines.js'
import {periodState} from '../store/runs.js'
import type {PoolRate} from './payment-method.js'

export function paidRates(db: Db, month: string): {runId: number; rates: PoolRate[]} | undefined {
  const {runId} = periodState(db, 'pay', month)
  if (runId === null) return undefined
  const inputs = runInputs<{rates: {pool: string; source: PoolRate['source']; rate: string}[]}>(db, runId)
  return {runId, rates: inputs.rates.map((r) => ({pool: r.pool, source: r.source, rate: parseDecimal(r.rate)}))}
}
