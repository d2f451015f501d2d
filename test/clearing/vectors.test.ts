// Proves the settlement engine reproduces every worked test vector of settlement-rules §10,
// with the parameters passed in (as the policy will), and tests both sides of each threshold.
import {describe, expect, it} from 'vitest'
import {bandDue, clearInstitution, globalBudget, monthlyPayment, prepaymentYuan} from '../../src/clearing/cycle.js'
import {
  dipBudgetPointValue,
  dipCaseScore,
  dipDeviation,
  dipGroupScore,
  dipSettlePointValue,
  dipTotalYuan,
  fundPayableYuan,
} from '../../src/clearing/dip-pricing.js'
import {
  caseFundChsYuan,
  drgPointValue,
  drgRate,
  highOutlierPartialExcessYuan,
  highOutlierPoints,
  highThresholdTimes,
  lowOutlierPoints,
  midLowUpliftPoints,
  paymentStandardYuan,
  perDiemPoints,
  type Rounding,
  specialCasePoints,
} from '../../src/clearing/drg-pricing.js'
import {type Dec, isAbove, isBelow, parseDecimal, sum} from '../../src/clearing/money.js'

const d = (text: string): Dec => parseDecimal(text)
const rounding: Rounding = {mode: 'HALF_UP', rateScale: 2, pvScale: 4, scoreScale: 4}
const deviation = {high: d('2'), low: d('0.5'), extreme: d('5'), boundaryInclusive: false}
const v2 = {variant: 'V2_QUOTA_BANDS', reward: d('0.30'), rewardCap: d('0.03'), band: d('0.20'), share: d('0.50')} as const
const rwTiered = {variant: 'RW_TIERED', tiers: [{weightMax: d('1'), times: d('3')}, {weightMax: d('2'), times: d('2')}, {weightMax: null, times: d('1.5')}]} as const

