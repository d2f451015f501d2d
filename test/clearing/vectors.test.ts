// Proves the settlement engine reproduces every worked test vector of settlement-rules §10
// through the functions `yb pay`, `yb clear`, `yb prepay` and `yb dip build` call (priceDrgCase,
// priceDipCase, budgetRate, the month and clearing of src/clearing), with the parameters passed
// in as the policy passes them, and tests both sides of each threshold.
import {describe, expect, it} from 'vitest'
import {bandDue, clearInstitution, type ClearingInput, globalBudget, prepaymentYuan} from '../../src/clearing/cycle.js'
import {type DipCaseInput, type DipCaseRules, priceDipCase} from '../../src/clearing/dip-case.js'
import {dipBudgetPointValue, dipGroupScore, fundPayableYuan} from '../../src/clearing/dip-pricing.js'
import {type DrgCaseInput, type DrgCaseRules, priceDrgCase} from '../../src/clearing/drg-case.js'
import {type Rounding} from '../../src/clearing/drg-pricing.js'
import {fenOfYuan} from '../../src/clearing/fen.js'
import {type Dec, parseDecimal, sum} from '../../src/clearing/money.js'
import {MonthAccumulator} from '../../src/clearing/month.js'
import {perDiemValue} from '../../src/clearing/per-diem.js'
import {budgetRate} from '../../src/clearing/pool-rates.js'
import {dipSpecialCaseFund, drgSpecialCaseFund} from '../../src/clearing/special-value.js'

const d = (text: string): Dec => parseDecimal(text)
const rounding: Rounding = {mode: 'HALF_UP', rateScale: 2, pvScale: 4, scoreScale: 4}
const v2 = {variant: 'V2_QUOTA_BANDS', reward: d('0.30'), rewardCap: d('0.03'), band: d('0.20'), share: d('0.50')} as const
const rwTiered = {variant: 'RW_TIERED', tiers: [{weightMax: d('1'), times: d('3')}, {weightMax: d('2'), times: d('2')}, {weightMax: null, times: d('1.5')}]} as const

const dipRules: DipCaseRules = {deviation: {high: d('2'), low: d('0.5'), extreme: d('5'), boundaryInclusive: false}, hospitalFactorStage: 'SCORE', fundMode: 'TOTAL_MINUS_PATIENT', scoreScale: 4, mode: 'HALF_UP'}
const dipCase = (over: Partial<DipCaseInput>): DipCaseInput => ({
  groupScore: d('800'),
  groupScoreText: '800',
  groupType: 'core',
  coefficientExempt: false,
  referenceAvgYuan: d('8000'),
  costYuan: d('9000'),
  fundRecordedYuan: d('9000'),
  auxFactor: d('1'),
  institutionCoefficient: d('1'),
  pointValueYuan: d('1'),
  reimbursementRatio: d('0.6'),
  ...over,
})

const drgRules: DrgCaseRules = {
  fundMode: 'CHS_FORMULA',
  high: {threshold: rwTiered, basis: 'GROUP_AVERAGE', payment: 'PARTIAL_EXCESS', share: d('0.7'), inclusive: false},
  low: {times: d('0.4'), inclusive: true, payment: 'PRORATA'},
  midLowUplift: null,
  qyDiscount: d('0.8'),
  ungroupableDiscount: d('0.8'),
  mode: 'HALF_UP',
}
const pointRules: DrgCaseRules = {...drgRules, high: {...drgRules.high, payment: 'ADD_POINTS'}, points: {perWeight: d('100'), scoreScale: 4}}
const drgCase = (over: Partial<DrgCaseInput>): DrgCaseInput => ({
  settlementId: 'S1',
  status: 'grouped',
  drg: 'BR21',
  weight: d('1.5'),
  groupAverageYuan: d('15000'),
  institutionLevel: '三级',
  costYuan: d('16000'),
  fundRecordedYuan: d('12000'),
  rateYuanPerWeight: d('11111.11'),
  coefficient: d('0.92'),
  fundRatio: d('0.85'),
  selfPayAllYuan: d('800'),
  selfPayFirstYuan: d('600'),
  deductibleYuan: d('1000'),
  ...over,
})

const clearing = (over: Partial<ClearingInput>): ClearingInput => ({
  cases: {casesFundYuan: d('7800000.00'), roundingResidueYuan: d('0'), fundDueYuan: d('7800000.00')},
  actualYuan: d('8300000.00'),
  band: v2,
  depositRate: d('0.05'),
  assessment: {mode: 'SCORE_PCT', score: d('95')},
  specialAdditionsYuan: d('0'),
  priorYearCorrectionsYuan: d('0'),
  deductions: {datedYuan: d('0'), takenMonthlyYuan: d('0'), yearEndYuan: d('50000.00')},
  monthlyPaidYuan: d('7200000.00'),
  prepayment: {prepaidYuan: d('650000.00'), recovery: 'OFFSET'},
  ...over,
})
const lineOf = (c: ReturnType<typeof clearInstitution>, key: string) => c.lines.find((l) => l.key === key)!.amountYuan.toFixed(2)

