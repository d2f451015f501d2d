/**
 * The indicators institutions are evaluated by (医院评价), from a period's paid cases, per unit
 * (an institution; later a department or physician), against the region:
 *
 * - 入组率 = grouped cases ÷ analysable cases (all but 待更正, whose data the scheme cannot judge)
 * - DRG 组数: distinct groups of its grouped cases; 总权重 = Σ weight; CMI = 总权重 ÷ grouped cases
 * - 费用消耗指数 = Σ_g (its mean cost in g ÷ the region's mean cost in g) × its cases in g ÷ its
 *   grouped cases; 时间消耗指数 the same with the length of stay
 * - 低风险组死亡率: the region's groups with deaths (离院方式 5) have ln(mortality); those below
 *   the mean − 1 SD of it (population SD over those groups) are low-risk, and so is every group
 *   with cases and no death (ln 0 = −∞ is below any bound); 中低风险 lies from the mean − 1 SD up
 *   to the mean. The rate is deaths ÷ cases of the unit in those groups.
 *
 * Exact decimals throughout (ln and √ at 40 significant digits); indexes and rates are given at 4
 * places HALF_UP, counts and sums exactly.
 *
 *   evaluate([{unit: 'H001', status: 'grouped', drg: 'BR25', weight: '1.5', costYuan: '14000.00', losDays: 8, died: false}, …])
 */
import {type Dec, decimalOfInteger, fixed, parseDecimal, round, ZERO} from './money.js'

export interface EvaluatedCase {
  readonly unit: string
  /** grouped, qy, ungroupable, invalid, per_diem, items. */
  readonly status: string
  readonly drg: string
  /** The run's weight of the case ('' when it has none). */
  readonly weight: string
  readonly costYuan: string
  readonly losDays: number
  readonly died: boolean
}

export interface UnitIndicators {
  readonly unit: string
  readonly cases: number
  readonly analysable: number
  readonly grouped: number
  /** 入组率, 4 dp. */
  readonly groupedRate: string
  readonly drgCount: number
  readonly totalWeight: string
  readonly cmi: string
  /** 费用消耗指数 and 时间消耗指数, 4 dp ('' without grouped cases). */
  readonly costIndex: string
  readonly timeIndex: string
  readonly lowRiskCases: number
  readonly lowRiskDeaths: number
  /** 低风险组死亡率 and 中低风险组死亡率, 4 dp ('' without such cases). */
  readonly lowRiskMortality: string
  readonly midLowRiskCases: number
  readonly midLowRiskDeaths: number
  readonly midLowRiskMortality: string
}

export interface Evaluation {
  readonly units: readonly UnitIndicators[]
  readonly region: UnitIndicators
  /** The region's groups by risk band (low: below mean − 1 SD of ln mortality, or no death; mid-low: up to the mean). */
  readonly riskBands: {readonly lowRisk: readonly string[]; readonly midLowRisk: readonly string[]; readonly lnMortalityMean: string; readonly lnMortalitySd: string}
}

const PLACES = 4

interface GroupTotals {
  cases: number
  deaths: number
  cost: Dec
  los: Dec
}

function totalsBy(cases: readonly EvaluatedCase[]): Map<string, GroupTotals> {
  const byGroup = new Map<string, GroupTotals>()
  for (const c of cases) {
    if (c.status !== 'grouped') continue
    const t = byGroup.get(c.drg) ?? {cases: 0, deaths: 0, cost: ZERO, los: ZERO}
    t.cases += 1
    if (c.died) t.deaths += 1
    t.cost = t.cost.plus(parseDecimal(c.costYuan))
    t.los = t.los.plus(decimalOfInteger(c.losDays))
    byGroup.set(c.drg, t)
  }
  return byGroup
}

