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
 *   evaluate(cellsOf([{unit: 'H001', status: 'grouped', drg: 'BR25', weight: '1.5', costYuan: '14000.00', losDays: 8, died: false}, …]))
 */
import {caseMixIndex} from './indicators.js'
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

/** Cases of one unit, status, group and weight, summed (what the store reads, a row per cell; memory does not grow with the cases). */
export interface EvaluatedCell {
  readonly unit: string
  readonly status: string
  readonly drg: string
  readonly weight: string
  readonly cases: number
  readonly deaths: number
  /** Σ 医疗总费用 in 分. */
  readonly costFen: bigint
  readonly losDays: bigint
}

/** Single cases as cells (for callers that have them one by one). */
export function cellsOf(cases: readonly EvaluatedCase[]): EvaluatedCell[] {
  const cells = new Map<string, {unit: string; status: string; drg: string; weight: string; cases: number; deaths: number; costFen: bigint; losDays: bigint}>()
  for (const c of cases) {
    const key = `${c.unit}\t${c.status}\t${c.drg}\t${c.weight}`
    const cell = cells.get(key) ?? {unit: c.unit, status: c.status, drg: c.drg, weight: c.weight, cases: 0, deaths: 0, costFen: 0n, losDays: 0n}
    cell.cases += 1
    if (c.died) cell.deaths += 1
    cell.costFen += BigInt(c.costYuan.replace('.', ''))
    cell.losDays += BigInt(c.losDays)
    cells.set(key, cell)
  }
  return [...cells.values()]
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
  costFen: bigint
  los: bigint
}

function totalsBy(cells: readonly EvaluatedCell[]): Map<string, GroupTotals> {
  const byGroup = new Map<string, GroupTotals>()
  for (const c of cells) {
    if (c.status !== 'grouped') continue
    const t = byGroup.get(c.drg) ?? {cases: 0, deaths: 0, costFen: 0n, los: 0n}
    t.cases += c.cases
    t.deaths += c.deaths
    t.costFen += c.costFen
    t.los += c.losDays
    byGroup.set(c.drg, t)
  }
  return byGroup
}

const dec = (value: bigint): Dec => parseDecimal(value.toString())

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

function indicators(unit: string, cells: readonly EvaluatedCell[], region: ReadonlyMap<string, GroupTotals>, bands: Evaluation['riskBands']): UnitIndicators {
  const own = totalsBy(cells)
  const count = (keep: (c: EvaluatedCell) => boolean) => cells.reduce((n, c) => (keep(c) ? n + c.cases : n), 0)
  const cases = count(() => true)
  const analysable = count((c) => c.status !== 'invalid')
  const grouped = count((c) => c.status === 'grouped')
  const weight = cells.reduce((sum, c) => (c.status !== 'grouped' || c.weight === '' ? sum : sum.plus(parseDecimal(c.weight).times(c.cases))), ZERO)
  const totalWeight = fixed(weight, Math.max(PLACES, weight.decimalPlaces()))
  let costIndex = ZERO
  let timeIndex = ZERO
  for (const [group, t] of own) {
    const r = region.get(group)!
    // (its mean ÷ the region's mean) × its cases.
    if (r.costFen !== 0n) costIndex = costIndex.plus(dec(t.costFen).div(t.cases).div(dec(r.costFen).div(r.cases)).times(t.cases))
    if (r.los !== 0n) timeIndex = timeIndex.plus(dec(t.los).div(t.cases).div(dec(r.los).div(r.cases)).times(t.cases))
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
    cases,
    analysable,
    grouped,
    groupedRate: ratio(decimalOfInteger(grouped), analysable),
    drgCount: own.size,
    totalWeight,
    // The dashboard's CMI (indicators.ts): '' also when the grouped cases carry no weight at all.
    cmi: caseMixIndex(totalWeight, grouped, 'HALF_UP'),
    costIndex: ratio(costIndex, grouped),
    timeIndex: ratio(timeIndex, grouped),
    lowRiskCases: low.cases,
    lowRiskDeaths: low.deaths,
    lowRiskMortality: ratio(decimalOfInteger(low.deaths), low.cases),
    midLowRiskCases: midLow.cases,
    midLowRiskDeaths: midLow.deaths,
    midLowRiskMortality: ratio(decimalOfInteger(midLow.deaths), midLow.cases),
  }
}

export function evaluate(cells: readonly EvaluatedCell[]): Evaluation {
  const region = totalsBy(cells)
  const bands = riskBands(region)
  const byUnit = new Map<string, EvaluatedCell[]>()
  for (const c of cells) {
    const own = byUnit.get(c.unit)
    if (own === undefined) byUnit.set(c.unit, [c])
    else own.push(c)
  }
  const units = [...byUnit].sort(([a], [b]) => (a < b ? -1 : 1)).map(([unit, own]) => indicators(unit, own, region, bands))
  return {units, region: indicators('', cells, region, bands), riskBands: bands}
}
