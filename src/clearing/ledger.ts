/**
 * Exact totals by key (an institution and pool, a month): what a run adds up as it reads stored
 * lines, so that callers outside src/clearing hold no arithmetic of their own.
 *
 *   const paid = new KeyedTotals(); paid.add('H001\t职工', parseDecimal('100.00')); paid.get('H001\t职工') → 100.00
 */
import {type Dec, sum, ZERO} from './money.js'

export class KeyedTotals {
  private readonly totals = new Map<string, Dec>()

  add(key: string, amount: Dec): void {
    this.totals.set(key, (this.totals.get(key) ?? ZERO).plus(amount))
  }

  get(key: string): Dec {
    return this.totals.get(key) ?? ZERO
  }

  has(key: string): boolean {
    return this.totals.has(key)
  }

  keys(): IterableIterator<string> {
    return this.totals.keys()
  }

  /** The sum over every key. */
  total(): Dec {
    return sum([...this.totals.values()])
  }
}

