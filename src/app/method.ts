/**
 * The payment method of a year, as its policy says: DRG (drg-context) or DIP (dip-context), with
 * per-diem and item-paid cases on their own path (case-paths).
 *
 *   loadMethod(db, 2025) → {method: 'DIP', rates(db, months), rowPricer(rates, explain), …}
 */
import {parsePolicy} from '../clearing/policy.js'
import {InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {currentPolicy} from '../store/policies.js'
import {withCasePaths} from './case-paths.js'
import {dipMethod} from './dip-context.js'
import {drgMethod, type PaymentMethod} from './drg-context.js'

export function loadMethod(db: Db, year: number): PaymentMethod {
  const stored = currentPolicy(db, year)
  const parsed = parsePolicy(`policy ${year} v${stored.version}`, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  return withCasePaths(parsed.policy.file.method === 'DIP' ? dipMethod(db, year) : drgMethod(db, year))
}
