/**
 * The arithmetic of quality checks and supervision signals (docs/quality.md), exact:
 *
 * - a share k ÷ n at 4 places HALF_UP ('' when n is 0);
 * - the excess of an institution over the region as a binomial z-score,
 *   z = (k − Σ nᵢ pᵢ) ÷ √(Σ nᵢ pᵢ (1 − pᵢ)), summed over the strata i it has cases in (one
 *   stratum: the plain z of a share). pᵢ is the share of the rest (its peers) in the stratum
 *   (the institution left out, so a large one is not compared with itself), smoothed by half a
 *   case, (kᵢ' + ½) ÷ (nᵢ' + 1), so that a stratum with no other case does not divide by zero;
 * - the 低标入院 bound: a stay is cheap when its cost is below share × the group's mean cost.
 *
 *   binomialZ([{cases: 100, flagged: 30, restCases: 900, restFlagged: 90}]) → {expected: '10.0444', z: '6.6388', …}
 */
import {type Dec, decimalOfInteger, fixed, parseDecimal, round, ZERO} from './money.js'

const PLACES = 4
const HALF = parseDecimal('0.5')
const ONE = decimalOfInteger(1)

export function shareText(part: number, whole: number): string {
  return whole === 0 ? '' : fixed(round(decimalOfInteger(part).div(whole), PLACES), PLACES)
}

/** One stratum: the institution's cases and flagged cases, and the rest's (its peers). */
export interface Stratum {
  readonly cases: number
  readonly flagged: number
  readonly restCases: number
  readonly restFlagged: number
}

export interface ZScore {
  /** Σ nᵢ pᵢ: the flagged cases the institution would have at the region's shares, 4 places. */
  readonly expected: string
  /** 4 places HALF_UP; '' when there is no variance (no case). */
  readonly z: string
  /** The exact z, for comparing with a threshold. */
  readonly zExact: Dec | null
}

export function binomialZ(strata: readonly Stratum[]): ZScore {
  let flagged = ZERO
  let expected = ZERO
  let variance = ZERO
  for (const s of strata) {
    if (s.cases === 0) continue
    const p = decimalOfInteger(s.restFlagged).plus(HALF).div(decimalOfInteger(s.restCases).plus(ONE))
    const n = decimalOfInteger(s.cases)
    flagged = flagged.plus(s.flagged)
    expected = expected.plus(n.times(p))
    variance = variance.plus(n.times(p).times(ONE.minus(p)))
  }
  if (variance.isZero()) return {expected: fixed(expected, PLACES), z: '', zExact: null}
  const z = flagged.minus(expected).div(variance.sqrt())
  return {expected: fixed(round(expected, PLACES), PLACES), z: fixed(round(z, PLACES), PLACES), zExact: z}
}

/**
 * The excess of a stratum, flagged − cases × p in flagged cases (p as in binomialZ), kept as the
 * exact fraction e ÷ (2·restCases + 2) with e in BigInt; `byExcess` orders the largest first.
 */
function excessOf(s: Stratum): {e: bigint; d: bigint} {
  return {e: BigInt(s.flagged) * BigInt(2 * s.restCases + 2) - BigInt(2 * s.restFlagged + 1) * BigInt(s.cases), d: BigInt(2 * s.restCases + 2)}
}

export function isAbove(s: Stratum): boolean {
  return excessOf(s).e > 0n
}

export function byExcess(a: Stratum, b: Stratum): number {
  const x = excessOf(a)
  const y = excessOf(b)
  const difference = y.e * x.d - x.e * y.d
  return difference > 0n ? 1 : difference < 0n ? -1 : 0
}

/** z ≥ the threshold (a decimal text such as '3'). */
export function zAtLeast(score: ZScore, threshold: string): boolean {
  return score.zExact !== null && score.zExact.gte(parseDecimal(threshold))
}

/**
 * The smallest whole 分 a stay must cost not to count as cheap in its group: cost < share × mean
 * ⇔ cost < ⌈share × Σcost ÷ cases⌉ for a whole number of 分.
 */
export function cheapBelowFen(share: string, groupCostFen: bigint, groupCases: number): number {
  if (groupCases === 0) return 0
  const bound = parseDecimal(share).times(parseDecimal(groupCostFen.toString())).div(groupCases)
  return bound.ceil().toNumber()
}
