// Proves the integer-分 pricing gives, to the 分, what the decimal.js pricing gives: on 20,000
// random cases under several rule sets (outliers on both sides, FFS, uplift, both fund modes),
// and that the integer helpers round HALF_UP exactly, even past 2^53 in a product.
import {describe, expect, it} from 'vitest'
import {type DrgCaseRules, priceDrgCase} from '../../src/clearing/drg-case.js'
import {RESIDUE_UNITS_PER_FEN} from '../../src/clearing/month.js'
import {fenRules, priceDrgCaseFen} from '../../src/clearing/drg-case-fen.js'
import {paymentStandardYuan} from '../../src/clearing/drg-pricing.js'
import {divRound, fenOfYuan, fenText, mulDivRound, parseFen, ratioOf} from '../../src/clearing/fen.js'
import {parseDecimal} from '../../src/clearing/money.js'
import {Random} from '../../src/grouper/synth.js'

const d = parseDecimal
const base: DrgCaseRules = {
  fundMode: 'CHS_FORMULA',
  high: {threshold: {variant: 'RW_TIERED', tiers: [{weightMax: d('1'), times: d('3')}, {weightMax: d('2'), times: d('2')}, {weightMax: null, times: d('1.5')}]}, basis: 'GROUP_AVERAGE', payment: 'PARTIAL_EXCESS', share: d('0.7'), inclusive: false},
  low: {times: d('0.4'), inclusive: true, payment: 'PRORATA'},
  midLowUplift: null,
  qyDiscount: d('0.8'),
  ungroupableDiscount: d('0.75'),
  mode: 'HALF_UP',
}
const variants: [string, DrgCaseRules][] = [
  ['base', base],
  ['uplift and inclusive high', {...base, midLowUplift: {from: d('0.4'), to: d('0.8'), add: d('0.2')}, high: {...base.high, inclusive: true, share: d('0.65')}}],
  ['FFS outliers, standard minus patient', {...base, fundMode: 'STD_MINUS_PATIENT', high: {...base.high, payment: 'FFS'}, low: {times: d('0.3'), inclusive: false, payment: 'FFS'}}],
]

describe('priceDrgCaseFen', () => {
  it.each(variants)('agrees with priceDrgCase to the 分 on 20,000 random cases (%s)', (_, rules) => {
    const random = new Random(77)
    const fast = fenRules(rules)
    const yuan = (fen: number) => d(fenText(fen))
    for (let k = 0; k < 20_000; k++) {
      const weight = d(`${random.int(0, 40)}.${String(random.int(1, 9999)).padStart(4, '0')}`)
      const rate = d(`${random.int(5000, 15000)}.${String(random.int(0, 99)).padStart(2, '0')}`)
      const coefficient = d(['1', '0.92', '0.85', '1.05'][random.int(0, 3)]!)
      const standard = paymentStandardYuan({weight, rateYuanPerWeight: rate, coefficient}, 'HALF_UP')
      const averageFen = random.next() < 0.2 ? undefined : random.int(100_00, 40_000_000)
      const costFen = random.next() < 0.05 ? Math.floor((averageFen ?? fenOfYuan(standard)) * [0.4, 0.8, 2, 3, 1.5][random.int(0, 4)]!) : random.int(50_00, 80_000_000)
      const parts = [random.int(0, 300_000), random.int(0, 200_000), random.int(0, 150_000)] as const
      const status = (['grouped', 'grouped', 'grouped', 'grouped', 'qy', 'ungroupable', 'invalid'] as const)[random.int(0, 6)]!
      const fundRecordedFen = Math.floor(costFen * 0.7)
      const fundRatio = d(['0.85', '0.7', '0.9'][random.int(0, 2)]!)
      const decimal = priceDrgCase(
        {
          settlementId: `S${k}`,
          status,
          drg: 'X',
          weight: status === 'grouped' ? weight : undefined,
          groupAverageYuan: averageFen === undefined ? undefined : yuan(averageFen),
          institutionLevel: '三级',
          costYuan: yuan(costFen),
          fundRecordedYuan: yuan(fundRecordedFen),
          selfPayAllYuan: yuan(parts[0]),
          selfPayFirstYuan: yuan(parts[1]),
          deductibleYuan: yuan(parts[2]),
          rateYuanPerWeight: rate,
          coefficient,
          fundRatio,
        },
        {...rules, high: {...rules.high, basis: averageFen === undefined ? 'STANDARD' : 'GROUP_AVERAGE'}},
        false,
      )
      const standardFen = fenOfYuan(standard)
      const integer = priceDrgCaseFen(
        {
          status,
          standardFen: status === 'grouped' ? standardFen : undefined,
          basisFen: averageFen ?? standardFen,
          highTimes: fast.highTimes(weight, '三级'),
          costFen,
          fundRecordedFen,
          selfPayAllFen: parts[0],
          selfPayFirstFen: parts[1],
          deductibleFen: parts[2],
          fundRatio: ratioOf(fundRatio),
        },
        fast,
      )
      // The rounding residue too (exact − rounded fund): 1e-8 分 units on the integer path, 元 on the decimal one.
      const residue = (units: number) => yuan(units).div(RESIDUE_UNITS_PER_FEN).toString()
      const got = [integer.payment, integer.outlier, fenText(integer.adjustedFen), fenText(integer.fundFen), residue(integer.residueUnits)]
      const want = [decimal.payment, decimal.outlier, decimal.adjustedYuan.toFixed(2), decimal.fundYuan.toFixed(2), decimal.fundExactYuan.minus(decimal.fundYuan).toString()]
      if (got.join() !== want.join()) expect({k, cost: fenText(costFen), got}).toEqual({k, cost: fenText(costFen), got: want})
    }
  })
})

describe('integer 分 helpers', () => {
  it('rounds HALF_UP away from zero', () => {
    expect([divRound(5, 10), divRound(4, 10), divRound(-5, 10), divRound(-4, 10), divRound(15, 10), divRound(25, 10)]).toEqual([1, 0, -1, 0, 2, 3])
  })
  it('stays exact past 2^53 through BigInt', () => {
    // 9,007,199,254,740,993 is not a double: the product must not pass through one.
    expect(mulDivRound(94_906_267, 94_906_267 * 10, 1000)).toBe(Number((94_906_267n * 949_062_670n + 500n) / 1000n))
  })
  it('reads and writes stored amounts', () => {
    expect([parseFen('12000.50'), parseFen('-3.07'), parseFen('0.00')]).toEqual([1_200_050, -307, 0])
    expect([fenText(1_200_050), fenText(-307), fenText(5)]).toEqual(['12000.50', '-3.07', '0.05'])
    expect(() => parseFen('12.5')).toThrow()
  })
})
