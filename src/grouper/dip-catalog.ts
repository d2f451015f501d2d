/**
 * Loads and validates a `dip-catalog/1` DIP catalog (docs/dip.md) completely, before any case
 * runs: catalog.json, groups.csv, px_class.csv, and the optional avg_cost.csv and aux.csv. Every
 * bad row is an error with its file, line and column; cross-file references (a combination's
 * procedure without a class, an average for an unknown group) are checked here too.
 *
 *   loadDipCatalog(dirPackSource('data/dip/demo')) → {catalog: {meta: {id: 'demo-dip', …}, groups: […]}, errors: []}
 */
import {createHash} from 'node:crypto'
import type {z} from 'zod'
import {zod} from '../io/lazy-zod.js'
import {type Dec, isDecimalText, parseDecimal} from '../clearing/money.js'
import {type InputError, inputError} from '../errors.js'
import {readTable} from '../io/csv-table.js'
import type {PackSource} from './pack-load.js'

export const DIP_FORMAT = 'dip-catalog/1'
export const DIP_REQUIRED_FILES = ['groups.csv', 'px_class.csv'] as const
export const DIP_OPTIONAL_FILES = ['avg_cost.csv', 'aux.csv'] as const

export type DipGroupType = 'core' | 'basic' | 'comprehensive'
/** Procedure classes in rank order: a comprehensive group takes the case's highest. */
export const PX_CLASSES = ['conservative', 'diagnostic', 'therapeutic', 'surgical'] as const
export type PxClass = (typeof PX_CLASSES)[number]

/**
 * How a case's counted procedures match a core group's combination (docs/dip.md):
 * SUBSET (default, the spec's reading) — every term of the combination is among them, extra
 * procedures allowed; EXACT — they are exactly the combination; OVERLAP — any code of the
 * combination is among them.
 */
export const DIP_MATCHING = ['SUBSET', 'EXACT', 'OVERLAP'] as const
export type DipMatching = (typeof DIP_MATCHING)[number]
/** The choice among several matching groups: most terms matched then the higher score; the group average cost closest to the case's; the highest score. */
export const DIP_TIE_BREAKS = ['MOST_TERMS', 'CLOSEST_COST', 'HIGHEST_SCORE'] as const
export type DipTieBreak = (typeof DIP_TIE_BREAKS)[number]
/** Comprehensive groups: by the 3-character 类目 only, or falling back to 2 and 1 characters and 类目 ranges (K80-K87). */
export const DIP_FALLBACKS = ['CATEGORY', 'PREFIXES'] as const
export type DipFallback = (typeof DIP_FALLBACKS)[number]

export interface DipMeta {
  readonly format: typeof DIP_FORMAT
  readonly id: string
  readonly name: string
  readonly region: string
  readonly year: number
  readonly scoreScale: string
  readonly matching: DipMatching
  readonly tieBreak: DipTieBreak
  readonly comprehensiveFallback: DipFallback
}

export interface DipGroup {
  readonly line: number
  readonly code: string
  readonly type: DipGroupType
  readonly dxKey: string
  /** As written: '' (保守治疗), 'A+B', 'A/B', or a class for comprehensive groups. */
  readonly pxCombo: string
  /** Core and basic groups: the combination's terms, each a set of alternatives (A+B → [[A],[B]]; A/B → [[A,B]]). */
  readonly terms: readonly (readonly string[])[]
  readonly name: string
  readonly score: Dec
  readonly scoreText: string
  /** The group's average cost (元), where the catalog gives it. */
  readonly avgCostYuan: Dec | undefined
}

export interface DipAux {
  readonly kind: string
  readonly key: string
  readonly factor: Dec
}

export interface DipCatalog {
  readonly meta: DipMeta
  readonly sha256: string
  /** The files exactly as read (stored as they are in a workspace). */
  readonly files: ReadonlyMap<string, string>
  readonly groups: readonly DipGroup[]
  readonly pxClass: ReadonlyMap<string, Exclude<PxClass, 'conservative'>>
  /** `${group_code}\t${institution_level}` → previous-year average cost at that level. */
  readonly avgCostByLevel: ReadonlyMap<string, Dec>
  readonly aux: readonly DipAux[]
}

export type DipLoad = {readonly catalog: DipCatalog; readonly errors: readonly []} | {readonly catalog?: undefined; readonly errors: readonly InputError[]}

