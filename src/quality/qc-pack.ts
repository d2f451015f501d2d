/**
 * Loads and validates a `qc-rules/1` folder of settlement-list quality rules (docs/quality.md)
 * completely: every bad row is an error with its file, line and column; a condition's syntax,
 * each field it reads and each list it names are checked here, so that compiling cannot fail.
 *
 *   loadQcPack(dirPackSource('data/qc-rules/default')) → {pack: {meta: {id: 'default', …}, rules: […], lists: Map}, errors: []}
 */
import {createHash} from 'node:crypto'
import type {z} from 'zod'
import {type InputError, inputError} from '../errors.js'
import {readTable} from '../io/csv-table.js'
import {zod} from '../io/lazy-zod.js'
import type {PackSource} from '../grouper/pack-load.js'
import {type ExtRule, type Grammar, isDxSubject, parseRuleWith, ruleLists, SUBJECTS} from '../grouper/rule-parse.js'
import {QC_DICTIONARY_FIELDS, QC_FIELDS, QC_MONEY_FIELDS} from './qc-case.js'

export const QC_MANIFEST = 'qc-rules.json'
export const QC_FILES = ['rules.csv', 'lists.csv'] as const

/** The quality-rule language: the scheme's subjects, the case fields of QC_FIELDS, no grouping keywords. */
export const QC_GRAMMAR: Grammar = {subjects: SUBJECTS, fields: QC_FIELDS, keywords: ['true'], extended: {moneyFields: QC_MONEY_FIELDS}}

export interface QcMeta {
  readonly format: 'qc-rules/1'
  readonly id: string
  readonly name: string
  readonly source: string
}

export type Severity = 'error' | 'warning'

export interface QcRule {
  readonly line: number
  readonly id: string
  readonly severity: Severity
  readonly message: string
  /** The clause of the 医疗保障基金结算清单填写规范 (or local rule) it rests on; may be blank. */
  readonly basis: string
  readonly condition: ExtRule
  readonly conditionSource: string
  /** It reads unknown_dx or unknown_px: it needs a scheme's code dictionary to run. */
  readonly needsDictionary: boolean
}

/** A list's entries: exact codes, prefixes (`O*`) and ranges of the code's start (`N40-N51`). */
export interface QcList {
  readonly name: string
  readonly kind: 'dx' | 'px'
  readonly line: number
  readonly exact: Set<string>
  readonly prefixes: string[]
  readonly ranges: {readonly low: string; readonly high: string}[]
}

export interface QcPack {
  readonly meta: QcMeta
  readonly sha256: string
  readonly files: ReadonlyMap<string, string>
  readonly rules: readonly QcRule[]
  readonly lists: ReadonlyMap<string, QcList>
}

export type QcPackLoad = {readonly pack: QcPack; readonly errors: readonly []} | {readonly pack?: undefined; readonly errors: readonly InputError[]}

function schemas(zod: typeof z) {
  const text = zod.string().min(1, 'must not be empty')
  return {
    meta: zod.object({
      format: zod.literal('qc-rules/1'),
      id: zod.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower case letters, digits, ".", "_" or "-"'),
      name: text,
      source: zod.string(),
    }),
    rules: zod.object({
      id: zod.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, ".", "_" or "-"'),
      severity: zod.enum(['error', 'warning']),
      message: text,
      condition: text,
    }),
    lists: zod.object({
      list: zod.string().regex(/^[a-z_][a-z0-9_.]*$/i, 'must be a list name'),
      kind: zod.enum(['dx', 'px']),
      code: zod.string().regex(/^(\S+\*|\S+-\S+|\S+)$/, 'must be a code, a prefix "O*" or a range "N40-N51"'),
    }),
  }
}

