// 按人头付费, worked by hand to the 分 (docs/settlement.md, 按人头付费): an institution with 10,000
// enrolled at 30 元/人/月, 90% paid monthly; a year with a surplus and one with an overspend
// under V2_QUOTA_BANDS (reward 0.5 capped at 10%, band 10% shared 0.5); deposit 5%, score 90.
import {describe, expect, it} from 'vitest'
import {capitationBudgetYuan, capitationDueYuan, capitationMonth, clearCapitation} from '../../src/clearing/capitation.js'
import {monthlyPayment} from '../../src/clearing/cycle.js'
import {parseDecimal as d} from '../../src/clearing/money.js'

const band = {variant: 'V2_QUOTA_BANDS', reward: d('0.5'), rewardCap: d('0.1'), band: d('0.1'), share: d('0.5')} as const
const assessment = {mode: 'SCORE_PCT', score: d('90')} as const
const lines = (c: ReturnType<typeof clearCapitation>) => Object.fromEntries(c.lines.map((l) => [l.key, l.amountYuan.toFixed(2)]))

describe('按人头付费', () => {
  it('budgets a month as enrolled × standard × coefficient, to the 分', () => {
    expect(capitationBudgetYuan({persons: 10_000, standardYuan: d('30.00')}).toFixed(2)).toBe('300000.00')
    // 7 × 30.01 × 1.05 = 220.5735 → 220.57 (HALF_UP).
    expect(capitationBudgetYuan({persons: 7, standardYuan: d('30.01'), coefficient: d('1.05')}).toFixed(2)).toBe('220.57')
    // 门特 package: 120 patients × 3,600 元 a year ÷ 12 = 36,000.00 a month.
    expect(capitationBudgetYuan({persons: 120, standardYuan: d('3600.00'), perYear: true}).toFixed(2)).toBe('36000.00')
    expect(capitationBudgetYuan({persons: 0, standardYuan: d('30.00')}).toFixed(2)).toBe('0.00')
  })
  it('pays a category by the standard × its coefficient, and a package by its yearly standard ÷ 12', () => {
    const rules = {
      pools: {居民: {standardYuan: d('30.00'), rule: 'BUDGET' as const, preSettleRatio: d('0.9'), chargeOutside: false, coefficients: new Map([['老年', d('1.5')]])}},
      packages: new Map([['MT01', {name: '糖尿病门特', yuanPerPatientYear: d('3600.00')}]]),
    }
    const line = (category: string, persons: number) => capitationMonth({institutionId: 'C1', pool: '居民', category, persons, ownYuan: d('1000.00'), outsideYuan: d('500.00')}, rules, 'HALF_UP')
    // 1,000 elderly × 30.00 × 1.5 = 45,000.00; paid 40,500.00; outside spending not charged: 1,000.00 counts.
    expect(line('老年', 1000)).toMatchObject({name: '按人头 ×1.5', budgetYuan: d('45000.00'), spendingYuan: d('1000.00'), payYuan: d('40500.00'), withheldYuan: d('4500.00')})
    expect(line('MT01', 120).budgetYuan.toFixed(2)).toBe('36000.00')
    expect(() => line('XX', 1)).toThrow(RangeError)
  })
  it('owes the budget, or the spending up to the budget; pays 90% and holds back the rest', () => {
    expect(capitationDueYuan('BUDGET', d('300000.00'), d('280000.00')).toFixed(2)).toBe('300000.00')
    expect(capitationDueYuan('ACTUAL_CAPPED', d('300000.00'), d('280000.00')).toFixed(2)).toBe('280000.00')
    expect(capitationDueYuan('ACTUAL_CAPPED', d('300000.00'), d('320000.00')).toFixed(2)).toBe('300000.00')
    const month = monthlyPayment({fundDueYuan: d('300000.00'), preSettleRatio: d('0.9'), deductionsDueYuan: d('0'), excess: 'CARRY_FORWARD'}, 'HALF_UP')
    expect([month.payYuan.toFixed(2), month.withheldYuan.toFixed(2)]).toEqual(['270000.00', '30000.00'])
  })
  it('clears a year with a surplus: the institution keeps half the saving, up to 10% of the budget', () => {
    // Budget 12 × 300,000 = 3,600,000; spending 3,200,000: reward min(0.5 × 400,000, 0.1 × 3,600,000) = 200,000 → 3,400,000.
    // Deposit 5% = 170,000; score 90 releases 153,000, 17,000 forfeited; paid 12 × 270,000 = 3,240,000; balance 143,000.00 应补.
    const year = clearCapitation({budgetYuan: d('3600000.00'), spendingYuan: d('3200000.00'), band, depositRate: d('0.05'), assessment, monthlyPaidYuan: d('3240000.00')})
    expect(lines(year)).toMatchObject({dueAfterBand: '3400000.00', bandAdjustment: '-200000.00', depositReserved: '170000.00', depositReleased: '153000.00', depositForfeited: '17000.00', finalEntitled: '3383000.00', monthlyPaid: '3240000.00'})
    expect(year.balanceYuan.toFixed(2)).toBe('143000.00')
  })
  it('clears a year with an overspend: the fund shares half of it within the 10% band', () => {
    // Spending 3,900,000, within 3,600,000 × 1.1: 3,600,000 + 0.5 × 300,000 = 3,750,000. Deposit 187,500, released 168,750,
    // forfeited 18,750; balance 3,750,000 − 18,750 − 3,240,000 = 491,250.00 应补.
    const year = clearCapitation({budgetYuan: d('3600000.00'), spendingYuan: d('3900000.00'), band, depositRate: d('0.05'), assessment, monthlyPaidYuan: d('3240000.00')})
    expect(lines(year)).toMatchObject({dueAfterBand: '3750000.00', bandAdjustment: '150000.00', depositForfeited: '18750.00', finalEntitled: '3731250.00'})
    expect(year.balanceYuan.toFixed(2)).toBe('491250.00')
    // Beyond the band the fund's share stops at half of 10%: spending 4,500,000 → 3,600,000 + 0.5 × 360,000 = 3,780,000.
    expect(lines(clearCapitation({budgetYuan: d('3600000.00'), spendingYuan: d('4500000.00'), band, depositRate: d('0'), assessment, monthlyPaidYuan: d('0')})).dueAfterBand).toBe('3780000.00')
  })
})
