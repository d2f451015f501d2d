// The arithmetic of yb audit's signals, worked by hand (40-digit decimals in the comments).
import {describe, expect, it} from 'vitest'
import {binomialZ, byExcess, cheapBelowFen, isAbove, shareText, zAtLeast} from '../../src/clearing/supervision.js'

describe('supervision arithmetic', () => {
  it('scores one stratum against the rest of the region, smoothed by half a case', () => {
    // p = 90.5 ÷ 901 = 0.100443951…; n·p = 10.044395116…; √(n·p·(1 − p)) = 3.005910…; z = (30 − 10.0444) ÷ 3.0059 = 6.638789…
    const score = binomialZ([{cases: 100, flagged: 30, restCases: 900, restFlagged: 90}])
    expect(score).toMatchObject({expected: '10.0444', z: '6.6388'})
    // The threshold is compared with the exact z, not the rounded one: 6.638789… is below 6.6388.
    expect(zAtLeast(score, '6.6387')).toBe(true)
    expect(zAtLeast(score, '6.6388')).toBe(false)
  })
  it('sums the strata: Σk against Σ n·p over √Σ n·p·(1 − p)', () => {
    // p₁ = 100.5 ÷ 501, p₂ = 40.5 ÷ 801; Σ n·p = 14.074883939…; z = (30 − 14.0749) ÷ √(…) = 4.624556…
    expect(binomialZ([{cases: 50, flagged: 20, restCases: 500, restFlagged: 100}, {cases: 80, flagged: 10, restCases: 800, restFlagged: 40}])).toMatchObject({expected: '14.0749', z: '4.6246'})
  })
  it('has no z without cases, and a share is blank over nothing', () => {
    expect(binomialZ([])).toMatchObject({z: '', zExact: null})
    expect(zAtLeast(binomialZ([]), '3')).toBe(false)
    expect(shareText(1, 3)).toBe('0.3333')
    expect(shareText(2, 3)).toBe('0.6667')
    expect(shareText(0, 0)).toBe('')
  })
  it('orders strata by their excess in flagged cases, exactly', () => {
    // A: 30 − 100 × 90.5/901 = 19.956; B: 8 − 10 × 90.5/901 = 6.996; C: 9 − 90 × 90.5/901 < 0 (below the rest).
    const a = {cases: 100, flagged: 30, restCases: 900, restFlagged: 90}
    const b = {cases: 10, flagged: 8, restCases: 900, restFlagged: 90}
    const c = {cases: 90, flagged: 9, restCases: 900, restFlagged: 90}
    expect([b, c, a].filter(isAbove).sort(byExcess)).toEqual([a, b])
  })
  it('finds the cheapest whole 分 that is not cheap: ⌈share × Σcost ÷ cases⌉', () => {
    // 0.3 × 123456789 ÷ 37 = 1001000.9918…: a stay of 1001000 分 is cheap, one of 1001001 is not.
    expect(cheapBelowFen('0.3', 123_456_789n, 37)).toBe(1_001_001)
    // Exactly on the bound is not below it: 0.5 × 2000 ÷ 1 = 1000.
    expect(cheapBelowFen('0.5', 2000n, 1)).toBe(1000)
  })
})
