/**
 * Loads and validates a `scheme-pack/1` DRG scheme pack (docs/scheme-pack.md) completely,
 * before any case runs: every bad row is an error with its file, line and column; a rule's
 * syntax and every list it names are checked here, so that compiling cannot fail on input.
 *
 *   loadPack(dirPackSource('data/schemes/demo')) → {pack: {meta: {id: 'demo', …}, mdcs: […]}, errors: []}
 */
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readTextFile} from '../io/text-file.js'
import {join} from 'node:path'
import type {z} from 'zod'
import {zod} from '../io/lazy-zod.js'
import {type InputError, inputError} from '../errors.js'
import {readTable, type TableRow} from '../io/csv-table.js'
import {parseRule, type Rule} from './rule-parse.js'
import {checkPackReferences} from './pack-check.js'

export const PACK_FILES = [
  'mdc.csv',
  'adrg.csv',
  'drg.csv',
  'lists.csv',
  'cc.csv',
  'pdx_exclusion.csv',
  'body_regions.csv',
  'dx_names.csv',
  'px_names.csv',
] as const

/** Where a pack's files come from: a folder, or the copy stored in a workspace. */
export interface PackSource {
  /** Shown in messages: a folder path or `workspace:<id>@<version>`. */
  readonly label: string
  /** The file's text, or undefined when the pack has no such file. */
  read(file: string): string | undefined
}

export function dirPackSource(dir: string): PackSource {
  return {
    label: dir,
    read(file) {
      const path = join(dir, file)
      return existsSync(path) ? readTextFile(path, file) : undefined
    },
  }
}

export function mapPackSource(label: string, files: ReadonlyMap<string, string>): PackSource {
  return {label, read: (file) => files.get(file)}
}

export interface SchemeMeta {
  readonly format: 'scheme-pack/1'
  readonly id: string
  readonly name: string
  readonly kind: 'drg'
  readonly source: string
  readonly files: readonly string[]
}

interface RuleRow {
  readonly line: number
  readonly order: number
  readonly name: string
  readonly rule: Rule
  readonly ruleSource: string
}
export interface MdcRow extends RuleRow {
  readonly mdc: string
  readonly qy: boolean
}
export interface AdrgRow extends RuleRow {
  readonly mdc: string
  readonly ruleId: string
  readonly adrg: string
  readonly partition: 'procedure' | 'medical'
}
export interface DrgRow extends RuleRow {
  readonly adrg: string
  readonly drg: string
}
/** A list as a rule names it: its owner and name. */
export interface ListRef {
  readonly owner: string
  readonly name: string
}
export interface CodeList extends ListRef {
  readonly line: number
  readonly codes: string[]
}
export interface CcEntry {
  readonly level: 'CC' | 'MCC'
  readonly table: string
}

/**
 * What compiling a pack needs once its data is compiled (CompiledData): its rules, its lists by
 * name (not their codes) and its code names. A SchemePack is one; so is a ready cache entry.
 */
export interface PackRules {
  readonly meta: SchemeMeta
  /** sha256 over scheme.json and the data files, in a fixed order: the pack's version identity. */
  readonly sha256: string
  readonly mdcs: readonly MdcRow[]
  readonly adrgs: readonly AdrgRow[]
  readonly drgs: readonly DrgRow[]
  /** owner → list name (lower case) → list */
  readonly lists: ReadonlyMap<string, ReadonlyMap<string, ListRef>>
  readonly dxNames: ReadonlyMap<string, string>
  readonly pxNames: ReadonlyMap<string, string>
}

export interface SchemePack extends PackRules {
  /** The files exactly as read, for storing the pack in a workspace. */
  readonly files: ReadonlyMap<string, string>
  readonly lists: ReadonlyMap<string, ReadonlyMap<string, CodeList>>
  readonly cc: ReadonlyMap<string, CcEntry>
  readonly pdxTable: ReadonlyMap<string, string>
  readonly bodyRegion: ReadonlyMap<string, string>
}

export type PackLoad = {readonly pack: SchemePack; readonly errors: readonly []} | {readonly pack?: undefined; readonly errors: readonly InputError[]}

function buildSchemas(zod: typeof z) {
  const text = zod.string().min(1, 'must not be empty')
  const code = zod.string().regex(/^\S+$/, 'must be one code without spaces')
  const order = zod.string().regex(/^[0-9]+$/, 'must be a whole number').transform(Number)
  return {
    meta: zod.object({
      format: zod.literal('scheme-pack/1'),
      id: zod.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower case letters, digits, ".", "_" or "-"'),
      name: text,
      kind: zod.literal('drg'),
      source: zod.string(),
      files: zod.array(zod.string()),
    }),
    mdc: zod.object({order, mdc: code, name: zod.string(), qy: zod.enum(['yes', 'no']), rule: text}),
    adrg: zod.object({
      mdc: code,
      order,
      rule_id: code,
      adrg: code,
      name: zod.string(),
      partition: zod.enum(['procedure', 'medical']),
      rule: text,
    }),
    drg: zod.object({adrg: code, order, drg: code, name: zod.string(), rule: text}),
    lists: zod.object({owner: code, list: zod.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'must be a list name'), code}),
    cc: zod.object({code, level: zod.enum(['CC', 'MCC']), exclusion_table: code}),
    pdx_exclusion: zod.object({pdx: code, exclusion_table: code}),
    body_regions: zod.object({code, region: text}),
    names: zod.object({code, name: zod.string()}),
  }
}

/** The schemas, made the first time a pack is read from its files (a pack from the cache needs none). */
let madeSchemas: ReturnType<typeof buildSchemas> | undefined
function packSchemas(): ReturnType<typeof buildSchemas> {
  madeSchemas ??= buildSchemas(zod())
  return madeSchemas
}