describe('settlement-rules §10 test vectors', () => {
  it('DIP-SCORE-1: 1:2:7 weighted group score at scale 1000', () => {
    const year = (cost: string) => ({costYuan: d(cost), cases: 1})
    const built = dipGroupScore({group: ['7500', '7800', '8100'].map(year), all: ['9500', '9800', '10100'].map(year), weights: [d('1'), d('2'), d('7')], scale: d('1000')}, rounding)
    expect([built.groupAvgYuan.toFixed(2), built.allAvgYuan.toFixed(2), built.score.toFixed(4)]).toEqual(['7980.00', '9980.00', '799.5992'])
    // Averages are per year: 2 cases costing 15,000 in year 1 average 7,500 like 1 case of 7,500.
    expect(dipGroupScore({group: [{costYuan: d('15000'), cases: 2}, year('7800'), year('8100')], all: ['9500', '9800', '10100'].map(year), weights: [d('1'), d('2'), d('7')], scale: d('1000')}, rounding).score.toFixed(4)).toBe('799.5992')
  })

  it('DIP-DEV-1: normal, high, low, extreme (provisional) and both strict boundaries, as yb pay prices them', () => {
    const scores = ['9000', '20000', '3000', '45000', '16000', '4000'].map((cost) => {
      const priced = priceDipCase(dipCase({costYuan: d(cost), fundRecordedYuan: d(cost)}), dipRules, false)
      return [priced.outlier, priced.score.toFixed(4), priced.review]
    })
    expect(scores).toEqual([
      ['normal', '800.0000', false],
      ['high', '1200.0000', false],
      ['low', '300.0000', false],
      ['extreme', '3700.0000', true],
      ['normal', '800.0000', false],
      ['normal', '800.0000', false],
    ])
    const outlier = (cost: string, inclusive = false) => priceDipCase(dipCase({costYuan: d(cost)}), {...dipRules, deviation: {...dipRules.deviation, boundaryInclusive: inclusive}}, false).outlier
    expect([outlier('16000.01'), outlier('3999.99'), outlier('16000', true), outlier('40000'), outlier('40000.01')]).toEqual(['high', 'low', 'high', 'high', 'extreme'])
  })

  it('DIP-PVB-1: budget point value from 1:2:7 weighted annual cost', () => {
    const pv = dipBudgetPointValue({annualCostYuan: [d('280000000'), d('300000000'), d('320000000')], weights: [d('1'), d('2'), d('7')], expectedScore: d('32500000')}, rounding)
    expect([pv.weightedCostYuan.toFixed(2), pv.pointValue.toFixed(4)]).toEqual(['312000000.00', '9.6000'])
  })

  it('DIP-PVS-1: the year’s computed point value, TOTAL_COST and FUND_ONLY, and the institution totals', () => {
    const input = {family: 'DIP' as const, availableYuan: d('18000000.00'), poolShare: d('1'), months: 12, reimbursementRatio: d('0.60'), units: d('3125000')}
    const pv = budgetRate({...input, settleMethod: 'TOTAL_COST'}, rounding)
    expect(pv.toFixed(4)).toBe('9.6000')
    expect(budgetRate({...input, settleMethod: 'FUND_ONLY'}, rounding).toFixed(4)).toBe('5.7600')
    const totals = ['1250000', '1000000', '875000'].map((score) => priceDipCase(dipCase({groupScore: d(score), referenceAvgYuan: undefined, pointValueYuan: pv}), dipRules, false).valueYuan)
    expect(totals.map((t) => t.toFixed(2))).toEqual(['12000000.00', '9600000.00', '8400000.00'])
    expect(sum(totals).toFixed(2)).toBe('30000000.00')
  })

  it('DIP-FUND-1: TOTAL_MINUS_PATIENT, and the region conserves F_DIP', () => {
    const funds = [
      ['12000000.00', '4200000.00'],
      ['9600000.00', '3900000.00'],
      ['8400000.00', '3900000.00'],
    ].map(([total, burden]) => fundPayableYuan({totalYuan: d(total!), patientBurdenYuan: d(burden!), reimbursementRatio: d('0.6'), mode: 'TOTAL_MINUS_PATIENT'}, 'HALF_UP').fundYuan)
    expect(funds.map((f) => f.toFixed(2))).toEqual(['7800000.00', '5700000.00', '4500000.00'])
    expect(sum(funds).toFixed(2)).toBe('18000000.00')
  })

  it('DIP-MONTH-1: a month of 105,000 points at 9.20 less 350,000 burden, paid at p = 0.95 as yb pay sums it', () => {
    // One case of the month's score: worth 966,000.00, burden = cost − fund recorded = 350,000.00.
    const priced = priceDipCase(dipCase({groupScore: d('105000'), referenceAvgYuan: undefined, pointValueYuan: d('9.20'), costYuan: d('1000000.00'), fundRecordedYuan: d('650000.00')}), dipRules, false)
    const month = new MonthAccumulator()
    month.addCase('drg', priced.outlier, fenOfYuan(priced.fundYuan), 0, priced.fundExactYuan)
    const paid = month.finish('H1', {preSettleRatio: d('0.95'), excess: 'CARRY_FORWARD', mode: 'HALF_UP', stage: 'CASE'}, d('0'))
    expect([paid.fundDueYuan.toFixed(2), paid.payYuan.toFixed(2), paid.withheldYuan.toFixed(2)]).toEqual(['616000.00', '585200.00', '30800.00'])
  })

  it('DIP-CLEAR-1: year-end clearing of H1 line by line, balance +129,875.00', () => {
    const c = clearInstitution(clearing({}), 'HALF_UP')
    expect(['bandAdjustment', 'dueAfterBand', 'depositReserved', 'depositReleased', 'depositForfeited', 'finalEntitled', 'deductions'].map((k) => lineOf(c, k))).toEqual([
      '250000.00',
      '8050000.00',
      '402500.00',
      '382375.00',
      '20125.00',
      '8029875.00',
      '50000.00',
    ])
    expect(c.balanceYuan.toFixed(2)).toBe('129875.00')
    // §6.1.3: the balance is the signed sum of the printed lines.
    expect(sum(c.lines.map((l) => l.amountYuan.times(l.sign))).eq(c.balanceYuan)).toBe(true)
  })

  it('DRG-RATE-1: rate from the fund budget, ρ and Σ n×RW, published at 2 dp', () => {
    expect(budgetRate({family: 'DRG_RATE', availableYuan: d('300000000'), poolShare: d('1'), months: 12, reimbursementRatio: d('0.6'), units: d('45000')}, rounding).toFixed(2)).toBe('11111.11')
  })

  it('DRG-PV-1: point value at 4 dp, and a hospital of 210 points priced by the point method', () => {
    const pv = budgetRate({family: 'DRG_POINTS', availableYuan: d('520000000'), poolShare: d('1'), months: 12, reimbursementRatio: d('1'), units: d('4500000')}, rounding)
    expect(pv.toFixed(4)).toBe('115.5556')
    const priced = priceDrgCase(drgCase({weight: d('2.1'), coefficient: d('1'), groupAverageYuan: undefined, pointValueYuan: pv}), pointRules)
    expect([priced.points?.toFixed(4), priced.adjustedYuan.toFixed(2)]).toEqual(['210.0000', '24266.68'])
  })

  it('DRG-STD-1 and DRG-FUND-1: standard = RW × rate × coefficient; (standard − 全自费 − 先行自付 − 起付线) × fund ratio, floored at 0', () => {
    const priced = priceDrgCase(drgCase({}), drgRules)
    expect([priced.standardYuan.toFixed(2), priced.fundYuan.toFixed(2)]).toEqual(['15333.33', '10993.33'])
    expect(priceDrgCase(drgCase({selfPayAllYuan: d('20000')}), drgRules).fundYuan.toFixed(2)).toBe('0.00')
  })

  it('DRG-HIGH-1: RW-tiered threshold, ADD_POINTS and PARTIAL_EXCESS, strict at exactly T ×', () => {
    const high = priceDrgCase(drgCase({costYuan: d('36000')}), drgRules)
    expect([high.outlier, high.adjustedYuan.toFixed(2)]).toEqual(['high', '19533.33'])
    expect(priceDrgCase(drgCase({costYuan: d('30000')}), drgRules).outlier).toBe('normal')
    expect(priceDrgCase(drgCase({costYuan: d('30000.01')}), drgRules).outlier).toBe('high')
    const points = priceDrgCase(drgCase({costYuan: d('36000'), coefficient: d('1'), pointValueYuan: d('1')}), pointRules)
    expect([points.outlier, points.points?.toFixed(4)]).toEqual(['high', '210.0000'])
    // RW ≤ 1 takes T = 3, RW > 2 takes 1.5.
    expect(priceDrgCase(drgCase({weight: d('1'), costYuan: d('44999.99'), groupAverageYuan: d('15000')}), drgRules).outlier).toBe('normal')
    expect(priceDrgCase(drgCase({weight: d('2.0001'), costYuan: d('22500.01'), groupAverageYuan: d('15000')}), drgRules).outlier).toBe('high')
  })

  it('DRG-LOW-1: pro-rata points at or below 0.4× and the 0.4–0.8 uplift', () => {
    const at = (cost: string, rules = pointRules) => priceDrgCase(drgCase({costYuan: d(cost), coefficient: d('1'), pointValueYuan: d('1')}), rules)
    expect([at('5000').outlier, at('5000').points?.toFixed(4)]).toEqual(['low', '50.0000'])
    expect([at('6000').outlier, at('6000.01').outlier]).toEqual(['low', 'normal'])
    const uplift = {...pointRules, midLowUplift: {from: d('0.4'), to: d('0.8'), add: d('0.2')}}
    expect([at('9000', uplift).outlier, at('9000', uplift).points?.toFixed(4)]).toEqual(['mid_low', '120.0000'])
  })

  it('BED-1: 12 days × 35.5 daily points, and a 元 category capped at its days', () => {
    const value = perDiemValue({code: 'AN', name: '安宁疗护', dailyPoints: d('35.5')}, d('12'), d('10.5'), rounding)
    expect([value.points?.toFixed(4), value.valueYuan.toFixed(2)]).toEqual(['426.0000', '4473.00'])
    expect(perDiemValue({code: 'JS', name: '精神类', dailyRateYuan: d('260.00'), maxDays: 90}, d('120'), d('1'), rounding).valueYuan.toFixed(2)).toBe('23400.00')
  })

  it('BUD-1: budget with 5% growth and a 5% reserve', () => {
    const budget = globalBudget({baseYuan: d('1000000000'), growth: d('0.05'), reserveRate: d('0.05'), carveOutsYuan: d('0')}, 'HALF_UP')
    expect([budget.budgetYuan.toFixed(2), budget.reserveYuan.toFixed(2), budget.availableYuan.toFixed(2)]).toEqual(['1050000000.00', '52500000.00', '997500000.00'])
  })

  it('PRE-1: one month of the three-year average', () => {
    expect(prepaymentYuan({yearlySpendingYuan: [d('90000000'), d('96000000'), d('102000000')], months: d('1')}, 'HALF_UP').prepaymentYuan.toFixed(2)).toBe('8000000.00')
  })

  it('BAND-1: V2 quota bands on both sides, in the clearing', () => {
    const due = (entitled: string, actual: string) => lineOf(clearInstitution(clearing({cases: {casesFundYuan: d(entitled), roundingResidueYuan: d('0'), fundDueYuan: d(entitled)}, actualYuan: d(actual)}), 'HALF_UP'), 'dueAfterBand')
    expect([due('4500000', '4000000'), due('7800000', '8300000'), due('7800000', '9800000')]).toEqual(['4135000.00', '8050000.00', '8580000.00'])
    // The band edge: exactly 20% over shares the whole excess; beyond it the share is capped.
    expect([due('7800000', '9360000'), due('7800000', '9360000.01')]).toEqual(['8580000.00', '8580000.00'])
    expect(bandDue({variant: 'V1_PURE'}, d('7800000'), d('9800000'), 'HALF_UP').toFixed(2)).toBe('7800000.00')
  })

  it('SPECIAL-1: approved cost 86,000 converted to 8,958.3333 points at PV 9.6, under DRG points and DIP', () => {
    const patient = {costYuan: d('90000'), fundRecordedYuan: d('90000'), selfPayAllYuan: d('0'), selfPayFirstYuan: d('0'), deductibleYuan: d('0'), fundRatio: d('1')}
    expect(drgSpecialCaseFund(patient, drgRules, d('86000'), d('9.6'), rounding).step).toBe('特例单议: 86000.00 ÷ 点值 9.6 = 8958.3333 点 → 86000.00; 基金 86000.00')
    const dip = dipSpecialCaseFund({approvedScore: undefined, approvedCostYuan: d('86000'), pointValueYuan: d('9.6'), costYuan: d('90000'), fundRecordedYuan: d('90000'), reimbursementRatio: d('0.6')}, dipRules)
    expect(dip.step.startsWith('特病单议: 8958.3333 分 × 点值 9.6 = 86000.00')).toBe(true)
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
    expect(float).not.toBe(100000)
  })

  it('rounds HALF_UP (四舍五入), not to even', () => {
    expect(priceDrgCase(drgCase({weight: d('1'), rateYuanPerWeight: d('0.125'), coefficient: d('1')}), drgRules).standardYuan.toFixed(2)).toBe('0.13')
    expect(priceDrgCase(drgCase({weight: d('1'), rateYuanPerWeight: d('0.125'), coefficient: d('1')}), {...drgRules, mode: 'HALF_EVEN'}).standardYuan.toFixed(2)).toBe('0.12')
  })

  it('refuses text that is not a decimal', () => {
    expect(() => d('1,234.50')).toThrow('not a decimal number: "1,234.50"')
    expect(() => d('1e3')).toThrow()
  })
})
