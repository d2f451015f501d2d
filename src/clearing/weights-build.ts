/**
 * 权重测算: DRG relative weights from one to three years of discharges (settlement-rules' RW =
 * group average cost ÷ all-case average cost), exact decimals, costs in integer 分.
 *
 * - Each year, each group's costs are trimmed (TrimRule) and the kept ones averaged; the all-case
 *   average is over every kept case of the year. Years are weighted as given (1:2:7), over the
 *   years a group has cases in.
 * - weight = weighted group average ÷ weighted all-case average, at `places` (4) HALF_UP.
 * - A group with fewer than `minCases` cases (all years) takes the reference weight scaled to
 *   this build's level (Σ built × cases ÷ Σ reference × cases over the groups both have), else
 *   its ADRG's weight from the ADRG's pooled cases, else none; the report says which.
 * - Normalisation REFERENCE multiplies every weight so that the total weight of the build's cases
 *   equals what the reference weights give them; CMI so that the build's own cases have CMI 1.
 *
 * Percentiles are nearest-rank (the ⌈p·n/100⌉-th smallest), so every bound is one of the costs.
 *
 *   buildWeights({years: [[{drg: 'BR25', adrg: 'BR2', costFen: 1400000}, …]], yearWeights: ['1'], trim: {method: 'percentile', low: '2.5', high: '97.5'}, minCases: 5, places: 4})
 */
import {type Dec, decimalOfInteger, fixed, parseDecimal, round, ZERO} from './money.js'

export type TrimRule =
  | {readonly method: 'none'}
  | {readonly method: 'percentile'; readonly low: string; readonly high: string}
  | {readonly method: 'sd'; readonly k: string}
  | {readonly method: 'iqr'; readonly k: string}

export interface HistoryCase {
  readonly drg: string
  readonly adrg: string
  /** 医疗总费用 in 分. */
  readonly costFen: number
  /** The institution's level (医院等级) when the history gives it, for per-level average costs. */
  readonly level?: string
}

export interface WeightsBuildOptions {
  /** One array per history year, oldest first. */
  readonly years: readonly (readonly HistoryCase[])[]
  readonly yearWeights: readonly string[]
  readonly trim: TrimRule
  readonly minCases: number
  readonly places: number
  /** drg → weight of a reference year (an imported weights year). */
  readonly reference?: ReadonlyMap<string, string>
  /** none; reference (the cases weigh in total what the reference gives them); cmi (the build's cases have CMI 1). */
  readonly normalise: 'none' | 'reference' | 'cmi'
}

export interface BuiltWeight {
  readonly drg: string
  readonly cases: number
  /** Cases the trimming left out (all years). */
  readonly trimmed: number
  /** Weighted trimmed average cost, 元 2 dp ('' for none). */
  readonly meanYuan: string
  /** Coefficient of variation of the kept costs (all years pooled), 4 dp. */
  readonly cv: string
  readonly weight: string
  readonly source: 'built' | 'reference' | 'adrg' | 'none'
  /** Change against the reference weight, % 2 dp ('' without one). */
  readonly changePercent: string
  /** Per institution level with at least minCases cases: its weighted trimmed average cost, 元 2 dp (for the high-cost thresholds). */
  readonly meanByLevel: Readonly<Record<string, string>>
}

export interface WeightsReport {
  readonly groups: readonly BuiltWeight[]
  readonly cases: number
  readonly trimmed: number
  /** Weighted all-case trimmed average, 元 2 dp. */
  readonly allMeanYuan: string
  /** Reduction in variance of the grouping on the kept costs: 1 − within-group SS ÷ total SS, 4 dp. */
  readonly riv: string
  /** Share of groups (with cases) whose CV is above 1, 4 dp. */
  readonly cvAboveOneShare: string
  readonly normalisationFactor: string
}

/** The kth smallest (1-based) of sorted costs. */
const nth = (sorted: readonly number[], k: number): number => sorted[Math.min(sorted.length, Math.max(1, k)) - 1]!

/** Nearest-rank percentile of sorted costs: the ⌈p·n/100⌉-th smallest. */
export function percentileFen(sorted: readonly number[], p: Dec): number {
  return nth(sorted, Number(p.times(sorted.length).div(100).ceil().toFixed(0)))
}

function meanOf(values: readonly number[]): Dec {
  return values.length === 0 ? ZERO : values.reduce((s, v) => s.plus(decimalOfInteger(v)), ZERO).div(values.length)
}

