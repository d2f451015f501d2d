/**
 * DIP grouping (docs/dip.md): a case goes to the core or basic group keyed by its principal
 * diagnosis' 亚目 (first 5 characters) whose procedure combination its procedures match, else
 * to the comprehensive group of its 类目 (first 3) and highest procedure class, else it is
 * ungroupable. The catalog is compiled once into maps; grouping a case is a few lookups.
 *
 *   groupDip(compileDip(catalog), {dx: ['K80.100'], px: ['51.2300']})
 *   → {status: 'grouped', group: 'K80.1-01', type: 'core', score: '812.5000', …}
 *
 * Which procedures count: those the catalog classifies (px_class.csv); others are ignored. How a
 * combination matches is the catalog's `matching` (A+B: terms A and B; A/B: one term, A or B):
 * - SUBSET (default): every term is among the counted procedures; others may be there too;
 * - EXACT: every term is there and every counted procedure belongs to the combination (a case
 *   keyed (K80.1, {A, B}) when the catalog was built lands in exactly the group of that key);
 * - OVERLAP: at least one term is there.
 * A group without procedures (保守治疗) matches a case without counted procedures, under each.
 * Among several matches the catalog's `tie_break` chooses: MOST_TERMS (default) the most terms
 * matched, then the higher score; HIGHEST_SCORE the higher score, then the most terms;
 * CLOSEST_COST the group average cost nearest the case's total cost, then as MOST_TERMS; the
 * lower group code last. The trace names the rule and the candidates it weighed.
 */
import {type Dec, ONE, parseDecimal} from '../clearing/money.js'
import type {DipCatalog, DipFallback, DipGroup, DipGroupType, DipMatching, DipTieBreak, PxClass} from './dip-catalog.js'
import {dxRange, PX_CLASSES} from './dip-catalog.js'

export interface DipCase {
  /** Diagnoses, principal first. */
  readonly dx: readonly string[]
  readonly px: readonly string[]
  /** 医疗总费用 (元, decimal text), for the CLOSEST_COST tie-break; absent: that tie-break falls back to MOST_TERMS. */
  readonly costYuan?: string
  readonly ageYears?: number
  /** 离院方式 (5 = death), for the auxiliary catalog. */
  readonly dischargeMode?: string
}

export type DipStatus = 'grouped' | 'ungroupable' | 'invalid'

export interface DipResult {
  readonly status: DipStatus
  readonly group: string
  readonly type: DipGroupType | ''
  readonly name: string
  readonly score: string
  /** Empty unless invalid or ungroupable. */
  readonly reason: string
}

export interface CompiledDip {
  readonly id: string
  readonly sha256: string
  readonly year: number
  readonly scoreScale: string
  readonly matching: DipMatching
  readonly tieBreak: DipTieBreak
  readonly comprehensiveFallback: DipFallback
  readonly groups: ReadonlyMap<string, DipGroup>
  readonly pxClass: ReadonlyMap<string, Exclude<PxClass, 'conservative'>>
  readonly avgCostByLevel: ReadonlyMap<string, Dec>
  readonly aux: DipCatalog['aux']
  /** 亚目 → its core and basic groups. */
  readonly core: ReadonlyMap<string, readonly DipGroup[]>
  /** `${dx_key}\t${class}` → its comprehensive group (dx_key a 类目, or under PREFIXES also K8 or K). */
  readonly comprehensive: ReadonlyMap<string, DipGroup>
  /** Under PREFIXES: comprehensive groups keyed by a range of 类目 (K80-K87), in catalog order. */
  readonly comprehensiveRanges: readonly {readonly low: string; readonly high: string; readonly group: DipGroup}[]
}

export function compileDip(catalog: DipCatalog): CompiledDip {
  const core = new Map<string, DipGroup[]>()
  const comprehensive = new Map<string, DipGroup>()
  const comprehensiveRanges: {low: string; high: string; group: DipGroup}[] = []
  for (const group of catalog.groups) {
    const range = group.type === 'comprehensive' ? dxRange(group.dxKey) : undefined
    if (range !== undefined) comprehensiveRanges.push({...range, group})
    else if (group.type === 'comprehensive') comprehensive.set(`${group.dxKey}\t${group.pxCombo}`, group)
    else core.set(group.dxKey, [...(core.get(group.dxKey) ?? []), group])
  }
  return {
    id: catalog.meta.id,
    sha256: catalog.sha256,
    year: catalog.meta.year,
    scoreScale: catalog.meta.scoreScale,
    matching: catalog.meta.matching,
    tieBreak: catalog.meta.tieBreak,
    comprehensiveFallback: catalog.meta.comprehensiveFallback,
    groups: new Map(catalog.groups.map((group) => [group.code, group])),
    pxClass: catalog.pxClass,
    avgCostByLevel: catalog.avgCostByLevel,
    aux: catalog.aux,
    core,
    comprehensive,
    comprehensiveRanges,
  }
}

