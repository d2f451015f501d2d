/**
 * Synthetic discharges for a scheme, deterministic per seed, for demos and benchmarks. Each case
 * aims at one ADRG row: its rule, its MDC's rule and one of its DRG rules are walked and made
 * true (a code from each named list, fields inside their bounds, a CC or MCC when asked), then
 * the rest is filled with plausible values. Where the case lands is then up to the grouper.
 *
 *   synthCases(pack, {count: 2, seed: 1, …}) → ['S0001-0000000', 'H007', '2', '67', …], …
 */
import type {AdrgRow, CodeList, SchemePack} from './pack-load.js'
import {adrgOwners, drgOwners, mdcOwners, resolveList} from './pack-check.js'
import type {Field, Rule} from './rule-parse.js'

export const SYNTH_COLUMNS = [
  'settlement_id',
  'institution_id',
  'sex',
  'age_years',
  'age_days',
  'birth_weight_g',
  'los_days',
  'discharge_mode',
  'dx_codes',
  'px_codes',
  'total_cost',
  'insurance_type',
  'discharge_date',
  'fund_recorded',
  'self_pay_all',
  'self_pay_first',
  'deductible',
  'department',
  'physician',
] as const

/** 出院科别 by the MDC's letter (no random draw: the other columns stay as a seed made them before). */
const DEPARTMENT_BY_MDC: Readonly<Record<string, string>> = {
  A: '重症医学科', B: '神经内科', C: '眼科', D: '耳鼻咽喉科', E: '呼吸内科', F: '心血管内科', G: '消化内科', H: '肝胆外科', I: '骨科', J: '皮肤科',
  K: '内分泌科', L: '肾内科', M: '泌尿外科', N: '妇科', O: '产科', P: '新生儿科', Q: '血液科', R: '肿瘤科', S: '感染科', T: '精神科',
  U: '精神科', V: '急诊科', W: '烧伤科', X: '全科医学科', Y: '感染科', Z: '急诊科',
}

export interface SynthOptions {
  readonly count: number
  readonly seed: number
  /** Share of cases given a data fault (unknown code, sex missing, newborn without weight, no diagnosis). */
  readonly invalidRate: number
  readonly institutions: number
  /** Month of the discharge dates (YYYY-MM); blank dates without it. */
  readonly month?: string
}

/** Small, fast, seedable generator (mulberry32); integers only. */
export class Random {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }
}

interface Draft {
  pdx: string | undefined
  secondary: string[]
  px: string[]
  bounds: Map<Field, [number, number]>
  complication: 'none' | 'cc' | 'mcc'
}

interface Target {
  readonly row: AdrgRow
  readonly rules: readonly {rule: Rule; owners: string[]}[]
  readonly drgRules: readonly {rule: Rule; owners: string[]}[]
}

const STRAY_PDX_RATE = 0.01
const DISCHARGE_MODES = ['1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '2', '3', '4', '5', '9']

export function* synthCases(pack: SchemePack, options: SynthOptions): Generator<string[]> {
  const random = new Random(options.seed)
  const targets = makeTargets(pack)
  const weights = targets.map((t) => (t.row.partition === 'medical' ? 3 : 1) * (/^MDC[APYZ]$/.test(t.row.mdc) ? 0.15 : 1))
  const cumulative: number[] = []
  weights.reduce((sum, w) => (cumulative.push(sum + w), sum + w), 0)
  const total = cumulative[cumulative.length - 1]!
  const mccCodes = [...pack.cc].filter(([, e]) => e.level === 'MCC')
  const ccCodes = [...pack.cc].filter(([, e]) => e.level === 'CC')
  const dxPool = [...pack.dxNames.keys()]
  const pxPool = [...pack.pxNames.keys()]
  const regions = bucketRegions(pack)
  const lists = new Map<string, CodeList>()
  const listCodes = (owners: readonly string[], name: string): readonly string[] => {
    const key = `${owners.join('/')}:${name}`
    let list = lists.get(key)
    if (list === undefined) {
      list = resolveList(pack, owners, name)!
      lists.set(key, list)
    }
    return list.codes
  }

  for (let n = 0; n < options.count; n++) {
    const x = random.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! > x) hi = mid
      else lo = mid + 1
    }
    const target = targets[lo]!
    const draft: Draft = {pdx: undefined, secondary: [], px: [], bounds: new Map(), complication: 'none'}
    for (const {rule, owners} of target.rules) satisfy(rule, draft, random, (name) => listCodes(owners, name), regions)
    if (target.drgRules.length > 0) {
      const {rule, owners} = random.pick(target.drgRules)
      satisfy(rule, draft, random, (name) => listCodes(owners, name), regions)
    }
    // About 1 in 100 principal diagnoses is any code of the scheme, as in real data, where
    // some land in no MDC (0000).
    const pdx = draft.pdx === undefined || random.next() < STRAY_PDX_RATE ? random.pick(dxPool) : draft.pdx
    const pdxTable = pack.pdxTable.get(pdx)
    if (draft.complication !== 'none') {
      const pool = draft.complication === 'mcc' ? mccCodes : random.next() < 0.5 ? ccCodes : mccCodes
      for (let tries = 0; tries < 8; tries++) {
        const [code, entry] = random.pick(pool)
        if (entry.table !== pdxTable) {
          draft.secondary.push(code)
          break
        }
      }
    }
    for (let extra = random.int(0, 3); extra > 0; extra--) draft.secondary.push(random.pick(dxPool))
    if (target.row.partition === 'medical' && draft.px.length === 0 && random.next() < 0.08) draft.px.push(random.pick(pxPool))
    yield finish(n, options, random, target, draft, pdx)
  }
}

