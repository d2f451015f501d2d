/**
 * Exact totals by key (an institution and pool, a month): what a run adds up as it reads stored
 * lines, so that callers outside src/clearing hold no arithmetic of their own.
 *
 *   const paid = new KeyedTotals(); paid.add('H001\t职工', parseDecimal('100.00')); paid.get('H001\t职工') → 100.00
 */
import {assert} from '../errors.js'
import {fenText, parseFen, yuanOfFen} from './fen.js'
import {type Dec, sum, ZERO} from './money.js'

export class KeyedTotals {
  private readonly totals = new Map<string, Dec>()

  add(key: string, amount: Dec): void {
    this.totals.set(key, (this.totals.get(key) ?? ZERO).plus(amount))
  }

  subtract(key: string, amount: Dec): void {
    this.totals.set(key, (this.totals.get(key) ?? ZERO).minus(amount))
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


/** Exact Σ of stored 2-dp amounts, in integer 分 (fast, for reading a year of run lines). */
export class FenSum {
  private fen = 0

  add(amountText: string): void {
    this.fen += parseFen(amountText)
    assert(Number.isSafeInteger(this.fen), 'a sum of 分 stays a safe integer')
  }

  get totalFen(): number {
    return this.fen
  }

  get text(): string {
    return fenText(this.fen)
  }

  get yuan(): Dec {
    return yuanOfFen(this.fen)
  }
}

/** Σ of stored 2-dp amounts as their canonical text. */
export function sumAmountTexts(texts: Iterable<string>): string {
  const total = new FenSum()
  for (const text of texts) total.add(text)
  return total.text
}

/** a − b of two stored 2-dp amounts, as canonical text (个人负担 = cost − fund recorded, 差额 = amount − cost). */
export function differenceText(aText: string, bText: string): string {
  return fenText(parseFen(aText) - parseFen(bText))
}

/** −a of a stored 2-dp amount, as canonical text (a reversal, 冲正). */
export function negatedText(aText: string): string {
  return fenText(-parseFen(aText))
}