const INVALID: DipResult = {status: 'invalid', group: '', type: '', name: '', score: '', reason: 'pdx_missing: no principal diagnosis'}

/** The case's procedures that the catalog classifies, each once, in the case's order. */
export function countedProcedures(catalog: Pick<CompiledDip, 'pxClass'>, px: readonly string[]): string[] {
  const counted: string[] = []
  for (const code of px) if (catalog.pxClass.has(code) && !counted.includes(code)) counted.push(code)
  return counted
}

/** The highest class among counted procedures (conservative when there is none); `classes` is a catalog's px_class or a builder's lookup. */
export function highestClass(classes: {get(code: string): PxClass | undefined}, counted: readonly string[]): PxClass {
  let rank = 0
  for (const code of counted) rank = Math.max(rank, PX_CLASSES.indexOf(classes.get(code)!))
  return PX_CLASSES[rank]!
}

/** How many of the group's terms the counted procedures match under the rule; -1 when it does not match. */
export function termsMatched(group: Pick<DipGroup, 'terms'>, counted: readonly string[], matching: DipMatching): number {
  const terms = group.terms
  if (terms.length === 0) return counted.length === 0 ? 0 : -1
  let matched = 0
  for (const term of terms) if (term.some((px) => counted.includes(px))) matched++
  switch (matching) {
    case 'SUBSET':
      return matched === terms.length ? matched : -1
    case 'EXACT':
      return matched === terms.length && counted.every((px) => terms.some((term) => term.includes(px))) ? matched : -1
    case 'OVERLAP':
      return matched > 0 ? matched : -1
  }
}

interface Candidate {
  readonly group: DipGroup
  readonly matched: number
  /** |group average − case cost| in 元, for CLOSEST_COST (undefined: no average or no cost). */
  readonly distance: Dec | undefined
}

function byMostTerms(a: Candidate, b: Candidate): number {
  return b.matched - a.matched || (a.group.score.gt(b.group.score) ? -1 : b.group.score.gt(a.group.score) ? 1 : 0)
}

/** The order of the candidates under the catalog's tie-break, best first; the lower group code last. */
function compareCandidates(tieBreak: DipTieBreak): (a: Candidate, b: Candidate) => number {
  const byCode = (a: Candidate, b: Candidate): number => (a.group.code < b.group.code ? -1 : a.group.code > b.group.code ? 1 : 0)
  switch (tieBreak) {
    case 'MOST_TERMS':
      return (a, b) => byMostTerms(a, b) || byCode(a, b)
    case 'HIGHEST_SCORE':
      return (a, b) => (a.group.score.gt(b.group.score) ? -1 : b.group.score.gt(a.group.score) ? 1 : 0) || b.matched - a.matched || byCode(a, b)
    case 'CLOSEST_COST':
      return (a, b) => {
        if (a.distance !== undefined && b.distance !== undefined && !a.distance.eq(b.distance)) return a.distance.lt(b.distance) ? -1 : 1
        if (a.distance !== undefined && b.distance === undefined) return -1
        if (a.distance === undefined && b.distance !== undefined) return 1
        return byMostTerms(a, b) || byCode(a, b)
      }
  }
}

