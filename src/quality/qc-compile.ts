/**
 * Compiles a rules pack once into closures over its lists, and checks case after case against
 * every rule in one pass. A list's answer for a code is remembered (a region's codes repeat), so
 * a case costs a few map lookups per rule.
 *
 *   const qc = compileQc(pack, dictionary)
 *   qc.failed(qcCaseOf(record, dictionary)) → [0, 7]   (indexes into qc.rules)
 *   qc.evidence(7, qcCase) → 'los_date_gap = 3 (los_days 12, date_days 9)'
 */
import {assert} from '../errors.js'
import {type ExtOperator, type ExtRule, ruleText, type Subject} from '../grouper/rule-parse.js'
import {fieldIndex, fieldText, type QcCase, type QcDictionary} from './qc-case.js'
import type {QcList, QcPack, QcRule} from './qc-pack.js'

type Predicate = (qcCase: QcCase) => boolean

export interface CompiledQc {
  readonly rules: readonly QcRule[]
  /** Rules that read the code dictionary, left out because the check has no scheme. */
  readonly notRun: readonly QcRule[]
  readonly dictionary: QcDictionary | undefined
  /** Indexes (into `rules`) of the rules the case fails, in the pack's order. */
  failed(qcCase: QcCase): number[]
  /** What made rule `index` hold for the case: the codes and values it read. */
  evidence(index: number, qcCase: QcCase): string
}

/** A list's membership test by code text, remembered per code. */
function member(list: QcList): (code: string) => boolean {
  const known = new Map<string, boolean>()
  const compute = (code: string): boolean => {
    if (list.exact.has(code)) return true
    for (const prefix of list.prefixes) if (code.startsWith(prefix)) return true
    for (const {low, high} of list.ranges) {
      const start = code.slice(0, low.length)
      if (start >= low && start <= high) return true
    }
    return false
  }
  return (code) => {
    let answer = known.get(code)
    if (answer === undefined) {
      answer = compute(code)
      if (known.size < 200_000) known.set(code, answer)
    }
    return answer
  }
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

function membership(subject: Subject, has: (code: string) => boolean): Predicate {
  switch (subject) {
    case 'pdx':
      return (c) => c.dx.length > 0 && has(c.dx[0]!)
    case 'main_px':
      return (c) => c.px.length > 0 && has(c.px[0]!)
    case 'any_dx':
      return (c) => c.dx.some(has)
    case 'any_px':
      return (c) => c.px.some(has)
    case 'secondary_dx':
      return (c) => {
        for (let k = 1; k < c.dx.length; k++) if (has(c.dx[k]!)) return true
        return false
      }
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

function compile(rule: ExtRule, lists: ReadonlyMap<string, (code: string) => boolean>): Predicate {
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
      const has = lists.get(rule.list)
      assert(has !== undefined, `list ${rule.list} was checked when the rules loaded`)
      return membership(rule.subject, has)
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
function evidenceOf(rule: ExtRule, qcCase: QcCase, lists: ReadonlyMap<string, (code: string) => boolean>, out: string[]): void {
  switch (rule.kind) {
    case 'or':
    case 'and':
      for (const item of rule.items) evidenceOf(item, qcCase, lists, out)
      break
    case 'not':
      evidenceOf(rule.item, qcCase, lists, out)
      break
    case 'in': {
      const has = lists.get(rule.list)!
      const hits = codesOf(qcCase, rule.subject).filter(has)
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
  const lists = new Map([...pack.lists].map(([name, list]) => [name, member(list)]))
  const rules = pack.rules.filter((rule) => dictionary !== undefined || !rule.needsDictionary)
  const notRun = pack.rules.filter((rule) => dictionary === undefined && rule.needsDictionary)
  const tests = rules.map((rule) => compile(rule.condition, lists))
  return {
    rules,
    notRun,
    dictionary,
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