function makeTargets(pack: SchemePack): Target[] {
  const mdcRule = new Map(pack.mdcs.map((row) => [row.mdc, row.rule]))
  return pack.adrgs.map((row) => ({
    row,
    rules: [
      {rule: row.rule, owners: adrgOwners(row)},
      {rule: mdcRule.get(row.mdc)!, owners: mdcOwners(row.mdc)},
    ],
    drgRules: pack.drgs.filter((drg) => drg.adrg === row.adrg).map((drg) => ({rule: drg.rule, owners: drgOwners(row.adrg, row.mdc)})),
  }))
}

function bucketRegions(pack: SchemePack): string[][] {
  const byRegion = new Map<string, string[]>()
  for (const [code, region] of pack.bodyRegion) byRegion.set(region, [...(byRegion.get(region) ?? []), code])
  return [...byRegion.values()]
}

/** Makes a rule true on the draft where it can; `not` is left to chance. */
function satisfy(rule: Rule, draft: Draft, random: Random, codes: (list: string) => readonly string[], regions: readonly string[][]): void {
  switch (rule.kind) {
    case 'and':
      for (const item of rule.items) satisfy(item, draft, random, codes, regions)
      return
    case 'or':
      satisfy(random.pick(rule.items), draft, random, codes, regions)
      return
    case 'has_mcc':
      draft.complication = 'mcc'
      return
    case 'has_cc':
      if (draft.complication === 'none') draft.complication = 'cc'
      return
    case 'in': {
      const code = random.pick(codes(rule.list))
      if (rule.subject === 'pdx' || (rule.subject === 'any_dx' && draft.pdx === undefined)) draft.pdx ??= code
      else if (rule.subject === 'main_px') draft.px[0] ??= code
      else if (rule.subject === 'any_px') draft.px.push(code)
      else draft.secondary.push(code)
      return
    }
    case 'cmp': {
      if (rule.field === 'body_regions') {
        const wanted = Math.max(rule.value + (rule.op === '>' ? 1 : 0), 1)
        for (let k = 0; k < wanted && k < regions.length; k++) draft.secondary.push(random.pick(regions[(k * 3) % regions.length]!))
        return
      }
      const [lo, hi] = draft.bounds.get(rule.field) ?? [0, Number.MAX_SAFE_INTEGER]
      const v = rule.value
      const next: [number, number] =
        rule.op === '=' ? [v, v] : rule.op === '<' ? [lo, Math.min(hi, v - 1)] : rule.op === '<=' ? [lo, Math.min(hi, v)] : rule.op === '>' ? [Math.max(lo, v + 1), hi] : [Math.max(lo, v), hi]
      draft.bounds.set(rule.field, next)
      return
    }
    default:
      return
  }
}

function within(random: Random, bounds: [number, number] | undefined, lo: number, hi: number): number {
  const a = Math.max(lo, bounds?.[0] ?? lo)
  const b = Math.min(hi, bounds?.[1] ?? hi)
  return a <= b ? random.int(a, b) : (bounds?.[0] ?? lo)
}

