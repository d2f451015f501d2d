/**
 * Parser for the scheme-pack rule language (docs/scheme-pack.md):
 *
 *   parseRule('pdx in zd and (age_days <= 28 or birth_weight_g < 2500)')
 *   → {kind: 'and', items: [{kind: 'in', subject: 'pdx', list: 'zd'}, {kind: 'or', …}]}
 *
 * Keywords, subjects, fields and list names are case-insensitive; list names are kept in
 * lower case. A syntax error is returned as a message with its character position.
 */

export type Subject = 'pdx' | 'main_px' | 'any_px' | 'any_dx' | 'secondary_dx'
export type Field = 'sex' | 'age_years' | 'age_days' | 'birth_weight_g' | 'los_days' | 'body_regions'
export type Operator = '=' | '<' | '<=' | '>' | '>='

export type Rule =
  | {readonly kind: 'or'; readonly items: readonly Rule[]}
  | {readonly kind: 'and'; readonly items: readonly Rule[]}
  | {readonly kind: 'not'; readonly item: Rule}
  | {readonly kind: 'true'}
  | {readonly kind: 'has_mcc'}
  | {readonly kind: 'has_cc'}
  | {readonly kind: 'in'; readonly subject: Subject; readonly list: string}
  | {readonly kind: 'cmp'; readonly field: Field; readonly op: Operator; readonly value: number}

export const SUBJECTS: readonly Subject[] = ['pdx', 'main_px', 'any_px', 'any_dx', 'secondary_dx']
export const FIELDS: readonly Field[] = ['sex', 'age_years', 'age_days', 'birth_weight_g', 'los_days', 'body_regions']
const OPERATORS: readonly string[] = ['=', '<', '<=', '>', '>=']

export function isDxSubject(subject: Subject): boolean {
  return subject === 'pdx' || subject === 'any_dx' || subject === 'secondary_dx'
}

interface Token {
  readonly text: string
  readonly position: number
}

const TOKEN = /\s*(<=|>=|[()<>=]|[A-Za-z_][A-Za-z0-9_.]*|-?[0-9]+|\S)/y

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  for (;;) {
    const start = TOKEN.lastIndex
    const match = TOKEN.exec(source)
    if (match === null || match[1] === undefined) break
    tokens.push({text: match[1], position: start + match[0].length - match[1].length + 1})
  }
  return tokens
}

export class RuleSyntaxError extends Error {}

export type ParseResult = {readonly ok: true; readonly rule: Rule} | {readonly ok: false; readonly message: string}

export function parseRule(source: string): ParseResult {
  const tokens = tokenize(source)
  let index = 0
  const peek = (): string => (tokens[index]?.text ?? '').toLowerCase()
  const fail = (expected: string): never => {
    const token = tokens[index]
    const found = token ? `"${token.text}" at character ${token.position}` : 'the end of the rule'
    throw new RuleSyntaxError(`expected ${expected} but found ${found}`)
  }
  const take = (): string => {
    const token = tokens[index]
    if (token === undefined) return fail('more of the rule')
    index++
    return token.text
  }

  const expr = (): Rule => {
    const items = [term()]
    while (peek() === 'or') {
      index++
      items.push(term())
    }
    return items.length === 1 ? items[0]! : {kind: 'or', items}
  }
  const term = (): Rule => {
    const items = [factor()]
    while (peek() === 'and') {
      index++
      items.push(factor())
    }
    return items.length === 1 ? items[0]! : {kind: 'and', items}
  }
  const factor = (): Rule => {
    const word = peek()
    if (word === 'not') {
      index++
      return {kind: 'not', item: factor()}
    }
    if (word === '(') {
      index++
      const inner = expr()
      if (peek() !== ')') fail('")"')
      index++
      return inner
    }
    if (word === 'true' || word === 'has_mcc' || word === 'has_cc') {
      index++
      return {kind: word}
    }
    if ((SUBJECTS as readonly string[]).includes(word)) {
      index++
      if (peek() !== 'in') fail('"in"')
      index++
      const list = take().toLowerCase()
      if (!/^[a-z_][a-z0-9_.]*$/.test(list)) {
        index--
        fail('a list name')
      }
      return {kind: 'in', subject: word as Subject, list}
    }
    if ((FIELDS as readonly string[]).includes(word)) {
      index++
      const op = peek()
      if (!OPERATORS.includes(op)) fail('one of = < <= > >=')
      index++
      const number = take()
      if (!/^-?[0-9]+$/.test(number)) {
        index--
        fail('an integer')
      }
      return {kind: 'cmp', field: word as Field, op: op as Operator, value: Number.parseInt(number, 10)}
    }
    return fail('a condition (true, has_cc, has_mcc, "<subject> in <list>" or "<field> <op> <integer>")')
  }

  try {
    if (tokens.length === 0) return {ok: false, message: 'the rule is empty'}
    const rule = expr()
    if (index < tokens.length) fail('"and", "or" or the end of the rule')
    return {ok: true, rule}
  } catch (error) {
    if (error instanceof RuleSyntaxError) return {ok: false, message: error.message}
    throw error
  }
}

/** Canonical text of a rule, for traces and `yb scheme show`. */
export function ruleText(rule: Rule): string {
  switch (rule.kind) {
    case 'or':
      return rule.items.map((item) => (item.kind === 'or' ? `(${ruleText(item)})` : ruleText(item))).join(' or ')
    case 'and':
      return rule.items.map((item) => (item.kind === 'or' ? `(${ruleText(item)})` : ruleText(item))).join(' and ')
    case 'not':
      return rule.item.kind === 'or' || rule.item.kind === 'and' ? `not (${ruleText(rule.item)})` : `not ${ruleText(rule.item)}`
    case 'in':
      return `${rule.subject} in ${rule.list}`
    case 'cmp':
      return `${rule.field} ${rule.op} ${rule.value}`
    default:
      return rule.kind
  }
}

/** Every list a rule names, with the subject it is tested against. */
export function ruleLists(rule: Rule, out: {subject: Subject; list: string}[] = []): {subject: Subject; list: string}[] {
  switch (rule.kind) {
    case 'or':
    case 'and':
      for (const item of rule.items) ruleLists(item, out)
      break
    case 'not':
      ruleLists(rule.item, out)
      break
    case 'in':
      out.push({subject: rule.subject, list: rule.list})
      break
    default:
      break
  }
  return out
}