describe('settlement-rules §10 test vectors', () => {
  it('DIP-SCORE-1: 1:2:7 weighted group score at scale 1000', () => {
    const score = dipGroupScore({groupAvgYuan: [d('7500'), d('7800'), d('8100')], allAvgYuan: [d('9500'), d('9800'), d('10100')], weights: [d('1'), d('2'), d('7')], scale: d('1000')}, rounding)
    expect(score.toFixed(4)).toBe('799.5992')
  })

  it('DIP-DEV-1: normal, high, low, extreme (provisional) and both strict boundaries', () => {
    const scores = ['9000', '20000', '3000', '45000', '16000', '4000'].map((cost) => {
      const dev = dipDeviation(d(cost), d('8000'), deviation)
      return [dev.type, dipCaseScore({groupScore: d('800'), auxFactor: d('1'), deviationFactor: dev.factor, hospitalFactor: d('1')}, rounding).toFixed(4), dev.review]
    })
    expect(scores).toEqual([
      ['normal', '800.0000', false],
      ['high', '1200.0000', false],
      ['low', '300.0000', false],
      ['extreme', '3700.0000', true],
      ['normal', '800.0000', false],
      ['normal', '800.0000', false],
    ])
  })

  it('DIP-DEV-1 boundaries: one fen past 2× is high, one fen under 0.5× is low; inclusive wording counts the boundary', () => {
    expect(dipDeviation(d('16000.01'), d('8000'), deviation).type).toBe('high')
    expect(dipDeviation(d('3999.99'), d('8000'), deviation).type).toBe('low')
    expect(dipDeviation(d('16000'), d('8000'), {...deviation, boundaryInclusive: true}).type).toBe('high')
    expect(dipDeviation(d('40000'), d('8000'), deviation).type).toBe('high')
    expect(dipDeviation(d('40000.01'), d('8000'), deviation).type).toBe('extreme')
  })

  it('DIP-PVB-1: budget point value from 1:2:7 weighted annual cost', () => {
    const pv = dipBudgetPointValue({annualCostYuan: [d('280000000'), d('300000000'), d('320000000')], weights: [d('1'), d('2'), d('7')], expectedScore: d('32500000')}, rounding)
    expect(pv.weightedCostYuan.toFixed(2)).toBe('312000000.00')
    expect(pv.pointValue.toFixed(4)).toBe('9.6000')
  })

  it('DIP-PVS-1: settlement point value, TOTAL_COST and FUND_ONLY, and the institution totals', () => {
    const input = {fundYuan: d('18000000.00'), reimbursementRatio: d('0.60'), totalScore: d('3125000')}
    const pv = dipSettlePointValue({...input, method: 'TOTAL_COST'}, rounding)
    expect(pv.toFixed(4)).toBe('9.6000')
    expect(dipSettlePointValue({...input, method: 'FUND_ONLY'}, rounding).toFixed(4)).toBe('5.7600')
    const totals = ['1250000', '1000000', '875000'].map((score) => dipTotalYuan(d(score), pv, d('1'), 'HALF_UP'))
    expect(totals.map((t) => t.toFixed(2))).toEqual(['12000000.00', '9600000.00', '8400000.00'])
    expect(sum(totals).toFixed(2)).toBe('30000000.00')
  })

  it('DIP-FUND-1: TOTAL_MINUS_PATIENT, and the region conserves F_DIP', () => {
    const funds = [
      ['12000000.00', '4200000.00'],
      ['9600000.00', '3900000.00'],
      ['8400000.00', '3900000.00'],
    ].map(([total, burden]) => fundPayableYuan({totalYuan: d(total!), patientBurdenYuan: d(burden!), reimbursementRatio: d('0.6'), mode: 'TOTAL_MINUS_PATIENT'}, 'HALF_UP'))
    expect(funds.map((f) => f.toFixed(2))).toEqual(['7800000.00', '5700000.00', '4500000.00'])
    expect(sum(funds).toFixed(2)).toBe('18000000.00')
  })

  it('DIP-MONTH-1: monthly pre-settlement with p = 0.95', () => {
    const fundDue = fundPayableYuan({totalYuan: d('105000').times(d('9.20')), patientBurdenYuan: d('350000.00'), reimbursementRatio: d('0.6'), mode: 'TOTAL_MINUS_PATIENT'}, 'HALF_UP')
    const month = monthlyPayment({fundDueYuan: fundDue, preSettleRatio: d('0.95'), deductionsYuan: d('0')}, 'HALF_UP')
    expect([month.payYuan.toFixed(2), month.withheldYuan.toFixed(2)]).toEqual(['585200.00', '30800.00'])
  })

  it('DIP-CLEAR-1: year-end clearing of H1 line by line, balance +129,875.00', () => {
    const clearing = clearInstitution(
      {
        entitledYuan: d('7800000.00'),
        actualYuan: d('8300000.00'),
        band: v2,
        depositRate: d('0.05'),
        assessmentScore: d('95'),
        specialAdditionsYuan: d('0'),
        deductionsYuan: d('50000.00'),
        monthlyPaidYuan: d('7200000.00'),
        prepaymentOffsetYuan: d('650000.00'),
      },
      'HALF_UP',
    )
    const line = (key: string) => clearing.lines.find((l) => l.key === key)!.amountYuan.toFixed(2)
    expect([line('bandAdjustment'), line('dueAfterBand'), line('depositReserved'), line('depositReleased'), line('depositForfeited')]).toEqual([
      '250000.00',
      '8050000.00',
      '402500.00',
      '382375.00',
      '20125.00',
    ])
    expect(clearing.balanceYuan.toFixed(2)).toBe('129875.00')
    // §6.1.3: the balance is the signed sum of the printed lines.
    expect(sum(clearing.lines.map((l) => l.amountYuan.times(l.sign))).eq(clearing.balanceYuan)).toBe(true)
  })

  it('DRG-RATE-1: rate from the fund budget, ρ and Σ n×RW, published at 2 dp', () => {
    const rate = drgRate({fundBudgetYuan: d('300000000'), reimbursementRatio: d('0.6'), weightedCases: d('45000')}, rounding)
    expect(rate.costBudgetYuan.toFixed(2)).toBe('500000000.00')
    expect(rate.rateYuanPerWeight.toFixed(2)).toBe('11111.11')
  })

  it('DRG-PV-1: point value at 4 dp, and a hospital of 210 points', () => {
    const pv = drgPointValue({budgetYuan: d('520000000'), totalPoints: d('4500000')}, rounding)
    expect(pv.toFixed(4)).toBe('115.5556')
    expect(dipTotalYuan(d('210'), pv, d('1'), 'HALF_UP').toFixed(2)).toBe('24266.68')
  })

  it('DRG-STD-1: standard = RW × rate × coefficient', () => {
    expect(paymentStandardYuan({weight: d('1.5'), rateYuanPerWeight: d('11111.11'), coefficient: d('0.92')}, 'HALF_UP').toFixed(2)).toBe('15333.33')
  })

  it('DRG-FUND-1: (standard − 全自费 − 先行自付 − 起付线) × fund ratio, floored at 0', () => {
    const patient = {selfPayAllYuan: d('800'), selfPayFirstYuan: d('600'), deductibleYuan: d('1000')}
    expect(caseFundChsYuan(d('15333.33'), patient, d('0.85'), 'HALF_UP').toFixed(2)).toBe('10993.33')
    expect(caseFundChsYuan(d('2000.00'), patient, d('0.85'), 'HALF_UP').toFixed(2)).toBe('0.00')
  })

  it('DRG-HIGH-1: RW-tiered threshold, ADD_POINTS and PARTIAL_EXCESS', () => {
    const times = highThresholdTimes(rwTiered, d('1.5'), '三级')
    expect(times.toString()).toBe('2')
    expect(isAbove(d('36000'), times, d('15000'), false)).toBe(true)
    expect(isAbove(d('30000'), times, d('15000'), false)).toBe(false)
    expect(isAbove(d('30000.01'), times, d('15000'), false)).toBe(true)
    expect(highOutlierPoints({basePoints: d('150'), coefficient: d('1'), costYuan: d('36000'), basisYuan: d('15000'), times}, rounding).toFixed(4)).toBe('210.0000')
    expect(highOutlierPartialExcessYuan({standardYuan: d('15333.33'), costYuan: d('36000'), basisYuan: d('15000'), times, share: d('0.7')}, 'HALF_UP').toFixed(2)).toBe('19533.33')
    expect(highThresholdTimes(rwTiered, d('1'), '三级').toString()).toBe('3')
    expect(highThresholdTimes(rwTiered, d('2.0001'), '三级').toString()).toBe('1.5')
  })

  it('DRG-LOW-1: pro-rata points below 0.4× and the 0.4–0.8 uplift', () => {
    expect(isBelow(d('5000'), d('0.4'), d('15000'), true)).toBe(true)
    expect(lowOutlierPoints({basePoints: d('150'), costYuan: d('5000'), averageYuan: d('15000')}, rounding).toFixed(4)).toBe('50.0000')
    expect(isBelow(d('9000'), d('0.4'), d('15000'), true)).toBe(false)
    expect(midLowUpliftPoints({basePoints: d('150'), costYuan: d('9000'), averageYuan: d('15000'), add: d('0.2')}, rounding).toFixed(4)).toBe('120.0000')
    // 0.4× exactly is low (≤), one fen above is not.
    expect(isBelow(d('6000'), d('0.4'), d('15000'), true)).toBe(true)
    expect(isBelow(d('6000.01'), d('0.4'), d('15000'), true)).toBe(false)
  })

  it('BED-1: 12 days × 35.5 daily points', () => {
    expect(perDiemPoints(d('35.5'), d('12'), rounding).toFixed(4)).toBe('426.0000')
  })

  it('BUD-1: budget with 5% growth and a 5% reserve', () => {
    const budget = globalBudget({baseYuan: d('1000000000'), growth: d('0.05'), reserveRate: d('0.05'), carveOutsYuan: d('0')}, 'HALF_UP')
    expect([budget.budgetYuan.toFixed(2), budget.reserveYuan.toFixed(2), budget.availableYuan.toFixed(2)]).toEqual(['1050000000.00', '52500000.00', '997500000.00'])
  })

  it('PRE-1: one month of the three-year average', () => {
    const pre = prepaymentYuan({yearlySpendingYuan: [d('90000000'), d('96000000'), d('102000000')], months: d('1')}, 'HALF_UP')
    expect(pre.prepaymentYuan.toFixed(2)).toBe('8000000.00')
  })

  it('BAND-1: V2 quota bands on both sides', () => {
    expect(bandDue(v2, d('4500000'), d('4000000'), 'HALF_UP').toFixed(2)).toBe('4135000.00')
    expect(bandDue(v2, d('7800000'), d('8300000'), 'HALF_UP').toFixed(2)).toBe('8050000.00')
    expect(bandDue(v2, d('7800000'), d('9800000'), 'HALF_UP').toFixed(2)).toBe('8580000.00')
    // The band edge: exactly 20% over shares the whole excess; beyond it the share is capped.
    expect(bandDue(v2, d('7800000'), d('9360000'), 'HALF_UP').toFixed(2)).toBe('8580000.00')
    expect(bandDue(v2, d('7800000'), d('9360000.01'), 'HALF_UP').toFixed(2)).toBe('8580000.00')
    expect(bandDue({variant: 'V1_PURE'}, d('7800000'), d('9800000'), 'HALF_UP').toFixed(2)).toBe('7800000.00')
  })

  it('SPECIAL-1: approved cost converted to points', () => {
    expect(specialCasePoints(d('86000'), d('9.6'), rounding).toFixed(4)).toBe('8958.3333')
  })
})

describe('exact decimals', () => {
  it('adds 0.10 元 a million times to exactly 100,000.00, where a JS number drifts', () => {
    const tenFen = d('0.10')
    let total = d('0')
    let float = 0
    for (let k = 0; k < 1_000_000; k++) {
      total = total.plus(tenFen)
      float += 0.1
    }
    expect(total.toFixed(2)).toBe('100000.00')
    expect(total.eq(d('100000'))).toBe(true)
    expect(float).not.toBe(100000)
  })

  it('rounds HALF_UP (四舍五入), not to even', () => {
    expect(paymentStandardYuan({weight: d('1'), rateYuanPerWeight: d('0.125'), coefficient: d('1')}, 'HALF_UP').toFixed(2)).toBe('0.13')
    expect(paymentStandardYuan({weight: d('1'), rateYuanPerWeight: d('0.125'), coefficient: d('1')}, 'HALF_EVEN').toFixed(2)).toBe('0.12')
  })

  it('refuses text that is not a decimal', () => {
    expect(() => d('1,234.50')).toThrow('not a decimal number: "1,234.50"')
    expect(() => d('1e3')).toThrow()
  })
})
