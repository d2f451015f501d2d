/**
 * Compiles a parsed rule once into a closure over `Set`s, plus an explainer that says which
 * codes in which lists made it true (read only for the matched rules, when a trace is asked for).
 *
 *   const rule = compileRule(parseRule('main_px in ss').rule, name => lists.get(name))
 *   rule.test(view) → true;  rule.explain(view) → ['main_px in ss[BB1] (01.2401)']
 */
import {assert} from '../errors.js'
import type {CaseView} from './case-view.js'
import {type Field, type Operator, type Rule, ruleText, type Subject} from './rule-parse.js'

export type Predicate = (view: CaseView) => boolean

/** A resolved list: its codes as a Set of the scheme's code ids, and the owner it was found under (for the trace). */
export interface ListSet {
  readonly name: string
  readonly owner: string
  readonly ids: ReadonlySet<number>
}

export interface CompiledRule {
  readonly test: Predicate
  /** Evidence for a rule that holds for this view; empty when it does not hold. */
  explain(view: CaseView): string[]
}

/** Resolves a list name for a subject (diagnosis lists and procedure lists have separate code ids). */
export type ListResolver = (name: string, subject: Subject) => ListSet | undefined

export function compileRule(rule: Rule, resolve: ListResolver): CompiledRule {
  const test = compileTest(rule, resolve)
  return {
    test,
    explain(view) {
      const evidence: string[] = []
      return explainInto(rule, resolve, view, evidence) ? evidence : []
    },
  }
}

function compileTest(rule: Rule, resolve: ListResolver): Predicate {
  switch (rule.kind) {
    case 'true':
      return () => true
    case 'has_mcc':
      return (view) => view.hasMcc()
    case 'has_cc':
      return (view) => view.hasCc()
    case 'not': {
      const inner = compileTest(rule.item, resolve)
      return (view) => !inner(view)
    }
    case 'and': {
      const items = rule.items.map((item) => compileTest(item, resolve))
      if (items.length === 2) {
        const [a, b] = items as [Predicate, Predicate]
        return (view) => a(view) && b(view)
      }
      return (view) => items.every((item) => item(view))
    }
    case 'or': {
      const items = rule.items.map((item) => compileTest(item, resolve))
      if (items.length === 2) {
        const [a, b] = items as [Predicate, Predicate]
        return (view) => a(view) || b(view)
      }
      return (view) => items.some((item) => item(view))
    }
    case 'in':
      return membership(rule.subject, listOf(resolve, rule).ids)
    case 'cmp':
      return comparison(fieldReader(rule.field), rule.op, rule.value)
  }
}

function listOf(resolve: ListResolver, rule: {readonly subject: Subject; readonly list: string}): ListSet {
  const list = resolve(rule.list, rule.subject)
  assert(list !== undefined, `list "${rule.list}" was checked when the pack loaded`)
  return list
}

function membership(subject: Subject, ids: ReadonlySet<number>): Predicate {
  switch (subject) {
    case 'pdx':
      return (view) => ids.has(view.pdx)
    case 'main_px':
      return (view) => ids.has(view.mainPx)
    case 'any_px':
      return (view) => anyIn(view.px, 0, view.pxCount, ids)
    case 'any_dx':
      return (view) => anyIn(view.dx, 0, view.dxCount, ids)
    case 'secondary_dx':
      return (view) => anyIn(view.dx, 1, view.dxCount, ids)
  }
}

function anyIn(codes: Int32Array, from: number, to: number, ids: ReadonlySet<number>): boolean {
  for (let k = from; k < to; k++) if (ids.has(codes[k]!)) return true
  return false
}

/** Positions in the case's code arrays that a subject ranges over. */
function subjectRange(view: CaseView, subject: Subject): {ids: Int32Array; codes: readonly string[]; from: number; to: number} {
  switch (subject) {
    case 'pdx':
      return {ids: view.dx, codes: view.case.dx, from: 0, to: Math.min(1, view.dxCount)}
    case 'any_dx':
      return {ids: view.dx, codes: view.case.dx, from: 0, to: view.dxCount}
    case 'secondary_dx':
      return {ids: view.dx, codes: view.case.dx, from: 1, to: view.dxCount}
    case 'main_px':
      return {ids: view.px, codes: view.case.px, from: 0, to: Math.min(1, view.pxCount)}
    case 'any_px':
      return {ids: view.px, codes: view.case.px, from: 0, to: view.pxCount}
  }
}

type Reader = (view: CaseView) => number

function fieldReader(field: Field): Reader {
  switch (field) {
    case 'sex':
      return (view) => view.case.sex
    case 'age_years':
      return (view) => view.case.ageYears
    case 'age_days':
      return (view) => view.case.ageDays
    case 'birth_weight_g':
      return (view) => view.case.birthWeightG
    case 'los_days':
      return (view) => view.case.losDays
    case 'body_regions':
      return (view) => view.bodyRegions()
  }
}

function comparison(read: Reader, op: Operator, value: number): Predicate {
  switch (op) {
    case '=':
      return (view) => read(view) === value
    case '<':
      return (view) => read(view) < value
    case '<=':
      return (view) => read(view) <= value
    case '>':
      return (view) => read(view) > value
    case '>=':
      return (view) => read(view) >= value
  }
}

function explainInto(rule: Rule, resolve: ListResolver, view: CaseView, out: string[]): boolean {
  switch (rule.kind) {
    case 'true':
      out.push('true')
      return true
    case 'has_mcc':
    case 'has_cc': {
      const holds = rule.kind === 'has_mcc' ? view.hasMcc() : view.hasCc()
      if (!holds) return false
      const counted = view.complicationDetail().filter((line) => line.counted && (rule.kind === 'has_cc' || line.level === 'MCC'))
      out.push(`${rule.kind} via ${counted.map((line) => `${line.code} ${line.level}`).join(', ')}`)
      return true
    }
    case 'not': {
      if (compileTest(rule.item, resolve)(view)) return false
      out.push(`not (${ruleText(rule.item)})`)
      return true
    }
    case 'and': {
      const parts: string[] = []
      for (const item of rule.items) if (!explainInto(item, resolve, view, parts)) return false
      out.push(...parts)
      return true
    }
    case 'or':
      return rule.items.some((item) => explainInto(item, resolve, view, out))
    case 'in': {
      const list = listOf(resolve, rule)
      const range = subjectRange(view, rule.subject)
      for (let k = range.from; k < range.to; k++) {
        if (list.ids.has(range.ids[k]!)) {
          out.push(`${rule.subject} in ${rule.list}[${list.owner}] (${range.codes[k]})`)
          return true
        }
      }
      return false
    }
    case 'cmp': {
      const actual = fieldReader(rule.field)(view)
      if (!comparison(() => actual, rule.op, rule.value)(view)) return false
      out.push(`${rule.field} ${rule.op} ${rule.value} (${rule.field} = ${actual})`)
      return true
    }
  }
}
