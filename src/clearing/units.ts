/**
 * Exact sums of decimal texts that are not money (weights, scores, points) in integer units of
 * 10^-places, as BigInt: a month of a million weights adds up exactly and fast, with no
 * decimal.js object per case.
 *
 *   unitsText(unitsOf('1.7985', 4) + unitsOf('0.5', 4), 4) → '2.2985'
 */
import {assert} from '../errors.js'

const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/

export function unitsOf(text: string, places: number): bigint {
  const match = DECIMAL.exec(text)
  assert(match !== null, `"${text}" is a decimal number`)
  const fraction = match[3] ?? ''
  assert(fraction.length <= places || /^0*$/.test(fraction.slice(places)), `"${text}" has at most ${places} decimal places`)
  const units = BigInt(match[2]!) * 10n ** BigInt(places) + BigInt((fraction + '0'.repeat(places)).slice(0, places) || '0')
  return match[1] === '-' ? -units : units
}

/** The units as decimal text; trailing zeros beyond `minPlaces` are dropped (unitsText(123400n, 5, 2) → '1.234'). */
export function unitsText(units: bigint, places: number, minPlaces = places): string {
  const sign = units < 0n ? '-' : ''
  const abs = units < 0n ? -units : units
  const scale = 10n ** BigInt(places)
  if (places === 0) return `${sign}${abs}`
  let fraction = String(abs % scale).padStart(places, '0')
  while (fraction.length > minPlaces && fraction.endsWith('0')) fraction = fraction.slice(0, -1)
  return `${sign}${abs / scale}${fraction === '' ? '' : `.${fraction}`}`
}

/** Places kept for Σ weights and scores (more than any weights file or catalog gives). */
export const WEIGHT_PLACES = 10

/** At least 4 places, more only where a weight or score has them. */
export function weightText(units: bigint): string {
  return unitsText(units, WEIGHT_PLACES, 4)
}

/** Σ weights (DRG) or group scores (DIP) of the cases paid by their group, by key, exactly: CMI = Σ ÷ cases. */
export class WeightSums {
  private readonly sums = new Map<string, {units: bigint; cases: number}>()
  /** A month has a million weights but only as many texts as groups: each is read once. */
  private readonly unitsByText = new Map<string, bigint>()

  add(key: string, weightText: string): void {
    const w = this.sums.get(key) ?? {units: 0n, cases: 0}
    let units = this.unitsByText.get(weightText)
    if (units === undefined) this.unitsByText.set(weightText, (units = unitsOf(weightText, WEIGHT_PLACES)))
    w.units += units
    w.cases++
    this.sums.set(key, w)
  }

  /** A Σ already made (a run line's weightSum over its weightedCases). */
  addSum(key: string, sumText: string, cases: number): void {
    const w = this.sums.get(key) ?? {units: 0n, cases: 0}
    w.units += unitsOf(sumText, WEIGHT_PLACES)
    w.cases += cases
    this.sums.set(key, w)
  }

  casesOf(key: string): number {
    return this.sums.get(key)?.cases ?? 0
  }

  sumText(key: string): string {
    return weightText(this.sums.get(key)?.units ?? 0n)
  }
}

/** Σ of decimal texts at `places`, exactly, as text with at least `minPlaces`. */
export function sumUnitsText(texts: readonly string[], places: number, minPlaces: number): string {
  let total = 0n
  for (const text of texts) total += unitsOf(text, places)
  return unitsText(total, places, minPlaces)
}
