/**
 * Compiles a rules pack once into closures over its lists, and checks case after case against
 * every rule in one pass. Each code a case brings is looked up once, in a table of the codes seen
 * so far (a region's codes repeat) that holds, per code, a bit for each list it is in and one for
 * whether the scheme's dictionary knows it; a rule's list test is then a bit test.
 *
 *   const qc = compileQc(pack, dictionary)
 *   const c = qc.caseOf(record);  qc.failed(c) → [0, 7]   (indexes into qc.rules)
 *   qc.evidence(7, c) → 'los_date_gap 4'
 */
import {assert} from '../errors.js'
import {type ExtOperator, type ExtRule, ruleText, type Subject} from '../grouper/rule-parse.js'
import {fieldIndex, fieldText, QC_FIELDS, type QcCase, type QcDictionary, qcFieldsOf, type QcRecord} from './qc-case.js'
import {CodeTable, inList} from './code-table.js'
import type {QcList, QcPack, QcRule} from './qc-pack.js'

type Predicate = (qcCase: QcCase) => boolean

export interface CompiledQc {
  readonly rules: readonly QcRule[]
  /** Rules that read the code dictionary, left out because the check has no scheme. */
  readonly notRun: readonly QcRule[]
  readonly dictionary: QcDictionary | undefined
  /** The case as the rules see it: its fields, and its codes looked up once. */
  caseOf(record: QcRecord): QcCase
  /** Indexes (into `rules`) of the rules the case fails, in the pack's order. */
  failed(qcCase: QcCase): number[]
  /** What made rule `index` hold for the case: the codes and values it read. */
  evidence(index: number, qcCase: QcCase): string
}

function codesOf(qcCase: QcCase, subject: Subject): readonly string[] {
  switch (subject) {
    case 'pdx':
      return qcCase.dx.slice(0, 1)
    case 'any_dx':
      return qcCase.dx
    case 'secondary_dx':
      return qcCase.dx.slice(1)
    case 'main_px':
      return qcCase.px.slice(0, 1)
    case 'any_px':
      return qcCase.px
  }
}

function membership(subject: Subject, table: CodeTable, bit: number): Predicate {
  const has = (ids: Int32Array, from: number, to: number): boolean => {
    for (let k = from; k < to; k++) if (table.has(ids[k]!, bit)) return true
    return false
  }
  switch (subject) {
    case 'pdx':
      return (c) => has(c.dxIds, 0, Math.min(1, c.dxCount))
    case 'main_px':
      return (c) => has(c.pxIds, 0, Math.min(1, c.pxCount))
    case 'any_dx':
      return (c) => has(c.dxIds, 0, c.dxCount)
    case 'any_px':
      return (c) => has(c.pxIds, 0, c.pxCount)
    case 'secondary_dx':
      return (c) => has(c.dxIds, 1, c.dxCount)
  }
}

/** A comparison; a value the case does not give (NaN) makes every comparison false, `!=` too. */
function compare(op: ExtOperator): (a: number, b: number) => boolean {
  switch (op) {
    case '=':
      return (a, b) => a === b
    case '!=':
      return (a, b) => a !== b && a === a && b === b
    case '<':
      return (a, b) => a < b
    case '<=':
      return (a, b) => a <= b
    case '>':
      return (a, b) => a > b
    case '>=':
      return (a, b) => a >= b
  }
}

/** Where a list's bit is: in the dx or px table, at its position among that kind's lists. */
interface ListAt {
  readonly table: CodeTable
  readonly bit: number
  readonly list: QcList
}

function compile(rule: ExtRule, lists: ReadonlyMap<string, ListAt>): Predicate {
  switch (rule.kind) {
    case 'true':
      return () => true
    case 'not': {
      const inner = compile(rule.item, lists)
      return (c) => !inner(c)
    }
    case 'and': {
      const items = rule.items.map((item) => compile(item, lists))
      return (c) => items.every((item) => item(c))
    }
    case 'or': {
      const items = rule.items.map((item) => compile(item, lists))
      return (c) => items.some((item) => item(c))
    }
    case 'in': {
      const at = lists.get(rule.list)
      assert(at !== undefined, `list ${rule.list} was checked when the rules loaded`)
      return membership(rule.subject, at.table, at.bit)
    }
    case 'cmp': {
      const at = fieldIndex(rule.field)
      const test = compare(rule.op)
      const value = rule.value
      return (c) => test(c.fields[at]!, value)
    }
    case 'cmp_field': {
      const at = fieldIndex(rule.field)
      const other = fieldIndex(rule.other)
      const test = compare(rule.op)
      return (c) => test(c.fields[at]!, c.fields[other]!)
    }
    case 'missing': {
      const at = fieldIndex(rule.field)
      return (c) => Number.isNaN(c.fields[at]!)
    }
    case 'has_cc':
    case 'has_mcc':
      assert(false, `${rule.kind} is not in the quality grammar`)
      return () => false
  }
}