export function loadPack(source: PackSource): PackLoad {
  const errors: InputError[] = []
  const files = new Map<string, string>()
  const metaText = source.read('scheme.json')
  if (metaText === undefined) {
    return {errors: [inputError('scheme.json', 0, '', 'file_missing', 'a scheme pack needs scheme.json', 'is this a scheme pack folder?')]}
  }
  files.set('scheme.json', metaText)
  const meta = parseMeta(metaText, errors)
  for (const file of PACK_FILES) {
    const content = source.read(file)
    if (content === undefined) errors.push(inputError(file, 0, '', 'file_missing', `the pack has no ${file}`))
    else files.set(file, content)
  }
  if (meta === undefined || errors.length > 0) return {errors}

  const schemas = packSchemas()
  const read = <S extends z.ZodType<Record<string, unknown>>>(file: string, schema: S) => {
    const table = readTable(file, files.get(file)!, Object.keys((schema as unknown as z.ZodObject).shape), schema)
    errors.push(...table.errors)
    return table.rows
  }
  const mdcs = read('mdc.csv', schemas.mdc).map((row) => ({
    ...ruleRow(row, 'mdc.csv', errors),
    mdc: row.value.mdc,
    qy: row.value.qy === 'yes',
  }))
  const adrgs = read('adrg.csv', schemas.adrg).map((row) => ({
    ...ruleRow(row, 'adrg.csv', errors),
    mdc: row.value.mdc,
    ruleId: row.value.rule_id,
    adrg: row.value.adrg,
    partition: row.value.partition,
  }))
  const drgs = read('drg.csv', schemas.drg).map((row) => ({...ruleRow(row, 'drg.csv', errors), adrg: row.value.adrg, drg: row.value.drg}))

  const lists = new Map<string, Map<string, CodeList>>()
  for (const {line, value} of read('lists.csv', schemas.lists)) {
    const owned = lists.get(value.owner) ?? new Map<string, CodeList>()
    lists.set(value.owner, owned)
    const name = value.list.toLowerCase()
    const list = owned.get(name) ?? {owner: value.owner, name, line, codes: []}
    owned.set(name, list)
    list.codes.push(value.code)
  }
  const cc = keyed('cc.csv', read('cc.csv', schemas.cc), (v) => v.code, (v) => ({level: v.level, table: v.exclusion_table}), errors)
  const pdxTable = keyed('pdx_exclusion.csv', read('pdx_exclusion.csv', schemas.pdx_exclusion), (v) => v.pdx, (v) => v.exclusion_table, errors)
  const bodyRegion = keyed('body_regions.csv', read('body_regions.csv', schemas.body_regions), (v) => v.code, (v) => v.region, errors)
  const dxNames = keyed('dx_names.csv', read('dx_names.csv', schemas.names), (v) => v.code, (v) => v.name, errors)
  const pxNames = keyed('px_names.csv', read('px_names.csv', schemas.names), (v) => v.code, (v) => v.name, errors)
  if (errors.length > 0) return {errors}

  const pack: SchemePack = {meta, sha256: packHash(files), files, mdcs, adrgs, drgs, lists, cc, pdxTable, bodyRegion, dxNames, pxNames}
  errors.push(...checkPackReferences(pack))
  return errors.length > 0 ? {errors} : {pack, errors: []}
}

function parseMeta(metaText: string, errors: InputError[]): SchemeMeta | undefined {
  let json: unknown
  try {
    json = JSON.parse(metaText)
  } catch (error) {
    errors.push(inputError('scheme.json', 0, '', 'json_invalid', `not valid JSON: ${(error as Error).message}`))
    return undefined
  }
  const result = packSchemas().meta.safeParse(json)
  if (result.success) return result.data as SchemeMeta
  for (const issue of result.error.issues) {
    errors.push(inputError('scheme.json', 0, issue.path.join('.'), issue.path[0] === 'format' ? 'format_unknown' : 'value_not_allowed', issue.message))
  }
  return undefined
}

function ruleRow(
  row: TableRow<{order: number; name: string; rule: string}>,
  file: string,
  errors: InputError[],
): RuleRow {
  const parsed = parseRule(row.value.rule)
  if (!parsed.ok) errors.push(inputError(file, row.line, 'rule', 'rule_syntax', `${parsed.message} in "${row.value.rule}"`))
  return {
    line: row.line,
    order: row.value.order,
    name: row.value.name,
    rule: parsed.ok ? parsed.rule : {kind: 'true'},
    ruleSource: row.value.rule,
  }
}

/** A code table keyed by its first column; a code given twice with different data is an error. */
function keyed<V, T>(
  file: string,
  rows: readonly TableRow<V>[],
  key: (value: V) => string,
  data: (value: V) => T,
  errors: InputError[],
): Map<string, T> {
  const map = new Map<string, T>()
  const lines = new Map<string, number>()
  for (const {line, value} of rows) {
    const k = key(value)
    const d = data(value)
    const before = map.get(k)
    if (before === undefined) {
      map.set(k, d)
      lines.set(k, line)
    } else if (JSON.stringify(before) !== JSON.stringify(d)) {
      errors.push(inputError(file, line, '', 'duplicate_key', `"${k}" is given again with different data (first at line ${lines.get(k)})`))
    }
  }
  return map
}

/** The pack's version identity: sha256 over scheme.json and the data files, in a fixed order. */
export function packHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256')
  for (const name of ['scheme.json', ...PACK_FILES]) {
    hash.update(`${name}\n${files.get(name) ?? ''}\n`)
  }
  return hash.digest('hex')
}
