/**
 * The payment method of a year, as its policy says: DRG (drg-method) or DIP (dip-method), with
 * per-diem and item-paid cases on their own path (case-paths).
 *
 *   loadMethod(db, 2025) → {method: 'DIP', rates(db, months), rowPricer(rates, explain), …}
 */
import type {Db} from '../store/db.js'
import {withCasePaths} from './case-paths.js'
import {dipMethod} from './dip-method.js'
import {drgMethod} from './drg-method.js'
import type {PaymentMethod} from './payment-method.js'
import {yearPolicy} from './year-policy.js'

export function loadMethod(db: Db, year: number): PaymentMethod {
  return withCasePaths(yearPolicy(db, year).policy.file.method === 'DIP' ? dipMethod(db, year) : drgMethod(db, year))
}
