// Proves a DRG case is priced as settlement-rules §4.3–4.4 say, with the policy's rules, on both
// sides of each outlier threshold, and that every step is explained; and that an institution's
// month adds up (paid + withheld + deductions = Σ case fund).
import {describe, expect, it} from 'vitest'
import {type DrgCaseInput, type DrgCaseRules, priceDrgCase} from '../../src/clearing/drg-case.js'
import {institutionMonth} from '../../src/clearing/month.js'
import {parseDecimal} from '../../src/clearing/money.js'

const d = parseDecimal
const rules: DrgCaseRules = {
  fundMode: 'CHS_FORMULA',
  high: {threshold: {variant: 'RW_TIERED', tiers: [{weightMax: d('1'), times: d('3')}, {weightMax: d('2'), times: d('2')}, {weightMax: null, times: d('1.5')}]}, basis: 'GROUP_AVERAGE', payment: 'PARTIAL_EXCESS', share: d('0.7'), inclusive: false},
  low: {times: d('0.4'), inclusive: true, payment: 'PRORATA'},
  midLowUplift: null,
  qyDiscount: d('0.8'),
  ungroupableDiscount: d('0.7'),
  mode: 'HALF_UP',
}
const stroke = (cost: string, overrides: Partial<DrgCaseInput> = {}): DrgCaseInput => ({
  settlementId: 'S1',
  status: 'grouped',
  drg: 'BR21',
  weight: d('1.5'),
  groupAverageYuan: d('15000'),
  institutionLevel: '三级',
  costYuan: d(cost),
  fundRecordedYuan: d('10000.00'),
  rateYuanPerWeight: d('11111.11'),
  coefficient: d('0.92'),
  fundRatio: d('0.85'),
  selfPayAllYuan: d('800'),
  selfPayFirstYuan: d('600'),
  deductibleYuan: d('1000'),
  ...overrides,
})

describe('priceDrgCase', () => {
  it('prices a normal case by the standard and the CHS fund formula (DRG-STD-1, DRG-FUND-1)', () => {
    const priced = priceDrgCase(stroke('16000'), rules)
    expect([priced.payment, priced.outlier, priced.standardYuan.toFixed(2), priced.fundYuan.toFixed(2)]).toEqual(['drg', 'normal', '15333.33', '10993.33'])
    expect(priced.steps).toEqual(['标准 = 1.5 × 11111.11 × 0.92 = 15333.33', '基金 = max(0, (15333.33 − 全自费 800.00 − 先行自付 600.00 − 起付线 1000.00) × 0.85) = 10993.33'])
  })

  it('pays a high outlier by PARTIAL_EXCESS above T × group average (DRG-HIGH-1), not at exactly T ×', () => {
    const high = priceDrgCase(stroke('36000'), rules)
    expect([high.outlier, high.adjustedYuan.toFixed(2)]).toEqual(['high', '19533.33'])
    expect(high.steps[1]).toBe('高倍率: 36000.00 > 2 × 组均费用 15000.00 → 15333.33 + (36000.00 − 30000.00) × 0.7 = 19533.33')
    expect(priceDrgCase(stroke('30000'), rules).outlier).toBe('normal')
    expect(priceDrgCase(stroke('30000.01'), rules).outlier).toBe('high')
  })

  it('pays a low outlier pro rata at or below 0.4 × the average, and falls back to the standard as basis', () => {
    const low = priceDrgCase(stroke('6000'), rules)
    expect([low.outlier, low.adjustedYuan.toFixed(2)]).toEqual(['low', '6133.33'])
    expect(priceDrgCase(stroke('6000.01'), rules).outlier).toBe('normal')
    const noAverage = priceDrgCase(stroke('6000', {groupAverageYuan: undefined}), rules)
    expect(noAverage.steps[1]).toBe('低倍率: 6000.00 ≤ 0.4 × 标准 15333.33 → 15333.33 × 6000.00 ÷ 15333.33 = 6000.00')
  })

  it('applies the mid-low uplift when the policy has one (DRG-LOW-1 ZJ2 rule)', () => {
    const uplift = {...rules, midLowUplift: {from: d('0.4'), to: d('0.8'), add: d('0.2')}}
    expect(priceDrgCase(stroke('9000'), uplift).adjustedYuan.toFixed(2)).toBe('12266.66')
    expect(priceDrgCase(stroke('12000.01'), uplift).outlier).toBe('normal')
  })

  it('pays QY and 0000 at a discount of the item amount, and holds invalid cases', () => {
    expect(priceDrgCase(stroke('9000', {status: 'qy', drg: 'BQY', weight: undefined}), rules).fundYuan.toFixed(2)).toBe('8000.00')
    expect(priceDrgCase(stroke('9000', {status: 'ungroupable', drg: '0000', weight: undefined}), rules).fundYuan.toFixed(2)).toBe('7000.00')
    expect(priceDrgCase(stroke('9000', {status: 'invalid', drg: '', weight: undefined}), rules)).toMatchObject({payment: 'held'})
  })

  it('never pays a negative fund amount', () => {
    expect(priceDrgCase(stroke('16000', {selfPayAllYuan: d('20000')}), rules).fundYuan.toFixed(2)).toBe('0.00')
  })
})

describe('institutionMonth', () => {
  it('sums rounded case amounts, withholds 1 − p, and its check equation holds', () => {
    const cases = ['16000', '36000', '6000'].map((cost, k) => priceDrgCase(stroke(cost, {settlementId: `S${k}`}), rules))
    const month = institutionMonth('H001', cases, {preSettleRatio: d('0.95'), excess: 'CARRY_FORWARD', mode: 'HALF_UP', stage: 'CASE'}, d('100.00'))
    // By hand: 10993.33 + (19533.33 − 2400) × 0.85 = 14563.33 + (6133.33 − 2400) × 0.85 = 3173.33 → 28729.99;
    // paid 28729.99 × 0.95 = 27293.49 less the 100.00 deduction = 27193.49; withheld 1436.50.
    expect(month.fundDueYuan.toFixed(2)).toBe('28729.99')
    expect([month.payYuan.toFixed(2), month.withheldYuan.toFixed(2)]).toEqual(['27193.49', '1436.50'])
    expect(month.byOutlier).toEqual({normal: 1, high: 1, low: 1, mid_low: 0, extreme: 0})
    // Exact 10993.3305 + 14563.3305 + 3173.3305 = 28729.9915 rounds once to 28729.99: no 尾差.
    expect([month.casesFundYuan.toFixed(2), month.roundingResidueYuan.toFixed(2)]).toEqual(['28729.99', '0.00'])
    expect(month.check.holds).toBe(true)
    expect(month.check.accountedYuan.toFixed(2)).toBe('28729.99')
  })
})
