/**
 * Integer 分 for the per-case hot path of a month's payment, where a value is only money: an
 * amount is a whole number of 分 in a JS integer (exact below 2^53), a policy ratio is an integer
 * over a power of ten, and every division rounds HALF_UP (away from zero at .5) exactly. A
 * product of two amounts goes through BigInt. decimal.js stays the reference: a test checks
 * this path against it case by case.
 *
 *   parseFen('12000.50') → 1200050;  scaleFen(1200050, ratioOf(parseDecimal('0.85'))) → 1020043
 */
import {assert} from '../errors.js'
import {type Dec, Dec as DecClass} from './money.js'

/** An exact decimal num / den, den a power of ten. */
export interface Ratio {
  readonly num: number
  readonly den: number
}

export function ratioOf(x: Dec): Ratio {
  const den = 10 ** x.decimalPlaces()
  const num = x.times(den).toNumber()
  assert(Number.isSafeInteger(num) && Number.isSafeInteger(den), `ratio ${x.toString()} fits in integers`)
  return {num, den}
}

export function fenOfYuan(x: Dec): number {
  const fen = x.times(100)
  assert(fen.isInteger() && fen.abs().lte(Number.MAX_SAFE_INTEGER), `${x.toString()} 元 is a whole number of 分`)
  return fen.toNumber()
}

export function yuanOfFen(fen: number): Dec {
  return new DecClass(fen).div(100)
}

/**
 * Canonical stored text ('12000.50', '-3.00': digits, a point, two digits) → 分. Read character
 * by character: a month's payment parses five amounts for each of a million cases.
 */
export function parseFen(text: string): number {
  const negative = text.charCodeAt(0) === 45
  const dot = text.length - 3
  let ok = dot > (negative ? 1 : 0) && text.charCodeAt(dot) === 46
  let fen = 0
  for (let k = negative ? 1 : 0; ok && k < text.length; k++) {
    if (k === dot) continue
    const digit = text.charCodeAt(k) - 48
    if (digit < 0 || digit > 9) ok = false
    else fen = fen * 10 + digit
  }
  assert(ok, `"${text}" is a stored 2-decimal amount`)
  assert(Number.isSafeInteger(fen), `"${text}" fits in integer 分`)
  return negative ? -fen : fen
}

export function fenText(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const cents = abs % 100
  return `${sign}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`
}

/** round(n / d) HALF_UP for integers, d > 0. */
export function divRound(n: number, d: number): number {
  assert(Number.isSafeInteger(n) && Number.isSafeInteger(d) && d > 0, `exact integer division ${n} / ${d}`)
  const a = Math.abs(n)
  let q = Math.floor(a / d)
  let r = a - q * d
  // a / d in floating point may be off by one for large a: correct it with the exact remainder.
  if (r < 0) {
    q -= 1
    r += d
  } else if (r >= d) {
    q += 1
    r -= d
  }
  if (2 * r >= d) q += 1
  return n < 0 && q !== 0 ? -q : q
}

/** round(a × b / d) HALF_UP exactly, through BigInt when the product leaves the safe range. */
export function mulDivRound(a: number, b: number, d: number): number {
  const product = a * b
  if (Number.isSafeInteger(product)) return divRound(product, d)
  const n = BigInt(a) * BigInt(b)
  const big = BigInt(d)
  const negative = n < 0n
  const abs = negative ? -n : n
  let q = abs / big
  if (2n * (abs - q * big) >= big) q += 1n
  const result = Number(negative ? -q : q)
  assert(Number.isSafeInteger(result), `${a} × ${b} / ${d} fits in integer 分`)
  return result
}

/** fen × ratio, rounded HALF_UP to the 分. */
export function scaleFen(fen: number, ratio: Ratio): number {
  return mulDivRound(fen, ratio.num, ratio.den)
}

/**
 * The rounding residue of scaleFen(fen, ratio) = rounded, as an integer count of 1e-8 分:
 * (fen × ratio − rounded) × 1e8, exact because ratio's denominator divides 1e8.
 */
export function scaleResidueUnits(fen: number, ratio: Ratio, rounded: number): number {
  assert(RESIDUE_SCALE % ratio.den === 0, `ratio denominator ${ratio.den} divides 1e8`)
  const exactTimesDen = fen * ratio.num
  const residueTimesDen = Number.isSafeInteger(exactTimesDen) ? exactTimesDen - rounded * ratio.den : Number(BigInt(fen) * BigInt(ratio.num) - BigInt(rounded) * BigInt(ratio.den))
  return residueTimesDen * (RESIDUE_SCALE / ratio.den)
}

const RESIDUE_SCALE = 100_000_000

/** True when every ratio's denominator divides 1e8, so that the integer path carries each residue exactly. */
export function residueExactFor(ratios: readonly Ratio[]): boolean {
  return ratios.every((r) => RESIDUE_SCALE % r.den === 0)
}
