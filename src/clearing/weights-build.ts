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
import {historyAverageYuan} from './dip-pricing.js'
import {relativeWeight} from './drg-pricing.js'
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

/** Σ of costs in 分, exactly. */
function fenTotal(values: readonly number[]): Dec {
  return values.reduce((s, v) => s.plus(decimalOfInteger(v)), ZERO)
}

function meanOf(values: readonly number[]): Dec {
  return values.length === 0 ? ZERO : fenTotal(values).div(values.length)
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
  // The year-weighted averages are DIP's history average (historyAverageYuan), over each year's kept costs.
  const average = (perYear: readonly (readonly number[])[]): Dec => historyAverageYuan(perYear.map((costs) => ({costYuan: fenTotal(costs).div(100), cases: costs.length})), yearWeight)
  const allAverage = average(kept.map((groups) => [...groups.values()].flat()))
  const drgs = [...adrgOf.keys()].sort()
  const groupAverage = new Map(drgs.map((drg) => [drg, average(kept.map((g) => g.get(drg) ?? []))]))
  const casesOf = (drg: string) => byYear.reduce((n, g) => n + (g.get(drg)?.length ?? 0), 0)
  const built = new Map<string, Dec>()
  for (const drg of drgs) if (casesOf(drg) >= options.minCases && !allAverage.isZero()) built.set(drg, groupAverage.get(drg)!)
  // The reference, scaled to this build's level over the groups both have.
  let scale = parseDecimal('1')
  if (options.reference !== undefined) {
    let num = ZERO
    let den = ZERO
    for (const [drg, groupAvg] of built) {
      const ref = options.reference.get(drg)
      if (ref === undefined) continue
      num = num.plus(groupAvg.div(allAverage).times(casesOf(drg)))
      den = den.plus(parseDecimal(ref).times(casesOf(drg)))
    }
    if (!den.isZero()) scale = num.div(den)
  }
  const members = new Map<string, string[]>()
  for (const drg of drgs) members.set(adrgOf.get(drg)!, [...(members.get(adrgOf.get(drg)!) ?? []), drg])
  /** An ADRG's pooled average (every case of its DRGs), for a DRG with too few of its own. */
  const adrgAverage = (adrg: string): Dec | undefined => {
    const avg = average(kept.map((g) => members.get(adrg)!.flatMap((d) => g.get(d) ?? [])))
    return avg.isZero() || allAverage.isZero() ? undefined : avg
  }
  // Each group's weight before normalisation, as an average to divide by the all-case one (built
  // from its costs or its ADRG's), or as a weight taken from the reference.
  type Raw = {readonly average: Dec; readonly source: 'built' | 'adrg'} | {readonly weight: Dec; readonly source: 'reference'} | {readonly source: 'none'}
  const raw = new Map<string, Raw>()
  for (const drg of drgs) {
    const own = built.get(drg)
    const ref = options.reference?.get(drg)
    if (own !== undefined) raw.set(drg, {average: own, source: 'built'})
    else if (ref !== undefined) raw.set(drg, {weight: parseDecimal(ref).times(scale), source: 'reference'})
    else {
      const adrg = adrgAverage(adrgOf.get(drg)!)
      raw.set(drg, adrg === undefined ? {source: 'none'} : {average: adrg, source: 'adrg'})
    }
  }
  const unrounded = (r: Raw): Dec | undefined => ('average' in r ? r.average.div(allAverage) : 'weight' in r ? r.weight : undefined)
  // Normalisation: the build's cases weigh in total what the reference weights give them.
  let factor = parseDecimal('1')
  if (options.normalise === 'reference' && options.reference !== undefined) {
    let refTotal = ZERO
    let builtTotal = ZERO
    for (const [drg, r] of raw) {
      const ref = options.reference.get(drg)
      const weight = unrounded(r)
      if (ref === undefined || weight === undefined) continue
      refTotal = refTotal.plus(parseDecimal(ref).times(casesOf(drg)))
      builtTotal = builtTotal.plus(weight.times(casesOf(drg)))
    }
    if (!builtTotal.isZero()) factor = refTotal.div(builtTotal)
  }
  if (options.normalise === 'cmi') {
    let weighted = ZERO
    let cases = 0
    for (const [drg, r] of raw) {
      const weight = unrounded(r)
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
    const r = raw.get(drg)!
    const source = r.source
    // RW = group average ÷ all-case average (relativeWeight, §4.1), normalised by the factor.
    const final = 'average' in r ? relativeWeight(r.average.times(factor), allAverage, options.places, 'HALF_UP') : 'weight' in r ? round(r.weight.times(factor), options.places) : undefined
    const ref = options.reference?.get(drg)
    return {
      drg,
      cases: casesOf(drg),
      trimmed: casesOf(drg) - byYear.reduce((n, _g, y) => n + (kept[y]!.get(drg)?.length ?? 0), 0),
      meanYuan: source === 'built' ? fixed(round(groupAverage.get(drg)!, 2), 2) : '',
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
      if (atLevel.reduce((n, g) => n + (g.get(group.drg)?.length ?? 0), 0) < options.minCases) continue
      ;(group.meanByLevel as Record<string, string>)[level] = fixed(round(average(atLevel.map((g) => g.get(group.drg) ?? [])), 2), 2)
    }
  }
  const cases = options.years.reduce((n, y) => n + y.length, 0)
  return {
    groups,
    cases,
    trimmed: cases - everything.length,
    allMeanYuan: fixed(round(allAverage, 2), 2),
    riv: total.isZero() ? '' : fixed(round(parseDecimal('1').minus(within.div(total)), 4), 4),
    cvAboveOneShare: withCases === 0 ? '' : fixed(round(decimalOfInteger(cvAbove).div(withCases), 4), 4),
    normalisationFactor: fixed(round(factor, 6), 6),
  }
}
