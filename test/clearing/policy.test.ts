// Proves the policy file is read exactly (decimals as text, never floats), that the template
// `yb policy init` writes is valid for DRG and DIP years, and that each kind of mistake is
// reported with its path and line.
import {describe, expect, it} from 'vitest'
import {parsePolicy} from '../../src/clearing/policy.js'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {formatInputError} from '../../src/errors.js'

const template = (method: 'DRG' | 'DIP' = 'DRG') => policyTemplate({year: 2025, regionCode: '230100', regionName: '哈尔滨市', scheme: 'harbin-2022', method})
const errorsOf = (text: string) => parsePolicy('p.yaml', text).errors.map(formatInputError)
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1

describe('parsePolicy', () => {
  it('reads the template for a DRG year and a DIP year', () => {
    const drg = parsePolicy('p.yaml', template())
    expect(drg.errors).toEqual([])
    expect(drg.policy?.file).toMatchObject({year: 2025, method: 'DRG', pools: ['职工', '居民'], scheme: 'harbin-2022'})
    expect(parsePolicy('p.yaml', template('DIP')).policy?.dipSettleMethod).toBe('TOTAL_COST')
  })

  it('keeps decimals exact: 0.1 + 0.2 of the file is 0.3', () => {
    const text = template().replace('growth: 0.05', 'growth: 0.1').replace('reserve_rate: 0.05', 'reserve_rate: 0.2')
    const budget = parsePolicy('p.yaml', text).policy!.file.budget
    expect(budget.growth.plus(budget.reserve_rate).toString()).toBe('0.3')
    expect(budget.base_yuan.toFixed(2)).toBe('1000000000.00')
  })

  it('turns the band and threshold sections into engine rules', () => {
    const policy = parsePolicy('p.yaml', template()).policy!
    expect(policy.band).toMatchObject({variant: 'V2_QUOTA_BANDS'})
    expect(policy.band.variant === 'V2_QUOTA_BANDS' && policy.band.rewardCap.toString()).toBe('0.03')
    expect(policy.highThreshold.variant === 'RW_TIERED' && policy.highThreshold.tiers.map((t) => [t.weightMax?.toString() ?? null, t.times.toString()])).toEqual([
      ['1', '3'],
      ['2', '2'],
      [null, '1.5'],
    ])
  })

  it('reports a value that is not a decimal, and a ratio above 1, at their lines', () => {
    const text = template().replace('growth: 0.05', 'growth: 5%').replace('reward: 0.30', 'reward: 1.30')
    expect(errorsOf(text)).toEqual([
      `p.yaml:${lineOf(text, 'growth: 5%')} budget.growth: must be a decimal number such as 0.05 (no commas, no exponent)`,
      `p.yaml:${lineOf(text, 'reward: 1.30')} band.reward: must be between 0 and 1`,
    ])
  })

  it('reports a missing section at its parent and an unknown variant', () => {
    const text = template().replace('mode: SCORE_PCT', 'mode: PERCENT')
    expect(errorsOf(text)).toEqual([`p.yaml:${lineOf(text, 'mode: PERCENT')} assessment.mode: Invalid option: expected one of "SCORE_PCT"|"COEFFICIENT"`])
    const noYear = template().replace('year: 2025\n', '')
    expect(errorsOf(noYear)).toEqual(['p.yaml:4 year: Invalid input: expected string, received undefined'])
  })

  it('checks pools across sections and that pool shares add up to 1', () => {
    const text = template().replace('fund_ratio: {职工: 0.85, 居民: 0.70}', 'fund_ratio: {职工: 0.85, 城乡: 0.70}').replace('pool_shares: {职工: 0.60, 居民: 0.40}', 'pool_shares: {职工: 0.60, 居民: 0.30}')
    expect(errorsOf(text)).toEqual([
      `p.yaml:${lineOf(text, 'fund_ratio')} drg.fund_ratio: has no value for pool 居民 (pools: 职工, 居民)`,
      `p.yaml:${lineOf(text, 'fund_ratio')} drg.fund_ratio.城乡: "城乡" is not one of the pools (职工, 居民)`,
      `p.yaml:${lineOf(text, 'pool_shares')} budget.pool_shares: the pool shares add up to 0.9, not 1`,
    ])
  })

  it('reports broken YAML with its line', () => {
    expect(errorsOf('format: yb-policy/1\nregion: [a\n')[0]).toMatch(/^p\.yaml:\d+: not valid YAML: /)
  })
})