/** The schemas, made the first time a catalog is read (zod loads then, not at start). */
function buildSchemas(zod: typeof z) {
  const code = zod.string().regex(/^\S+$/, 'must be one code without spaces')
  const decimalText = zod.string().refine(isDecimalText, 'must be a decimal number such as 812.5 (no commas, no exponent)')
  const amountText = zod.string().regex(/^[0-9]+(\.[0-9]{1,2})?$/, 'must be an amount in 元 with at most 2 decimals').refine((text) => text.length < 11 || parseDecimal(text).lte(parseDecimal('1000000000')), 'must be at most 1000000000 元')
  /** A score or factor: above 0, and far below any value that could leave exact 分 (settlement-rules §6.3). */
  const positiveText = decimalText.refine((text) => !isDecimalText(text) || (parseDecimal(text).gt(0) && parseDecimal(text).lte(parseDecimal('10000000'))), 'must be above 0 and at most 10000000')

  const metaSchema = zod.object({
    format: zod.literal(DIP_FORMAT),
    id: zod.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower case letters, digits, ".", "_" or "-"'),
    name: zod.string().min(1),
    region: zod.string(),
    year: zod.number().int().min(2000).max(2100),
    score_scale: zod.union([zod.number().int().positive().transform(String), zod.string().regex(/^[0-9]+(\.[0-9]+)?$/)]),
    matching: zod.enum(DIP_MATCHING).default('SUBSET'),
    tie_break: zod.enum(DIP_TIE_BREAKS).default('MOST_TERMS'),
    comprehensive_fallback: zod.enum(DIP_FALLBACKS).default('CATEGORY'),
  })

  const schemas = {
    groups: zod.object({
      group_code: code,
      type: zod.enum(['core', 'basic', 'comprehensive']),
      dx_key: code,
      px_combo: zod.string(),
      name: zod.string(),
      score: positiveText,
      avg_cost: amountText.or(zod.literal('')),
    }),
    px_class: zod.object({code, class: zod.enum(['diagnostic', 'therapeutic', 'surgical'])}),
    avg_cost: zod.object({group_code: code, institution_level: zod.string().min(1), avg_cost: amountText}),
    aux: zod.object({kind: zod.enum(['death', 'age', 'dx']), key: zod.string().min(1), factor: positiveText}),
  }
  return {meta: metaSchema, ...schemas}
}
let madeSchemas: ReturnType<typeof buildSchemas> | undefined
function catalogSchemas(): ReturnType<typeof buildSchemas> {
  madeSchemas ??= buildSchemas(zod())
  return madeSchemas
}

const DX5 = /^[A-Z][0-9]{2}(\.[0-9A-Za-z])?$/
const DX3 = /^[A-Z][0-9]{2}$/
const DX_SHORT = /^[A-Z][0-9]?$/

/** `K80-K87` → its two ends, when it is a range of 类目 in order. */
export function dxRange(key: string): {low: string; high: string} | undefined {
  const [low, high, more] = key.split('-')
  if (more !== undefined || low === undefined || high === undefined || !DX3.test(low) || !DX3.test(high) || low > high) return undefined
  return {low, high}
}

