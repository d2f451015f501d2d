/**
 * Building a DIP catalog from historical cases (docs/dip.md, the national method): every case is
 * keyed by (principal diagnosis 亚目, the sorted set of its counted procedures); a key with at
 * least `minCases` cases over all years becomes a core group, and every other case falls into
 * the comprehensive group of (类目, its highest procedure class). A group's average cost is the
 * weighted mean of its yearly averages (1:2:7 with three years), or the plain average; its score
 * is that average ÷ the all-case average × the score scale, at 4 dp.
 *
 * Only aggregates are kept per key (counts and cost sums per year in 分, and the sum of squares
 * for the coefficient of variation), so memory grows with the number of keys, not of cases.
 *
 *   const history = new DipHistory(3, pxClass); history.add(0, {pdx: 'K80.100', px: ['51.2300'], costFen: 812000, level: '三级'})
 *   history.build({id: 'sz-2025', minCases: 15, scoreScale: '1000', …}) → {files: Map {'groups.csv' => …}, report: {groups: 412, …}}
 */
import {dipBudgetPointValue, dipGroupScore, historyAverageYuan} from '../clearing/dip-pricing.js'
import type {Rounding} from '../clearing/drg-pricing.js'
import {type Dec, decimalOfInteger, parseDecimal, round, roundYuan, sum, ZERO} from '../clearing/money.js'
import {yuanOfFen} from '../clearing/fen.js'
import {assert} from '../errors.js'
import {type DipMatching, loadDipCatalog, type PxClass} from './dip-catalog.js'
import {compileDip, groupDip, highestClass} from './dip-group.js'
import {mapPackSource} from './pack-load.js'

export interface HistoryCase {
  readonly pdx: string
  readonly px: readonly string[]
  readonly costFen: number
  /** The institution's level, where the history gives it ('' otherwise). */
  readonly level: string
}

interface YearSums {
  cases: number
  costFen: number
}

interface KeyStats {
  readonly dx5: string
  /** Counted procedures, sorted. */
  readonly px: readonly string[]
  readonly years: YearSums[]
  /** Σ cost² in 分², exact. */
  squaresFen: bigint
  /** The first full principal-diagnosis code seen, for the group's name. */
  readonly pdx: string
  /** Latest year only: level → sums (the reference average for deviation cases). */
  readonly lastYearByLevel: Map<string, YearSums>
}

export interface BuildOptions {
  readonly id: string
  readonly name: string
  readonly region: string
  readonly year: number
  readonly minCases: number
  readonly scoreScale: string
  /** One weight per history year, oldest first (1:2:7 for three years); null: the plain average of all cases. */
  readonly weights: readonly string[] | null
  readonly dxName?: (code: string) => string | undefined
  readonly pxName?: (code: string) => string | undefined
  /** The catalog's matching rule (catalog.json `matching`; default SUBSET). */
  readonly matching?: DipMatching
}

export interface GroupQuality {
  readonly groupCode: string
  readonly type: 'core' | 'comprehensive'
  readonly cases: number
  readonly avgCostYuan: string
  readonly score: string
  /** Coefficient of variation of cost inside the group (standard deviation ÷ mean), 4 dp. */
  readonly cv: string
}

export interface BuildReport {
  readonly years: number
  readonly cases: number
  readonly keys: number
  readonly groups: {readonly core: number; readonly comprehensive: number}
  readonly coreCases: number
  readonly comprehensiveCases: number
  /** Share of cases in core groups, 4 dp. */
  readonly coreShare: string
  readonly allCaseAverageYuan: string
  /** 预算点值: the weighted annual total cost ÷ Σ score × latest-year cases (§3.4a). */
  readonly budgetPointValue?: {readonly weightedAnnualCostYuan: string; readonly expectedScore: string; readonly pointValueYuan: string} | undefined
  readonly quality: readonly GroupQuality[]
  /**
   * What the catalog promises under its matching rule: the history cases that the built catalog
   * groups elsewhere than the group of their own key (0 under EXACT: the round trip; under SUBSET
   * a case of a comprehensive key can land in the core group of a combination it contains).
   */
  readonly matching: {readonly rule: DipMatching; readonly movedCases: number; readonly movedKeys: number; readonly examples: readonly {readonly key: string; readonly cases: number; readonly from: string; readonly to: string}[]}
}