/** The costs a trim keeps, in ascending order. */
export function trimCosts(costs: readonly number[], rule: TrimRule): number[] {
  const sorted = [...costs].sort((a, b) => a - b)
  if (rule.method === 'none' || sorted.length === 0) return sorted
  let low: Dec
  let high: Dec
  if (rule.method === 'percentile') {
    low = decimalOfInteger(percentileFen(sorted, parseDecimal(rule.low)))
    high = decimalOfInteger(percentileFen(sorted, parseDecimal(rule.high)))
  } else if (rule.method === 'sd') {
    const mean = meanOf(sorted)
    const sd = sorted.reduce((s, v) => s.plus(decimalOfInteger(v).minus(mean).pow(2)), ZERO).div(sorted.length).sqrt()
    low = mean.minus(sd.times(parseDecimal(rule.k)))
    high = mean.plus(sd.times(parseDecimal(rule.k)))
  } else {
    const q1 = decimalOfInteger(percentileFen(sorted, parseDecimal('25')))
    const q3 = decimalOfInteger(percentileFen(sorted, parseDecimal('75')))
    const reach = q3.minus(q1).times(parseDecimal(rule.k))
    low = q1.minus(reach)
    high = q3.plus(reach)
  }
  return sorted.filter((v) => low.lte(v) && high.gte(v))
}