/** Groups one case; with `trace`, each step is pushed there as a readable line. */
export function groupDip(catalog: CompiledDip, dipCase: DipCase, trace?: string[]): DipResult {
  const pdx = dipCase.dx[0]
  if (pdx === undefined || pdx === '') {
    trace?.push('no principal diagnosis: invalid')
    return INVALID
  }
  const counted = countedProcedures(catalog, dipCase.px)
  const dx5 = pdx.slice(0, 5)
  trace?.push(`pdx ${pdx} → 亚目 ${dx5}; counted procedures: ${counted.length === 0 ? 'none (保守治疗)' : counted.join(', ')}`)
  const cost = catalog.tieBreak === 'CLOSEST_COST' && dipCase.costYuan !== undefined && dipCase.costYuan !== '' ? parseDecimal(dipCase.costYuan) : undefined
  const candidates: Candidate[] = []
  for (const group of catalog.core.get(dx5) ?? []) {
    const matched = termsMatched(group, counted, catalog.matching)
    if (matched < 0) continue
    candidates.push({group, matched, distance: cost === undefined || group.avgCostYuan === undefined ? undefined : group.avgCostYuan.minus(cost).abs()})
  }
  if (candidates.length > 0) {
    const best = candidates.length === 1 ? candidates[0]! : [...candidates].sort(compareCandidates(catalog.tieBreak))[0]!
    if (candidates.length > 1) {
      const rule = catalog.tieBreak === 'CLOSEST_COST' && cost === undefined ? 'CLOSEST_COST without a case cost, so MOST_TERMS' : catalog.tieBreak
      trace?.push(`matching ${catalog.matching}, ${candidates.length} candidates by ${rule}: ${candidates.map((c) => `${c.group.code} (${c.matched} term${c.matched === 1 ? '' : 's'}, score ${c.group.scoreText}${c.distance === undefined ? '' : `, cost gap ${c.distance.toFixed(2)}`})`).join(', ')}`)
    }
    trace?.push(`${best.group.type} group ${best.group.code} (${best.group.pxCombo === '' ? '保守治疗' : best.group.pxCombo}) by ${catalog.matching}, score ${best.group.scoreText}`)
    return result(best.group)
  }
  const dx3 = pdx.slice(0, 3)
  const procedureClass = highestClass(catalog.pxClass, counted)
  trace?.push(`no core or basic group of ${dx5} matches (${catalog.matching}); comprehensive: 类目 ${dx3}, class ${procedureClass}`)
  const group = comprehensiveGroup(catalog, dx3, procedureClass)
  if (group !== undefined) {
    trace?.push(`comprehensive group ${group.code}${group.dxKey === dx3 ? '' : ` (by ${group.dxKey}, ${catalog.comprehensiveFallback})`}, score ${group.scoreText}`)
    return result(group)
  }
  trace?.push(`no comprehensive group for ${dx3} / ${procedureClass}: ungroupable`)
  return {status: 'ungroupable', group: '', type: '', name: '', score: '', reason: `no group for ${dx5} with ${counted.length === 0 ? 'no procedure' : counted.join('+')}, nor a comprehensive group ${dx3}/${procedureClass}`}
}

/** The comprehensive group of a 类目 and class; under PREFIXES falling back to its first 2 and 1 characters, then to a range that holds it. */
function comprehensiveGroup(catalog: CompiledDip, dx3: string, procedureClass: PxClass): DipGroup | undefined {
  const own = catalog.comprehensive.get(`${dx3}\t${procedureClass}`)
  if (own !== undefined || catalog.comprehensiveFallback === 'CATEGORY') return own
  for (const key of [dx3.slice(0, 2), dx3.slice(0, 1)]) {
    const group = catalog.comprehensive.get(`${key}\t${procedureClass}`)
    if (group !== undefined) return group
  }
  return catalog.comprehensiveRanges.find((r) => r.group.pxCombo === procedureClass && dx3 >= r.low && dx3 <= r.high)?.group
}

function result(group: DipGroup): DipResult {
  return {status: 'grouped', group: group.code, type: group.type, name: group.name, score: group.scoreText, reason: ''}
}

/**
 * The auxiliary-catalog factor (辅助目录) of a case: the product of every matching row of aux.csv
 * (kind death: key = 离院方式; age: key "from-to" in years, either end open; dx: key = the start of
 * a secondary diagnosis), 1 when none matches.
 */
export function auxFactor(catalog: Pick<CompiledDip, 'aux'>, dipCase: DipCase): {factor: Dec; applied: string[]} {
  let factor = ONE
  const applied: string[] = []
  for (const row of catalog.aux) {
    let hit = false
    if (row.kind === 'death') hit = dipCase.dischargeMode === row.key
    else if (row.kind === 'age' && dipCase.ageYears !== undefined) {
      const [from, to] = row.key.split('-')
      hit = (from === '' || from === undefined || dipCase.ageYears >= Number(from)) && (to === '' || to === undefined || dipCase.ageYears <= Number(to))
    } else if (row.kind === 'dx') hit = dipCase.dx.slice(1).some((code) => code.startsWith(row.key))
    if (hit) {
      factor = factor.times(row.factor)
      applied.push(`${row.kind} ${row.key} × ${row.factor.toString()}`)
    }
  }
  return {factor, applied}
}