/** The region's low and mid-low risk groups by ln(mortality) (population SD over the groups with deaths). */
export function riskBands(region: ReadonlyMap<string, GroupTotals>): Evaluation['riskBands'] {
  const withDeaths = [...region].filter(([, t]) => t.deaths > 0)
  const lnOf = new Map(withDeaths.map(([g, t]) => [g, decimalOfInteger(t.deaths).div(t.cases).ln()]))
  const n = decimalOfInteger(Math.max(1, withDeaths.length))
  const mean = [...lnOf.values()].reduce((a, b) => a.plus(b), ZERO).div(n)
  const sd = [...lnOf.values()].reduce((a, b) => a.plus(b.minus(mean).pow(2)), ZERO).div(n).sqrt()
  const low = mean.minus(sd)
  const lowRisk: string[] = []
  const midLowRisk: string[] = []
  for (const [group, t] of [...region].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ln = lnOf.get(group)
    if (t.deaths === 0 || ln!.lt(low)) lowRisk.push(group)
    else if (ln!.lt(mean)) midLowRisk.push(group)
  }
  return {lowRisk, midLowRisk, lnMortalityMean: withDeaths.length === 0 ? '' : fixed(round(mean, 6), 6), lnMortalitySd: withDeaths.length === 0 ? '' : fixed(round(sd, 6), 6)}
}

const ratio = (num: Dec, den: number): string => (den === 0 ? '' : fixed(round(num.div(den), PLACES), PLACES))

function indicators(unit: string, cases: readonly EvaluatedCase[], region: ReadonlyMap<string, GroupTotals>, bands: Evaluation['riskBands']): UnitIndicators {
  const own = totalsBy(cases)
  const analysable = cases.filter((c) => c.status !== 'invalid').length
  const grouped = cases.filter((c) => c.status === 'grouped')
  const weight = grouped.reduce((sum, c) => (c.weight === '' ? sum : sum.plus(parseDecimal(c.weight))), ZERO)
  let costIndex = ZERO
  let timeIndex = ZERO
  for (const [group, t] of own) {
    const r = region.get(group)!
    // (its mean ÷ the region's mean) × its cases = its total × region cases ÷ (its cases × region total) × its cases.
    if (!r.cost.isZero()) costIndex = costIndex.plus(t.cost.div(t.cases).div(r.cost.div(r.cases)).times(t.cases))
    if (!r.los.isZero()) timeIndex = timeIndex.plus(t.los.div(t.cases).div(r.los.div(r.cases)).times(t.cases))
  }
  const band = (groups: readonly string[]) => {
    const set = new Set(groups)
    const inBand = [...own].filter(([g]) => set.has(g))
    return {cases: inBand.reduce((n, [, t]) => n + t.cases, 0), deaths: inBand.reduce((n, [, t]) => n + t.deaths, 0)}
  }
  const low = band(bands.lowRisk)
  const midLow = band(bands.midLowRisk)
  return {
    unit,
    cases: cases.length,
    analysable,
    grouped: grouped.length,
    groupedRate: ratio(decimalOfInteger(grouped.length), analysable),
    drgCount: own.size,
    totalWeight: fixed(weight, Math.max(PLACES, weight.decimalPlaces())),
    cmi: ratio(weight, grouped.length),
    costIndex: ratio(costIndex, grouped.length),
    timeIndex: ratio(timeIndex, grouped.length),
    lowRiskCases: low.cases,
    lowRiskDeaths: low.deaths,
    lowRiskMortality: ratio(decimalOfInteger(low.deaths), low.cases),
    midLowRiskCases: midLow.cases,
    midLowRiskDeaths: midLow.deaths,
    midLowRiskMortality: ratio(decimalOfInteger(midLow.deaths), midLow.cases),
  }
}

export function evaluate(cases: readonly EvaluatedCase[]): Evaluation {
  const region = totalsBy(cases)
  const bands = riskBands(region)
  const byUnit = new Map<string, EvaluatedCase[]>()
  for (const c of cases) {
    const own = byUnit.get(c.unit)
    if (own === undefined) byUnit.set(c.unit, [c])
    else own.push(c)
  }
  const units = [...byUnit].sort(([a], [b]) => (a < b ? -1 : 1)).map(([unit, own]) => indicators(unit, own, region, bands))
  return {units, region: indicators('', cases, region, bands), riskBands: bands}
}