const CLASS_LETTER: Record<PxClass, string> = {conservative: 'C', diagnostic: 'D', therapeutic: 'T', surgical: 'S'}

export class DipHistory {
  private readonly keys = new Map<string, KeyStats>()
  private readonly all: YearSums[]
  private readonly pxSeen = new Set<string>()

  constructor(
    private readonly yearCount: number,
    /** The class of a procedure code, or undefined when it does not count for grouping. */
    private readonly classOf: (code: string) => Exclude<PxClass, 'conservative'> | undefined,
  ) {
    this.all = Array.from({length: yearCount}, () => ({cases: 0, costFen: 0}))
  }

  add(yearIndex: number, c: HistoryCase): void {
    const dx5 = c.pdx.slice(0, 5)
    const counted = [...new Set(c.px.filter((code) => this.classOf(code) !== undefined))].sort()
    for (const code of counted) this.pxSeen.add(code)
    const key = `${dx5}\t${counted.join('+')}`
    let stats = this.keys.get(key)
    if (stats === undefined) {
      stats = {dx5, px: counted, years: Array.from({length: this.yearCount}, () => ({cases: 0, costFen: 0})), squaresFen: 0n, pdx: c.pdx, lastYearByLevel: new Map()}
      this.keys.set(key, stats)
    }
    const year = stats.years[yearIndex]!
    year.cases++
    year.costFen += c.costFen
    stats.squaresFen += BigInt(c.costFen) * BigInt(c.costFen)
    this.all[yearIndex]!.cases++
    this.all[yearIndex]!.costFen += c.costFen
    if (yearIndex === this.yearCount - 1 && c.level !== '') {
      const level = stats.lastYearByLevel.get(c.level) ?? {cases: 0, costFen: 0}
      level.cases++
      level.costFen += c.costFen
      stats.lastYearByLevel.set(c.level, level)
    }
  }