function finish(n: number, options: SynthOptions, random: Random, target: Target, draft: Draft, pdx: string): string[] {
  const ageDaysBounds = draft.bounds.get('age_days')
  const newborn = (ageDaysBounds !== undefined && ageDaysBounds[1] <= 365) || draft.bounds.get('age_years')?.[1] === 0
  let ageYears: number
  let ageDays: number
  if (newborn) {
    ageDays = within(random, ageDaysBounds, 0, ageDaysBounds?.[1] !== undefined && ageDaysBounds[1] <= 28 ? 28 : 364)
    ageYears = 0
  } else {
    const adult = random.next() < 0.85
    ageYears = within(random, draft.bounds.get('age_years'), adult ? 18 : 1, adult ? 95 : 17)
    ageDays = ageYears * 365 + Math.floor(ageYears / 4) + random.int(0, 364)
  }
  const weightBounds = draft.bounds.get('birth_weight_g')
  const birthWeight = weightBounds !== undefined || ageDays <= 28 ? String(within(random, weightBounds, 600, 4800)) : ''
  const sex = String(within(random, draft.bounds.get('sex'), 1, 2))
  const procedure = target.row.partition === 'procedure'
  const losDays = within(random, draft.bounds.get('los_days'), 1, Math.max(2, Math.round(Math.exp(random.next() * 3.2))))
  // Cost in whole 分: an integer drawn from a skewed distribution, never a fractional amount.
  const baseFen = (procedure ? 2_400_000 : 600_000) * (draft.complication === 'mcc' ? 2 : draft.complication === 'cc' ? 1.4 : 1)
  const costFen = Math.floor(baseFen * (0.35 + random.next() * random.next() * 2.5) + losDays * random.int(20_000, 90_000))
  const dx = [pdx, ...draft.secondary]
  const px = draft.px.filter((code) => code !== undefined)
  const row = [
    `S${String(options.seed).padStart(4, '0')}-${String(n).padStart(7, '0')}`,
    `H${String(1 + Math.floor(random.next() * random.next() * options.institutions)).padStart(3, '0')}`,
    sex,
    String(ageYears),
    String(ageDays),
    birthWeight,
    String(losDays),
    random.pick(DISCHARGE_MODES),
    dx.join('|'),
    px.join('|'),
    yuanText(costFen),
    ...settlementColumns(random, costFen, options.month),
  ]
  const institution = row[1]!
  row.push(DEPARTMENT_BY_MDC[target.row.mdc.replace(/^MDC/, '').charAt(0)] ?? '综合科', `${institution}-D${String(1 + (n % 12)).padStart(2, '0')}`)
  if (random.next() < options.invalidRate) spoil(row, random)
  return row
}

/** 分 → '1234.56'. */
function yuanText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}

const DEDUCTIBLE_FEN = [50_000, 80_000, 100_000]

/** Insurance type, discharge date and the patient's parts; all amounts whole 分 (integer arithmetic). */
function settlementColumns(random: Random, costFen: number, month: string | undefined): string[] {
  const pool = random.next() < 0.6 ? '职工' : '居民'
  const selfPayAllFen = Math.floor((costFen * random.int(0, 80)) / 1000)
  const selfPayFirstFen = Math.floor((costFen * random.int(0, 60)) / 1000)
  const deductibleFen = Math.min(random.pick(DEDUCTIBLE_FEN), costFen - selfPayAllFen - selfPayFirstFen)
  const rest = costFen - selfPayAllFen - selfPayFirstFen - deductibleFen
  const fundFen = Math.floor((rest * (pool === '职工' ? random.int(800, 900) : random.int(600, 750))) / 1000)
  const day = month === undefined ? '' : `${month}-${String(random.int(1, 28)).padStart(2, '0')}`
  return [pool, day, yuanText(fundFen), yuanText(selfPayAllFen), yuanText(selfPayFirstFen), yuanText(deductibleFen)]
}

/** One data fault of the kinds the grouper must report as invalid. */
function spoil(row: string[], random: Random): void {
  switch (random.int(0, 3)) {
    case 0:
      row[2] = ''
      break
    case 1:
      row[8] = `${row[8]}|X99.999`
      break
    case 2:
      row[3] = '0'
      row[4] = String(random.int(0, 28))
      row[5] = ''
      break
    default:
      row[8] = ''
  }
}
