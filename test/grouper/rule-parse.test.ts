// Proves the rule language parses as docs/scheme-pack.md defines it (precedence, case,
// parentheses) and that syntax errors say where they are.
import {describe, expect, it} from 'vitest'
import {parseRule, ruleLists, ruleText} from '../../src/grouper/rule-parse.js'

describe('parseRule', () => {
  it('binds and tighter than or, and not tighter than and', () => {
    const parsed = parseRule('pdx in a or not main_px in b and age_days <= 28')
    expect(parsed.ok && ruleText(parsed.rule)).toBe('pdx in a or not main_px in b and age_days <= 28')
    expect(parsed.ok && parsed.rule.kind).toBe('or')
    expect(parsed.ok && parsed.rule.kind === 'or' && parsed.rule.items[1]!.kind).toBe('and')
  })

  it('is case-insensitive and keeps list names in lower case', () => {
    const parsed = parseRule('PDX IN ZD AND Has_CC')
    expect(parsed).toEqual({ok: true, rule: {kind: 'and', items: [{kind: 'in', subject: 'pdx', list: 'zd'}, {kind: 'has_cc'}]}})
  })

  it('honours parentheses', () => {
    const parsed = parseRule('pdx in zd and (any_px in a or (any_px in b and any_px in c))')
    expect(parsed.ok && ruleLists(parsed.rule).map((l) => l.list)).toEqual(['zd', 'a', 'b', 'c'])
  })

  it.each([
    ['pdx in', 'expected more of the rule but found the end of the rule'],
    ['age_days ~ 3', 'expected one of = < <= > >= but found "~" at character 10'],
    ['age_days < x', 'expected an integer but found "x" at character 12'],
    ['pdx zd', 'expected "in" but found "zd" at character 5'],
    ['(pdx in zd', 'expected ")" but found the end of the rule'],
    ['pdx in zd zz', 'expected "and", "or" or the end of the rule but found "zz" at character 11'],
    ['weight > 3', 'unknown field "weight" at character 1 (fields: sex, age_years, age_days, birth_weight_g, los_days, body_regions; subjects: pdx, main_px, any_px, any_dx, secondary_dx)'],
    ['', 'the rule is empty'],
  ])('rejects %j: %s', (source, message) => {
    expect(parseRule(source)).toEqual({ok: false, message})
  })
})