  build(options: BuildOptions): {files: Map<string, string>; report: BuildReport} {
    const groups: {code: string; type: 'core' | 'comprehensive'; dxKey: string; combo: string; name: string; members: KeyStats[]}[] = []
    const comprehensive = new Map<string, KeyStats[]>()
    const coreByDx = new Map<string, KeyStats[]>()
    for (const stats of [...this.keys.values()].sort((a, b) => compareKeys(a, b))) {
      const total = stats.years.reduce((n, y) => n + y.cases, 0)
      if (total >= options.minCases) {
        coreByDx.set(stats.dx5, [...(coreByDx.get(stats.dx5) ?? []), stats])
      } else {
        const key = `${stats.dx5.slice(0, 3)}\t${highestClass({get: this.classOf}, stats.px)}`
        comprehensive.set(key, [...(comprehensive.get(key) ?? []), stats])
      }
    }
    for (const [dx5, list] of coreByDx) {
      list.forEach((stats, k) => {
        const names = stats.px.map((code) => options.pxName?.(code) ?? code)
        groups.push({
          code: `${dx5}-${String(k + 1).padStart(2, '0')}`,
          type: 'core',
          dxKey: dx5,
          combo: stats.px.join('+'),
          name: `${options.dxName?.(stats.pdx) ?? dx5}${stats.px.length === 0 ? ' 保守治疗' : ` ${names.join('+')}`}`,
          members: [stats],
        })
      })
    }
    for (const [key, members] of [...comprehensive].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [dx3, procedureClass] = key.split('\t') as [string, PxClass]
      groups.push({code: `${dx3}Z${CLASS_LETTER[procedureClass]}`, type: 'comprehensive', dxKey: dx3, combo: procedureClass, name: `${dx3} 综合病种 (${procedureClass})`, members})
    }
    groups.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))

    const scale = parseDecimal(options.scoreScale)
    const weights = options.weights === null ? null : options.weights.map((w) => parseDecimal(w))
    const asYuan = (years: readonly YearSums[]) => years.map((y) => ({costYuan: yuanOfFen(y.costFen), cases: y.cases}))
    const rounding = {mode: 'HALF_UP' as const, scoreScale: 4, rateScale: 2, pvScale: 4}
    const all = asYuan(this.all)
    const expected: {score: Dec; cases: number}[] = []
    const groupLines = ['group_code,type,dx_key,px_combo,name,score,avg_cost']
    const avgLines = ['group_code,institution_level,avg_cost']
    const quality: GroupQuality[] = []
    let coreCases = 0
    let comprehensiveCases = 0
    for (const group of groups) {
      const years = Array.from({length: this.yearCount}, (_, k) => ({cases: sumOf(group.members, (m) => m.years[k]!.cases), costFen: sumOf(group.members, (m) => m.years[k]!.costFen)}))
      const cases = years.reduce((n, y) => n + y.cases, 0)
      if (group.type === 'core') coreCases += cases
      else comprehensiveCases += cases
      const {groupAvgYuan: average, score} = dipGroupScore({group: asYuan(years), all, weights, scale}, rounding)
      const avgCost = roundYuan(average)
      expected.push({score, cases: years[years.length - 1]!.cases})
      groupLines.push([group.code, group.type, group.dxKey, group.combo, csvText(group.name), score.toFixed(4), avgCost.toFixed(2)].join(','))
      const byLevel = new Map<string, YearSums>()
      for (const member of group.members) {
        for (const [level, sums] of member.lastYearByLevel) {
          const into = byLevel.get(level) ?? {cases: 0, costFen: 0}
          into.cases += sums.cases
          into.costFen += sums.costFen
          byLevel.set(level, into)
        }
      }
      for (const [level, sums] of [...byLevel].sort(([a], [b]) => (a < b ? -1 : 1))) {
        avgLines.push([group.code, csvText(level), roundYuan(historyAverageYuan(asYuan([sums]), null)).toFixed(2)].join(','))
      }
      quality.push({groupCode: group.code, type: group.type, cases, avgCostYuan: avgCost.toFixed(2), score: score.toFixed(4), cv: coefficientOfVariation(group.members, cases).toFixed(4)})
    }
    const pxLines = ['code,class', ...[...this.pxSeen].sort().map((code) => `${code},${this.classOf(code)!}`)]
    const matching = options.matching ?? 'SUBSET'
    const catalogJson = `${JSON.stringify({format: 'dip-catalog/1', id: options.id, name: options.name, region: options.region, year: options.year, score_scale: Number(options.scoreScale), matching, tie_break: 'MOST_TERMS', comprehensive_fallback: 'CATEGORY'}, null, 2)}\n`
    const files = new Map<string, string>([
      ['catalog.json', catalogJson],
      ['groups.csv', `${groupLines.join('\n')}\n`],
      ['px_class.csv', `${pxLines.join('\n')}\n`],
    ])
    if (avgLines.length > 1) files.set('avg_cost.csv', `${avgLines.join('\n')}\n`)
    const cases = coreCases + comprehensiveCases
    return {
      files,
      report: {
        years: this.yearCount,
        cases,
        keys: this.keys.size,
        groups: {core: groups.filter((g) => g.type === 'core').length, comprehensive: groups.filter((g) => g.type === 'comprehensive').length},
        coreCases,
        comprehensiveCases,
        coreShare: cases === 0 ? '0.0000' : round(decimalOfInteger(coreCases).div(cases), 4).toFixed(4),
        allCaseAverageYuan: roundYuan(historyAverageYuan(all, weights)).toFixed(2),
        budgetPointValue: budgetPointValueOf(all, weights, expected, rounding),
        quality,
        matching: movedByMatching(files, groups, matching),
      },
    }
  }
}

