/**
 * DIP grouping (docs/dip.md): a case goes to the core or basic group keyed by its principal
 * diagnosis' 亚目 (first 5 characters) whose procedure combination its procedures make up, else
 * to the comprehensive group of its 类目 (first 3) and highest procedure class, else it is
 * ungroupable. The catalog is compiled once into maps; grouping a case is a few lookups.
 *
 *   groupDip(compileDip(catalog), {dx: ['K80.100'], px: ['51.2300']})
 *   → {status: 'grouped', group: 'K80.1-01', type: 'core', score: '812.5000', …}
 *
 * Which procedures count: those the catalog classifies (px_class.csv); others are ignored. A
 * combination matches when each of its terms (A+B: A and B; A/B: A or B) is among the case's
 * counted procedures and every counted procedure belongs to the combination, so a case keyed
 * (K80.1, {A, B}) when the catalog was built lands in exactly the group built from that key.
 * Among several matches the combination with more terms wins, then the higher score, then the
 * lower group code.
 */
import {type Dec, ONE} from '../clearing/money.js'
import type {DipCatalog, DipGroup, DipGroupType, PxClass} from './dip-catalog.js'
import {PX_CLASSES} from './dip-catalog.js'

export interface DipCase {
  /** Diagnoses, principal first. */
  readonly dx: readonly string[]
  readonly px: readonly string[]
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
  readonly groups: ReadonlyMap<string, DipGroup>
  readonly pxClass: ReadonlyMap<string, Exclude<PxClass, 'conservative'>>
  readonly avgCostByLevel: ReadonlyMap<string, Dec>
  readonly aux: DipCatalog['aux']
  /** 亚目 → its core and basic groups. */
  readonly core: ReadonlyMap<string, readonly DipGroup[]>
  /** `${类目}\t${class}` → its comprehensive group. */
  readonly comprehensive: ReadonlyMap<string, DipGroup>
}

export function compileDip(catalog: DipCatalog): CompiledDip {
  const core = new Map<string, DipGroup[]>()
  const comprehensive = new Map<string, DipGroup>()
  for (const group of catalog.groups) {
    if (group.type === 'comprehensive') comprehensive.set(`${group.dxKey}\t${group.pxCombo}`, group)
    else core.set(group.dxKey, [...(core.get(group.dxKey) ?? []), group])
  }
  return {
    id: catalog.meta.id,
    sha256: catalog.sha256,
    year: catalog.meta.year,
    scoreScale: catalog.meta.scoreScale,
    groups: new Map(catalog.groups.map((group) => [group.code, group])),
    pxClass: catalog.pxClass,
    avgCostByLevel: catalog.avgCostByLevel,
    aux: catalog.aux,
    core,
    comprehensive,
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

function covers(terms: DipGroup['terms'], counted: readonly string[]): boolean {
  if (terms.length === 0) return counted.length === 0
  for (const term of terms) if (!term.some((px) => counted.includes(px))) return false
  for (const px of counted) if (!terms.some((term) => term.includes(px))) return false
  return true
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
  let best: DipGroup | undefined
  for (const group of catalog.core.get(dx5) ?? []) {
    if (!covers(group.terms, counted)) continue
    if (best === undefined || group.terms.length > best.terms.length || (group.terms.length === best.terms.length && (group.score.gt(best.score) || (group.score.eq(best.score) && group.code < best.code)))) {
      best = group
    }
  }
  if (best !== undefined) {
    trace?.push(`${best.type} group ${best.code} (${best.pxCombo === '' ? '保守治疗' : best.pxCombo}), score ${best.scoreText}`)
    return result(best)
  }
  const dx3 = pdx.slice(0, 3)
  const procedureClass = highestClass(catalog.pxClass, counted)
  trace?.push(`no core or basic group of ${dx5} matches; comprehensive: 类目 ${dx3}, class ${procedureClass}`)
  const group = catalog.comprehensive.get(`${dx3}\t${procedureClass}`)
  if (group !== undefined) {
    trace?.push(`comprehensive group ${group.code}, score ${group.scoreText}`)
    return result(group)
  }
  trace?.push(`no comprehensive group for ${dx3} / ${procedureClass}: ungroupable`)
  return {status: 'ungroupable', group: '', type: '', name: '', score: '', reason: `no group for ${dx5} with ${counted.length === 0 ? 'no procedure' : counted.join('+')}, nor a comprehensive group ${dx3}/${procedureClass}`}
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