/** The fields a rule reads and the codes of its lists the case has, for its evidence. */
function evidenceOf(rule: ExtRule, qcCase: QcCase, lists: ReadonlyMap<string, ListAt>, out: string[]): void {
  switch (rule.kind) {
    case 'or':
    case 'and':
      for (const item of rule.items) evidenceOf(item, qcCase, lists, out)
      break
    case 'not':
      evidenceOf(rule.item, qcCase, lists, out)
      break
    case 'in': {
      const {list} = lists.get(rule.list)!
      const hits = codesOf(qcCase, rule.subject).filter((code) => inList(list, code))
      if (hits.length > 0) out.push(`${rule.subject} ${hits.join('|')} in ${rule.list}`)
      break
    }
    case 'cmp':
    case 'missing':
      out.push(`${rule.field} ${fieldText(qcCase, rule.field)}`)
      break
    case 'cmp_field':
      out.push(`${rule.field} ${fieldText(qcCase, rule.field)}`, `${rule.other} ${fieldText(qcCase, rule.other)}`)
      break
    default:
      break
  }
}

export function compileQc(pack: QcPack, dictionary?: QcDictionary): CompiledQc {
  const ofKind = (kind: 'dx' | 'px') => [...pack.lists.values()].filter((list) => list.kind === kind)
  const dxTable = new CodeTable(ofKind('dx'), dictionary === undefined ? undefined : (code) => dictionary.hasDx(code))
  const pxTable = new CodeTable(ofKind('px'), dictionary === undefined ? undefined : (code) => dictionary.hasPx(code))
  const lists = new Map<string, ListAt>()
  for (const [kind, table] of [['dx', dxTable], ['px', pxTable]] as const) ofKind(kind).forEach((list, bit) => lists.set(list.name, {table, bit, list}))
  const idsInto = (table: CodeTable, codes: readonly string[], ids: Int32Array): Int32Array => {
    const into = ids.length >= codes.length ? ids : new Int32Array(codes.length * 2)
    for (let k = 0; k < codes.length; k++) into[k] = table.id(codes[k]!)
    return into
  }
  // A code given again: its id is among those before it (a case has a few codes).
  const repeats = (ids: Int32Array, count: number): number => {
    let n = 0
    for (let k = 1; k < count; k++) {
      for (let j = 0; j < k; j++) {
        if (ids[j] === ids[k]) {
          n++
          break
        }
      }
    }
    return n
  }
  const unknown = (table: CodeTable, ids: Int32Array, count: number): number => {
    let n = 0
    for (let k = 0; k < count; k++) if (!table.has(ids[k]!, table.knownBit)) n++
    return n
  }
  const at = {dxRepeats: fieldIndex('dx_repeats'), pxRepeats: fieldIndex('px_repeats'), unknownDx: fieldIndex('unknown_dx'), unknownPx: fieldIndex('unknown_px')}
  const current: {fields: Float64Array; dx: string[]; px: string[]; dxIds: Int32Array; dxCount: number; pxIds: Int32Array; pxCount: number} = {
    fields: new Float64Array(QC_FIELDS.length),
    dx: [],
    px: [],
    dxIds: new Int32Array(32),
    dxCount: 0,
    pxIds: new Int32Array(32),
    pxCount: 0,
  }
  const rules = pack.rules.filter((rule) => dictionary !== undefined || !rule.needsDictionary)
  const notRun = pack.rules.filter((rule) => dictionary === undefined && rule.needsDictionary)
  const tests = rules.map((rule) => compile(rule.condition, lists))
  return {
    rules,
    notRun,
    dictionary,
    caseOf(record) {
      dxTable.resetIfFull()
      pxTable.resetIfFull()
      const c = current
      const {dx, px} = qcFieldsOf(record, c.fields)
      c.dx = dx
      c.px = px
      c.dxIds = idsInto(dxTable, dx, c.dxIds)
      c.dxCount = dx.length
      c.pxIds = idsInto(pxTable, px, c.pxIds)
      c.pxCount = px.length
      c.fields[at.dxRepeats] = repeats(c.dxIds, c.dxCount)
      c.fields[at.pxRepeats] = repeats(c.pxIds, c.pxCount)
      if (dictionary !== undefined) {
        c.fields[at.unknownDx] = unknown(dxTable, c.dxIds, c.dxCount)
        c.fields[at.unknownPx] = unknown(pxTable, c.pxIds, c.pxCount)
      }
      return c
    },
    failed(qcCase) {
      const out: number[] = []
      for (let k = 0; k < tests.length; k++) if (tests[k]!(qcCase)) out.push(k)
      return out
    },
    evidence(index, qcCase) {
      const out: string[] = []
      evidenceOf(rules[index]!.condition, qcCase, lists, out)
      return [...new Set(out)].join('; ') || ruleText(rules[index]!.condition)
    },
  }
}