export function loadDipCatalog(source: PackSource): DipLoad {
  const errors: InputError[] = []
  const files = new Map<string, string>()
  const metaText = source.read('catalog.json')
  if (metaText === undefined) return {errors: [inputError('catalog.json', 0, '', 'file_missing', 'a DIP catalog needs catalog.json', 'is this a dip-catalog/1 folder?')]}
  files.set('catalog.json', metaText)
  const meta = parseMeta(metaText, errors)
  for (const file of [...DIP_REQUIRED_FILES, ...DIP_OPTIONAL_FILES]) {
    const content = source.read(file)
    if (content !== undefined) files.set(file, content)
    else if ((DIP_REQUIRED_FILES as readonly string[]).includes(file)) errors.push(inputError(file, 0, '', 'file_missing', `the catalog has no ${file}`))
  }
  if (meta === undefined || errors.length > 0) return {errors}
  const schemas = catalogSchemas()
  const read = <S extends z.ZodObject>(file: string, schema: S) => {
    const text = files.get(file)
    if (text === undefined) return []
    const table = readTable(file, text, Object.keys(schema.shape), schema)
    errors.push(...table.errors)
    return table.rows as {line: number; value: z.output<S>}[]
  }

  const pxClass = new Map<string, Exclude<PxClass, 'conservative'>>()
  for (const {line, value} of read('px_class.csv', schemas.px_class)) {
    if (pxClass.has(value.code)) errors.push(inputError('px_class.csv', line, 'code', 'duplicate_key', `procedure ${value.code} is listed twice`))
    pxClass.set(value.code, value.class)
  }

  const groups: DipGroup[] = []
  const byCode = new Map<string, DipGroup>()
  const byKey = new Map<string, DipGroup>()
  for (const {line, value} of read('groups.csv', schemas.groups)) {
    const at = (column: string, message: string) => errors.push(inputError('groups.csv', line, column, 'value_not_allowed', message))
    const comprehensive = value.type === 'comprehensive'
    const prefixes = meta.comprehensiveFallback === 'PREFIXES'
    if (comprehensive ? !(DX3.test(value.dx_key) || (prefixes && (DX_SHORT.test(value.dx_key) || dxRange(value.dx_key) !== undefined))) : !DX5.test(value.dx_key)) {
      at(
        'dx_key',
        comprehensive
          ? `a comprehensive group is keyed by a 3-character 类目 such as K80${prefixes ? ', a 1- or 2-character start such as K8, or a range of 类目 such as K80-K87' : ' (with comprehensive_fallback PREFIXES also K8, K or K80-K87)'}, not "${value.dx_key}"`
          : `a ${value.type} group is keyed by a 5-character 亚目 such as K80.1, not "${value.dx_key}"`,
      )
    }
    let terms: string[][] = []
    if (comprehensive) {
      if (!(PX_CLASSES as readonly string[]).includes(value.px_combo)) at('px_combo', `a comprehensive group's px_combo is a class (${PX_CLASSES.join(', ')}), not "${value.px_combo}"`)
    } else if (value.px_combo !== '') {
      terms = value.px_combo.split('+').map((term) => term.split('/').map((px) => px.trim()))
      const bad = terms.flat().filter((px) => px === '' || /\s/.test(px))
      if (bad.length > 0) at('px_combo', `"${value.px_combo}" is not a combination such as A+B or A/B`)
      for (const px of new Set(terms.flat())) {
        if (px !== '' && !pxClass.has(px)) at('px_combo', `procedure ${px} is not in px_class.csv, so no case could match the combination`)
      }
    }
    const group: DipGroup = {
      line,
      code: value.group_code,
      type: value.type,
      dxKey: value.dx_key,
      pxCombo: value.px_combo,
      terms,
      name: value.name,
      score: parseDecimal(value.score),
      scoreText: value.score,
      avgCostYuan: value.avg_cost === '' ? undefined : parseDecimal(value.avg_cost),
    }
    if (byCode.has(group.code)) errors.push(inputError('groups.csv', line, 'group_code', 'duplicate_key', `group ${group.code} is already on line ${byCode.get(group.code)!.line}`))
    const key = `${comprehensive ? 'C' : 'K'}\t${group.dxKey}\t${canonicalCombo(group)}`
    const same = byKey.get(key)
    if (same !== undefined) errors.push(inputError('groups.csv', line, 'px_combo', 'duplicate_key', `group ${group.code} has the same key and combination as ${same.code} (line ${same.line})`))
    byCode.set(group.code, group)
    byKey.set(key, group)
    groups.push(group)
  }

  const avgCostByLevel = new Map<string, Dec>()
  for (const {line, value} of read('avg_cost.csv', schemas.avg_cost)) {
    if (!byCode.has(value.group_code)) errors.push(inputError('avg_cost.csv', line, 'group_code', 'reference_unknown', `group ${value.group_code} is not in groups.csv`))
    avgCostByLevel.set(`${value.group_code}\t${value.institution_level}`, parseDecimal(value.avg_cost))
  }
  const aux = read('aux.csv', schemas.aux).map(({value}) => ({kind: value.kind, key: value.key, factor: parseDecimal(value.factor)}))
  if (errors.length > 0) return {errors}
  return {catalog: {meta, sha256: catalogHash(files), files, groups, pxClass, avgCostByLevel, aux}, errors: []}
}

/** A combination written in a canonical order, so that A+B and B+A are the same key. */
export function canonicalCombo(group: Pick<DipGroup, 'type' | 'pxCombo' | 'terms'>): string {
  if (group.type === 'comprehensive') return group.pxCombo
  return group.terms
    .map((term) => [...term].sort().join('/'))
    .sort()
    .join('+')
}

function parseMeta(text: string, errors: InputError[]): DipMeta | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    errors.push(inputError('catalog.json', 0, '', 'json_invalid', `not valid JSON: ${(error as Error).message}`))
    return undefined
  }
  const result = catalogSchemas().meta.safeParse(json)
  if (result.success) {
    const {format, id, name, region, year, score_scale: scoreScale, matching, tie_break: tieBreak, comprehensive_fallback: comprehensiveFallback} = result.data
    return {format, id, name, region, year, scoreScale, matching, tieBreak, comprehensiveFallback}
  }
  for (const issue of result.error.issues) {
    errors.push(inputError('catalog.json', 0, issue.path.join('.'), issue.path[0] === 'format' ? 'format_unknown' : 'value_not_allowed', issue.message))
  }
  return undefined
}

function catalogHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256')
  for (const name of ['catalog.json', ...DIP_REQUIRED_FILES, ...DIP_OPTIONAL_FILES]) hash.update(`${name}\n${files.get(name) ?? ''}\n`)
  return hash.digest('hex')
}