export function loadQcPack(source: PackSource): QcPackLoad {
  const errors: InputError[] = []
  const files = new Map<string, string>()
  const s = schemas(zod())
  const metaText = source.read(QC_MANIFEST)
  if (metaText === undefined) return {errors: [inputError(QC_MANIFEST, 0, '', 'file_missing', `a rules folder needs ${QC_MANIFEST}`, 'is this a qc-rules/1 folder? see docs/quality.md')]}
  files.set(QC_MANIFEST, metaText)
  const meta = parseMeta(metaText, s.meta, errors)
  const rulesText = source.read('rules.csv')
  if (rulesText === undefined) errors.push(inputError('rules.csv', 0, '', 'file_missing', 'the rules folder has no rules.csv'))
  else files.set('rules.csv', rulesText)
  const listsText = source.read('lists.csv')
  if (listsText !== undefined) files.set('lists.csv', listsText)
  if (meta === undefined || rulesText === undefined) return {errors}

  const lists = listsText === undefined ? new Map<string, QcList>() : readLists(listsText, s.lists, errors)
  const table = readTable('rules.csv', rulesText, ['id', 'severity', 'message', 'condition'], s.rules, {message: ['说明', '提示'], condition: ['条件'], severity: ['级别']})
  errors.push(...table.errors)
  const basisOf = basisColumn(rulesText)
  const seen = new Map<string, number>()
  const rules: QcRule[] = []
  for (const {line, value} of table.rows) {
    const first = seen.get(value.id)
    if (first !== undefined) errors.push(inputError('rules.csv', line, 'id', 'duplicate_key', `rule ${value.id} is given again (first at line ${first})`))
    seen.set(value.id, line)
    const parsed = parseRuleWith(value.condition, QC_GRAMMAR)
    if (!parsed.ok) {
      errors.push(inputError('rules.csv', line, 'condition', 'rule_syntax', `${parsed.message} in "${value.condition}"`))
      continue
    }
    for (const use of ruleLists(parsed.rule)) {
      const list = lists.get(use.list)
      const kind = isDxSubject(use.subject) ? 'dx' : 'px'
      if (list === undefined) errors.push(inputError('rules.csv', line, 'condition', 'reference_unknown', `list "${use.list}" is not in lists.csv`, lists.size > 0 ? `lists: ${[...lists.keys()].join(', ')}` : undefined))
      else if (list.kind !== kind) errors.push(inputError('rules.csv', line, 'condition', 'value_not_allowed', `${use.subject} is tested against ${kind} codes but list "${use.list}" holds ${list.kind} codes (lists.csv:${list.line})`))
    }
    rules.push({line, id: value.id, severity: value.severity, message: value.message, basis: basisOf(line), condition: parsed.rule, conditionSource: value.condition, needsDictionary: readsAny(parsed.rule, QC_DICTIONARY_FIELDS)})
  }
  if (rules.length === 0 && table.errors.length === 0) errors.push(inputError('rules.csv', 1, '', 'value_required', 'rules.csv has no rule'))
  if (errors.length > 0) return {errors}
  return {pack: {meta, sha256: qcPackHash(files), files, rules, lists}, errors: []}
}

function parseMeta(text: string, schema: ReturnType<typeof schemas>['meta'], errors: InputError[]): QcMeta | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    errors.push(inputError(QC_MANIFEST, 0, '', 'json_invalid', `not valid JSON: ${(error as Error).message}`))
    return undefined
  }
  const result = schema.safeParse(json)
  if (result.success) return result.data as QcMeta
  for (const issue of result.error.issues) errors.push(inputError(QC_MANIFEST, 0, issue.path.join('.'), issue.path[0] === 'format' ? 'format_unknown' : 'value_not_allowed', issue.message))
  return undefined
}

function readLists(text: string, schema: ReturnType<typeof schemas>['lists'], errors: InputError[]): Map<string, QcList> {
  const lists = new Map<string, QcList>()
  const table = readTable('lists.csv', text, ['list', 'kind', 'code'], schema)
  errors.push(...table.errors)
  for (const {line, value} of table.rows) {
    const name = value.list.toLowerCase()
    let list = lists.get(name)
    if (list === undefined) {
      list = {name, kind: value.kind, line, exact: new Set(), prefixes: [], ranges: []}
      lists.set(name, list)
    } else if (list.kind !== value.kind) {
      errors.push(inputError('lists.csv', line, 'kind', 'value_not_allowed', `list "${name}" holds ${list.kind} codes (line ${list.line}), not ${value.kind}`))
      continue
    }
    const code = value.code
    if (code.endsWith('*')) {
      list.prefixes.push(code.slice(0, -1))
    } else if (code.includes('-')) {
      const [low, high] = code.split('-') as [string, string]
      if (low.length !== high.length || low > high) errors.push(inputError('lists.csv', line, 'code', 'value_not_allowed', `range "${code}" must run from a lower to a higher code of the same length`))
      else list.ranges.push({low, high})
    } else {
      list.exact.add(code)
    }
  }
  return lists
}

/** The optional basis column of rules.csv (依据), by line. */
function basisColumn(text: string): (line: number) => string {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  if (!/(^|,)\s*(basis|依据)\s*(,|$)/.test(header)) return () => ''
  const table = readTable('rules.csv', text, ['basis'], zod().object({basis: zod().string()}), {basis: ['依据']})
  const byLine = new Map(table.rows.map((row) => [row.line, row.value.basis]))
  return (line) => byLine.get(line) ?? ''
}

function readsAny(rule: ExtRule, fields: ReadonlySet<string>): boolean {
  switch (rule.kind) {
    case 'or':
    case 'and':
      return rule.items.some((item) => readsAny(item, fields))
    case 'not':
      return readsAny(rule.item, fields)
    case 'cmp':
    case 'missing':
      return fields.has(rule.field)
    case 'cmp_field':
      return fields.has(rule.field) || fields.has(rule.other)
    default:
      return false
  }
}

/** The rules' version identity: sha256 over the manifest and the data files, in a fixed order. */
export function qcPackHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256')
  for (const name of [QC_MANIFEST, ...QC_FILES]) hash.update(`${name}\n${files.get(name) ?? ''}\n`)
  return hash.digest('hex')
}
