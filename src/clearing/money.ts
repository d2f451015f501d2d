/**
 * The one module that touches decimal.js. Money, scores, weights, rates and ratios are exact
 * decimals built from text, never from a JavaScript number; rounding happens only where a rule
 * names it, HALF_UP (四舍五入) unless the policy says otherwise, at a stated number of places.
 *
 *   roundYuan(parseDecimal('15333.3318'))            → 15333.33
 *   parseDecimal('0.1').times(3).eq(parseDecimal('0.3')) → true
 */
import {Decimal} from 'decimal.js'

/** 40 significant digits: every intermediate keeps full precision (settlement-rules §0.3, §7.1). */
export const Dec = Decimal.clone({precision: 40, rounding: Decimal.ROUND_HALF_UP})
export type Dec = Decimal

export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'DOWN'
const MODES: Record<RoundingMode, Decimal.Rounding> = {
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  DOWN: Decimal.ROUND_DOWN,
}

const DECIMAL_TEXT = /^-?[0-9]+(\.[0-9]+)?$/

/** A decimal from its text ('12000.50', '-3', '0.95'); anything else is a bug in the caller. */
export function parseDecimal(text: string): Dec {
  if (!DECIMAL_TEXT.test(text)) throw new TypeError(`not a decimal number: "${text}"`)
  return new Dec(text)
}

export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text)
}

/** Exact integer (counts of cases, days) as a decimal. */
export function decimalOfInteger(count: number): Dec {
  if (!Number.isSafeInteger(count)) throw new TypeError(`not a safe integer: ${count}`)
  return new Dec(count)
}

export function round(x: Dec, places: number, mode: RoundingMode = 'HALF_UP'): Dec {
  return x.toDecimalPlaces(places, MODES[mode])
}

/** 元 to 0.01, HALF_UP unless told: the money rounding of settlement-rules §7.5. */
export function roundYuan(x: Dec, mode: RoundingMode = 'HALF_UP'): Dec {
  return round(x, 2, mode)
}

export const ZERO = new Dec(0)
export const ONE = new Dec(1)

export function sum(values: readonly Dec[]): Dec {
  let total = ZERO
  for (const value of values) total = total.plus(value)
  return total
}

export function max(a: Dec, b: Dec): Dec {
  return a.gte(b) ? a : b
}

export function min(a: Dec, b: Dec): Dec {
  return a.lte(b) ? a : b
}

/** Canonical text for storing and printing: exactly `places` decimals, no exponent. */
export function fixed(x: Dec, places: number): string {
  return x.toFixed(places)
}

/** True when value > times × basis (≥ with `inclusive`): tested by multiplying, never by a ratio (§0.3). */
export function isAbove(value: Dec, times: Dec, basis: Dec, inclusive: boolean): boolean {
  const limit = times.times(basis)
  return inclusive ? value.gte(limit) : value.gt(limit)
}

/** True when value < times × basis (≤ with `inclusive`). */
export function isBelow(value: Dec, times: Dec, basis: Dec, inclusive: boolean): boolean {
  const limit = times.times(basis)
  return inclusive ? value.lte(limit) : value.lt(limit)
}
