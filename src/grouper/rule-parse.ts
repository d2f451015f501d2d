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
/** The quality-rule language (src/quality) adds "not equal". */
export type ExtOperator = Operator | '!='

/** A rule of a language over fields F with operators O; Leaf: the conditions a language adds. */
type RuleOf<F extends string, O extends string, Leaf> =
  | {readonly kind: 'or'; readonly items: readonly RuleOf<F, O, Leaf>[]}
  | {readonly kind: 'and'; readonly items: readonly RuleOf<F, O, Leaf>[]}
  | {readonly kind: 'not'; readonly item: RuleOf<F, O, Leaf>}
  | {readonly kind: 'true'}
  | {readonly kind: 'has_mcc'}
  | {readonly kind: 'has_cc'}
  | {readonly kind: 'in'; readonly subject: Subject; readonly list: string}
  | {readonly kind: 'cmp'; readonly field: F; readonly op: O; readonly value: number}
  | Leaf

/** The scheme pack's rules (docs/scheme-pack.md). */
export type Rule = RuleOf<Field, Operator, never>

/**
 * A rule of a language built on the scheme's: the quality rules of src/quality compare fields
 * with each other (`los_days != date_days`), test a value that was not given (`missing
 * birth_weight_g`) and compare amounts in 元 (read as integer 分).
 */
export type ExtRule = RuleOf<string, ExtOperator, {readonly kind: 'cmp_field'; readonly field: string; readonly op: ExtOperator; readonly other: string} | {readonly kind: 'missing'; readonly field: string}>

export const SUBJECTS: readonly Subject[] = ['pdx', 'main_px', 'any_px', 'any_dx', 'secondary_dx']
export const FIELDS: readonly Field[] = ['sex', 'age_years', 'age_days', 'birth_weight_g', 'los_days', 'body_regions']
const OPERATORS: readonly string[] = ['=', '<', '<=', '>', '>=']
const EXT_OPERATORS: readonly string[] = [...OPERATORS, '!=']

/** What a rule language has: its subjects, fields and keywords, and whether it is the extended one. */
export interface Grammar {
  readonly subjects: readonly string[]
  readonly fields: readonly string[]
  readonly keywords: readonly ('true' | 'has_mcc' | 'has_cc')[]
  /** Extended: `!=`, a field on the right, `missing <field>`, and amounts in 元 for these fields. */
  readonly extended?: {readonly moneyFields: ReadonlySet<string>}
}

/** The scheme pack's language (docs/scheme-pack.md). */
export const SCHEME_GRAMMAR: Grammar = {subjects: SUBJECTS, fields: FIELDS, keywords: ['true', 'has_mcc', 'has_cc']}

export function isDxSubject(subject: Subject): boolean {
  return subject === 'pdx' || subject === 'any_dx' || subject === 'secondary_dx'
}

interface Token {
  readonly text: string
  readonly position: number
}

const TOKEN = /\s*(<=|>=|!=|[()<>=]|[A-Za-z_][A-Za-z0-9_.]*|-?[0-9]+(?:\.[0-9]+)?|\S)/y

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
  // The scheme grammar makes only the kinds of Rule (no cmp_field, missing or '!=').
  return parseRuleWith(source, SCHEME_GRAMMAR) as ParseResult
}

export type ExtParseResult = {readonly ok: true; readonly rule: ExtRule} | {readonly ok: false; readonly message: string}

/** 2-decimal 元 → integer 分, exactly (the text is digits with at most 2 decimals). */
function fenOf(text: string): number | undefined {
  const match = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(text)
  if (match === null) return undefined
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] === '-' ? -fen : fen
}

export function parseRuleWith(source: string, grammar: Grammar): ExtParseResult {
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

  const expr = (): ExtRule => {
    const items = [term()]
    while (peek() === 'or') {
      index++
      items.push(term())
    }
    return items.length === 1 ? items[0]! : {kind: 'or', items}
  }
  const term = (): ExtRule => {
    const items = [factor()]
    while (peek() === 'and') {
      index++
      items.push(factor())
    }
    return items.length === 1 ? items[0]! : {kind: 'and', items}
  }
  const factor = (): ExtRule => {
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
    if ((grammar.keywords as readonly string[]).includes(word)) {
      index++
      return {kind: word as 'true' | 'has_mcc' | 'has_cc'}
    }
    if (grammar.extended !== undefined && word === 'missing') {
      index++
      const field = take().toLowerCase()
      if (!grammar.fields.includes(field)) {
        index--
        fail(`a field after "missing" (${grammar.fields.join(', ')})`)
      }
      return {kind: 'missing', field}
    }
    if (grammar.subjects.includes(word)) {
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
    if (grammar.fields.includes(word)) {
      index++
      const op = peek()
      const operators = grammar.extended === undefined ? OPERATORS : EXT_OPERATORS
      if (!operators.includes(op)) fail(`one of ${operators.join(' ')}`)
      index++
      const right = take()
      const money = grammar.extended?.moneyFields.has(word) === true
      if (grammar.extended !== undefined && grammar.fields.includes(right.toLowerCase())) {
        const other = right.toLowerCase()
        if (money !== grammar.extended.moneyFields.has(other)) {
          index--
          fail(`a field in the unit of ${word} (${money ? 'an amount' : 'not an amount'})`)
        }
        return {kind: 'cmp_field', field: word, op: op as ExtOperator, other}
      }
      const value = money ? fenOf(right) : /^-?[0-9]+$/.test(right) ? Number.parseInt(right, 10) : undefined
      if (value === undefined) {
        index--
        fail(money ? 'an amount in 元 with at most 2 decimals, or a field' : grammar.extended === undefined ? 'an integer' : 'an integer or a field')
      }
      return {kind: 'cmp', field: word, op: op as ExtOperator, value: value!}
    }
    if (/^[a-z_][a-z0-9_.]*$/.test(word) && !['and', 'or', 'in'].includes(word)) {
      const token = tokens[index]!
      throw new RuleSyntaxError(`unknown field "${token.text}" at character ${token.position} (fields: ${grammar.fields.join(', ')}; subjects: ${grammar.subjects.join(', ')})`)
    }
    const keywords = [...grammar.keywords, ...(grammar.extended === undefined ? [] : ['missing <field>'])].join(', ')
    return fail(`a condition (${keywords}, "<subject> in <list>" or "<field> <op> ${grammar.extended === undefined ? '<integer>' : '<value or field>'}")`)
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
export function ruleText(rule: ExtRule): string {
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
    case 'cmp_field':
      return `${rule.field} ${rule.op} ${rule.other}`
    case 'missing':
      return `missing ${rule.field}`
    default:
      return rule.kind
  }
}

/** Every list a rule names, with the subject it is tested against. */
export function ruleLists(rule: ExtRule, out: {subject: Subject; list: string}[] = []): {subject: Subject; list: string}[] {
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