/** Each key's cases grouped by the built catalog, against the group built from the key. */
function movedByMatching(files: ReadonlyMap<string, string>, groups: readonly {code: string; members: readonly KeyStats[]}[], rule: DipMatching): BuildReport['matching'] {
  const loaded = loadDipCatalog(mapPackSource('built catalog', files))
  assert(loaded.catalog !== undefined, `the built catalog loads: ${JSON.stringify(loaded.errors.slice(0, 3))}`)
  const catalog = compileDip(loaded.catalog)
  let movedCases = 0
  let movedKeys = 0
  const examples: {key: string; cases: number; from: string; to: string}[] = []
  for (const group of groups) {
    for (const stats of group.members) {
      const to = groupDip(catalog, {dx: [stats.pdx], px: stats.px})
      if (to.group === group.code) continue
      const cases = stats.years.reduce((n, y) => n + y.cases, 0)
      movedCases += cases
      movedKeys++
      if (examples.length < 10) examples.push({key: `${stats.dx5} ${stats.px.join('+') || '保守治疗'}`, cases, from: group.code, to: to.group || to.status})
    }
  }
  return {rule, movedCases, movedKeys, examples}
}

/**
 * 预算点值 (§3.4a, DIP-PVB-1) of the built catalog: the history's annual total costs weighted as
 * the groups' averages are, over the expected total score (each group's score × its cases in the
 * latest year). Undefined without cases.
 */
function budgetPointValueOf(all: readonly {costYuan: Dec; cases: number}[], weights: readonly Dec[] | null, expected: readonly {score: Dec; cases: number}[], rounding: Rounding): BuildReport['budgetPointValue'] {
  const expectedScore = sum(expected.map((e) => e.score.times(e.cases)))
  if (expectedScore.isZero()) return undefined
  const years = all.filter((y) => y.cases > 0)
  const yearWeights = weights === null ? years.map(() => parseDecimal('1')) : all.flatMap((y, k) => (y.cases > 0 ? [weights[k]!] : []))
  const pv = dipBudgetPointValue({annualCostYuan: years.map((y) => y.costYuan), weights: yearWeights, expectedScore}, rounding)
  return {weightedAnnualCostYuan: roundYuan(pv.weightedCostYuan).toFixed(2), expectedScore: expectedScore.toFixed(4), pointValueYuan: pv.pointValue.toFixed(4)}
}

function compareKeys(a: KeyStats, b: KeyStats): number {
  if (a.dx5 !== b.dx5) return a.dx5 < b.dx5 ? -1 : 1
  if (a.px.length !== b.px.length) return a.px.length - b.px.length
  const x = a.px.join('+')
  const y = b.px.join('+')
  return x < y ? -1 : x > y ? 1 : 0
}

function sumOf(members: readonly KeyStats[], value: (m: KeyStats) => number): number {
  let total = 0
  for (const member of members) total += value(member)
  return total
}

/** sqrt(Σx²/n − mean²) ÷ mean over all the group's cases (every year pooled), exact until the square root. */
function coefficientOfVariation(members: readonly KeyStats[], cases: number): Dec {
  if (cases === 0) return ZERO
  const totalFen = members.reduce((n, m) => n + m.years.reduce((t, y) => t + y.costFen, 0), 0)
  if (totalFen === 0) return ZERO
  const squares = parseDecimal(members.reduce((n, m) => n + m.squaresFen, 0n).toString())
  const mean = decimalOfInteger(totalFen).div(cases)
  const variance = squares.div(cases).minus(mean.times(mean))
  return variance.lte(0) ? ZERO : variance.sqrt().div(mean)
}

function csvText(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * The default class of an ICD-9-CM-3 procedure code by its chapter, used when no px_class file
 * is given: 87–91 diagnostic (imaging, examinations, laboratory), 92–99 therapeutic, 00–86
 * surgical (operations on body systems).
 */
export function defaultProcedureClass(code: string): Exclude<PxClass, 'conservative'> | undefined {
  const match = /^([0-9]{2})\./.exec(code)
  if (match === null) return undefined
  const chapter = Number(match[1])
  return chapter >= 87 && chapter <= 91 ? 'diagnostic' : chapter >= 92 ? 'therapeutic' : 'surgical'
}