export function buildWeights(options: WeightsBuildOptions): WeightsReport {
  const yearWeight = options.yearWeights.map(parseDecimal)
  // Per year and group: the costs, and the ADRG of each group.
  const byYear = options.years.map((cases) => {
    const groups = new Map<string, number[]>()
    for (const c of cases) {
      const costs = groups.get(c.drg)
      if (costs === undefined) groups.set(c.drg, [c.costFen])
      else costs.push(c.costFen)
    }
    return groups
  })
  const adrgOf = new Map<string, string>()
  for (const cases of options.years) for (const c of cases) adrgOf.set(c.drg, c.adrg)
  const kept = byYear.map((groups) => new Map([...groups].map(([drg, costs]) => [drg, trimCosts(costs, options.trim)])))
  const allMean = weightedMean(kept.map((groups) => meanOf([...groups.values()].flat())), kept.map((groups) => [...groups.values()].some((c) => c.length > 0)), yearWeight)
  const drgs = [...adrgOf.keys()].sort()
  const groupMean = (drg: string) => weightedMean(kept.map((g) => meanOf(g.get(drg) ?? [])), kept.map((g) => (g.get(drg)?.length ?? 0) > 0), yearWeight)
  const casesOf = (drg: string) => byYear.reduce((n, g) => n + (g.get(drg)?.length ?? 0), 0)
  const built = new Map<string, Dec>()
  for (const drg of drgs) if (casesOf(drg) >= options.minCases && !allMean.isZero()) built.set(drg, groupMean(drg).div(allMean))
  // The reference, scaled to this build's level over the groups both have.
  let scale = parseDecimal('1')
  if (options.reference !== undefined) {
    let num = ZERO
    let den = ZERO
    for (const [drg, weight] of built) {
      const ref = options.reference.get(drg)
      if (ref === undefined) continue
      num = num.plus(weight.times(casesOf(drg)))
      den = den.plus(parseDecimal(ref).times(casesOf(drg)))
    }
    if (!den.isZero()) scale = num.div(den)
  }
  const adrgWeight = (adrg: string): Dec | undefined => {
    const members = drgs.filter((d) => adrgOf.get(d) === adrg)
    const pooled = kept.map((g) => members.flatMap((d) => g.get(d) ?? []))
    const mean = weightedMean(pooled.map(meanOf), pooled.map((c) => c.length > 0), yearWeight)
    return mean.isZero() || allMean.isZero() ? undefined : mean.div(allMean)
  }
  const raw = new Map<string, {weight: Dec | undefined; source: BuiltWeight['source']}>()
  for (const drg of drgs) {
    const own = built.get(drg)
    const ref = options.reference?.get(drg)
    if (own !== undefined) raw.set(drg, {weight: own, source: 'built'})
    else if (ref !== undefined) raw.set(drg, {weight: parseDecimal(ref).times(scale), source: 'reference'})
    else {
      const adrg = adrgWeight(adrgOf.get(drg)!)
      raw.set(drg, {weight: adrg, source: adrg === undefined ? 'none' : 'adrg'})
    }
  }
  // Normalisation: the build's cases weigh in total what the reference weights give them.
  let factor = parseDecimal('1')
  if (options.normalise === 'reference' && options.reference !== undefined) {
    let refTotal = ZERO
    let builtTotal = ZERO
    for (const [drg, {weight}] of raw) {
      const ref = options.reference.get(drg)
      if (ref === undefined || weight === undefined) continue
      refTotal = refTotal.plus(parseDecimal(ref).times(casesOf(drg)))
      builtTotal = builtTotal.plus(weight.times(casesOf(drg)))
    }
    if (!builtTotal.isZero()) factor = refTotal.div(builtTotal)
  }
  if (options.normalise === 'cmi') {
    let weighted = ZERO
    let cases = 0
    for (const [drg, {weight}] of raw) {
      if (weight === undefined) continue
      weighted = weighted.plus(weight.times(casesOf(drg)))
      cases += casesOf(drg)
    }
    if (!weighted.isZero()) factor = decimalOfInteger(cases).div(weighted)
  }
  // RIV and CV on the kept costs, all years pooled.
  const pooled = new Map(drgs.map((drg) => [drg, kept.flatMap((g) => g.get(drg) ?? [])]))
  const everything = [...pooled.values()].flat()
  const grand = meanOf(everything)
  const ss = (values: readonly number[], mean: Dec) => values.reduce((s, v) => s.plus(decimalOfInteger(v).minus(mean).pow(2)), ZERO)
  const total = ss(everything, grand)
  const within = [...pooled.values()].reduce((s, values) => s.plus(ss(values, meanOf(values))), ZERO)
  let cvAbove = 0
  let withCases = 0
  const groups = drgs.map((drg): BuiltWeight => {
    const values = pooled.get(drg)!
    const mean = meanOf(values)
    const cv = values.length === 0 || mean.isZero() ? undefined : ss(values, mean).div(values.length).sqrt().div(mean)
    if (cv !== undefined) {
      withCases += 1
      if (cv.gt(1)) cvAbove += 1
    }
    const {weight, source} = raw.get(drg)!
    const final = weight === undefined ? undefined : round(weight.times(factor), options.places)
    const ref = options.reference?.get(drg)
    return {
      drg,
      cases: casesOf(drg),
      trimmed: casesOf(drg) - byYear.reduce((n, _g, y) => n + (kept[y]!.get(drg)?.length ?? 0), 0),
      meanYuan: source === 'built' ? fixed(round(groupMean(drg).div(100), 2), 2) : '',
      cv: cv === undefined ? '' : fixed(round(cv, 4), 4),
      weight: final === undefined ? '' : fixed(final, options.places),
      source,
      changePercent: ref === undefined || final === undefined || parseDecimal(ref).isZero() ? '' : fixed(round(final.minus(parseDecimal(ref)).times(100).div(parseDecimal(ref)), 2), 2),
      meanByLevel: {},
    }
  })
  // Per level: the same trimmed, year-weighted average, for levels with enough cases of the group.
  const levels = [...new Set(options.years.flatMap((cases) => cases.map((c) => c.level ?? '')))].filter((level) => level !== '').sort()
  for (const level of levels) {
    const atLevel = options.years.map((cases) => {
      const groups = new Map<string, number[]>()
      for (const c of cases) {
        if (c.level !== level) continue
        const costs = groups.get(c.drg)
        if (costs === undefined) groups.set(c.drg, [c.costFen])
        else costs.push(c.costFen)
      }
      return new Map([...groups].map(([drg, costs]) => [drg, trimCosts(costs, options.trim)]))
    })
    for (const group of groups) {
      const counts = atLevel.map((g) => g.get(group.drg)?.length ?? 0)
      if (counts.reduce((a, b) => a + b, 0) < options.minCases) continue
      const mean = weightedMean(atLevel.map((g) => meanOf(g.get(group.drg) ?? [])), counts.map((n) => n > 0), yearWeight)
      ;(group.meanByLevel as Record<string, string>)[level] = fixed(round(mean.div(100), 2), 2)
    }
  }
  const cases = options.years.reduce((n, y) => n + y.length, 0)
  return {
    groups,
    cases,
    trimmed: cases - everything.length,
    allMeanYuan: fixed(round(allMean.div(100), 2), 2),
    riv: total.isZero() ? '' : fixed(round(parseDecimal('1').minus(within.div(total)), 4), 4),
    cvAboveOneShare: withCases === 0 ? '' : fixed(round(decimalOfInteger(cvAbove).div(withCases), 4), 4),
    normalisationFactor: fixed(round(factor, 6), 6),
  }
}

/** Σ w·x ÷ Σ w over the years that have a value. */
function weightedMean(values: readonly Dec[], present: readonly boolean[], weights: readonly Dec[]): Dec {
  let num = ZERO
  let den = ZERO
  values.forEach((value, y) => {
    if (!present[y]) return
    num = num.plus(value.times(weights[y]!))
    den = den.plus(weights[y]!)
  })
  return den.isZero() ? ZERO : num.div(den)
}
