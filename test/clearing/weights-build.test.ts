// 权重测算 (issue 17): a hand-computed 3 groups × 3 years example exact to the decimal, and a
// synthetic history whose costs are drawn around known multiples of a base cost per DRG, with
// planted outliers, that gives the multiples back within 1% for each trimming method.
import {describe, expect, it} from 'vitest'
import {buildWeights, type HistoryCase, percentileFen, trimCosts, type TrimRule} from '../../src/clearing/weights-build.js'
import {parseDecimal} from '../../src/clearing/money.js'

const yuan = (drg: string, ...costs: number[]): HistoryCase[] => costs.map((c) => ({drg, adrg: drg.slice(0, 3), costFen: c * 100}))

describe('buildWeights by hand', () => {
  // Year 1: A 100 300 (mean 200), B 1000, C 500 700 (600); all 2600 ÷ 5 = 520.
  // Year 2: A 200 200 200 (200), B 800 1200 (1000), C 600; all 3200 ÷ 6 = 533.33…
  // Year 3: A 250, B 1100 900 1000 (1000), C 700 500 (600); all 4450 ÷ 6 = 741.66…
  // Weighted 1:2:7: A (200 + 400 + 1750) ÷ 10 = 235, B 1000, C 600; all (520 + 1066.66… + 5191.66…) ÷ 10 = 677.833… = 4067 ÷ 6.
  // Weights: A 235 × 6 ÷ 4067 = 0.34669…, B 6000 ÷ 4067 = 1.47528…, C 3600 ÷ 4067 = 0.88517…
  // RIV on the 17 pooled costs: 1 − within SS ÷ total SS = 0.92064; CV A 0.2912, B 0.1291, C 0.1491.
  const years = [
    [...yuan('A11', 100, 300), ...yuan('B11', 1000), ...yuan('C11', 500, 700)],
    [...yuan('A11', 200, 200, 200), ...yuan('B11', 800, 1200), ...yuan('C11', 600)],
    [...yuan('A11', 250), ...yuan('B11', 1100, 900, 1000), ...yuan('C11', 700, 500)],
  ]
  it('weights three groups over three years 1:2:7, exact to the decimal', () => {
    const r = buildWeights({years, yearWeights: ['1', '2', '7'], trim: {method: 'none'}, minCases: 1, places: 4, normalise: 'none'})
    expect(r.groups.map((g) => [g.drg, g.cases, g.meanYuan, g.weight, g.cv, g.source])).toEqual([
      ['A11', 6, '235.00', '0.3467', '0.2912', 'built'],
      ['B11', 6, '1000.00', '1.4753', '0.1291', 'built'],
      ['C11', 5, '600.00', '0.8852', '0.1491', 'built'],
    ])
    expect(r).toMatchObject({cases: 17, trimmed: 0, allMeanYuan: '677.83', riv: '0.9206', cvAboveOneShare: '0.0000', normalisationFactor: '1.000000'})
  })

  it('gives a group below --min-cases the reference weight scaled to the build, else its ADRG, and normalises to the reference', () => {
    // C11 (5 cases) below 6: reference 0.80 scaled by Σ built × n ÷ Σ ref × n over A11, B11.
    const reference = new Map([['A11', '0.30'], ['B11', '1.50'], ['C11', '0.80']])
    const r = buildWeights({years, yearWeights: ['1', '2', '7'], trim: {method: 'none'}, minCases: 6, places: 4, reference, normalise: 'none'})
    // scale = (1410/4067 × 6 + 6000/4067 × 6) ÷ (0.30 × 6 + 1.50 × 6) = (7410/4067) ÷ 1.8 = 1.01221…; C11 = 0.80 × 1.01221… = 0.80977…
    expect(r.groups.find((g) => g.drg === 'C11')).toMatchObject({source: 'reference', weight: '0.8098', meanYuan: ''})
    expect(r.groups.find((g) => g.drg === 'A11')!.changePercent).toBe('15.57')
    const withoutReference = buildWeights({years, yearWeights: ['1', '2', '7'], trim: {method: 'none'}, minCases: 6, places: 4, normalise: 'none'})
    // No reference: C11's ADRG C11 holds only C11 itself, so it is its own pooled mean: 0.8852.
    expect(withoutReference.groups.find((g) => g.drg === 'C11')).toMatchObject({source: 'adrg', weight: '0.8852'})
    // Normalised to the reference: Σ ref × n = 0.3×6 + 1.5×6 + 0.8×5 = 14.8; Σ built × n = (1410×6 + 6000×6 + 3600×5) ÷ 4067 = 62460 ÷ 4067; factor 14.8 × 4067 ÷ 62460.
    const normalised = buildWeights({years, yearWeights: ['1', '2', '7'], trim: {method: 'none'}, minCases: 1, places: 4, reference, normalise: 'reference'})
    expect(normalised.normalisationFactor).toBe(parseDecimal('14.8').times(4067).div(62460).toDecimalPlaces(6).toFixed(6))
    expect(normalised.groups.find((g) => g.drg === 'B11')!.weight).toBe(parseDecimal('6000').div(4067).times(parseDecimal('14.8').times(4067).div(62460)).toDecimalPlaces(4).toFixed(4))
  })
})

describe('normalisation to CMI 1', () => {
  it('scales the weights so that the history cases weigh one each on average', () => {
    const years = [[...yuan('A11', 100, 300), ...yuan('B11', 1000), ...yuan('C11', 500, 700)]]
    // Raw: all-case mean 520; A 200/520, B 1000/520, C 600/520; Σ w × n = (400 + 1000 + 1200)/520 = 5 → CMI 1 already: factor 1.
    const r = buildWeights({years, yearWeights: ['1'], trim: {method: 'none'}, minCases: 1, places: 4, normalise: 'cmi'})
    expect(r.normalisationFactor).toBe('1.000000')
    // Two years 1:1: the weighted means are not the pooled ones, so the factor is not 1; after it Σ w × n = n to 4 dp.
    const two = buildWeights({years: [years[0]!, [...yuan('A11', 400), ...yuan('B11', 1000, 1000, 1000)]], yearWeights: ['1', '1'], trim: {method: 'none'}, minCases: 1, places: 4, normalise: 'cmi'})
    const cases = two.groups.reduce((n, g) => n + g.cases, 0)
    const total = two.groups.reduce((s, g) => s.plus(parseDecimal(g.weight).times(g.cases)), parseDecimal('0'))
    expect(total.minus(cases).abs().lte(parseDecimal('0.001'))).toBe(true)
    expect(two.normalisationFactor).not.toBe('1.000000')
  })
})

describe('trimming', () => {
  it('takes nearest-rank percentiles and the bounds of each method', () => {
    const sorted = Array.from({length: 40}, (_, k) => (k + 1) * 100)
    expect(percentileFen(sorted, parseDecimal('2.5'))).toBe(100)
    expect(percentileFen(sorted, parseDecimal('97.5'))).toBe(3900)
    expect(percentileFen(sorted, parseDecimal('50'))).toBe(2000)
    expect(trimCosts([5, 1, 1000, 3, 4, 2], {method: 'iqr', k: '1.5'})).toEqual([1, 2, 3, 4, 5])
    expect(trimCosts([10, 10, 10, 10, 10, 10, 10, 10, 10, 1000], {method: 'sd', k: '2'})).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10])
  })
})

describe('a synthetic history', () => {
  // Multiples of a base cost of 5,000 元 per DRG; costs uniform within ±10% of base × multiple;
  // 2% of the cases planted far out (× 12 or × 0.04).
  const MULTIPLES: Record<string, number> = {A11: 0.5, B11: 1, C11: 2, D11: 3.5, E11: 6}
  let seed = 20261201
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  const history = [0, 1, 2].map(() =>
    Object.entries(MULTIPLES).flatMap(([drg, m]) =>
      Array.from({length: 600}, (): HistoryCase => {
        const planted = random()
        const factor = planted < 0.01 ? 12 : planted < 0.02 ? 0.04 : 0.9 + 0.2 * random()
        return {drg, adrg: drg.slice(0, 3), costFen: Math.round(500_000 * m * factor)}
      }),
    ),
  )
  const rules: TrimRule[] = [
    {method: 'percentile', low: '2.5', high: '97.5'},
    {method: 'sd', k: '2'},
    {method: 'iqr', k: '1.5'},
  ]
  for (const trim of rules) {
    it(`gives the multiples back within 1% (${trim.method})`, () => {
      const r = buildWeights({years: history, yearWeights: ['1', '2', '7'], trim, minCases: 10, places: 4, normalise: 'none'})
      const weight = new Map(r.groups.map((g) => [g.drg, Number(g.weight)]))
      for (const [drg, m] of Object.entries(MULTIPLES)) {
        const ratio = weight.get(drg)! / weight.get('B11')!
        expect(Math.abs(ratio / m - 1), `${drg}: ${ratio} for ${m}`).toBeLessThan(0.01)
      }
      expect(r.trimmed).toBeGreaterThan(0)
      expect(Number(r.riv)).toBeGreaterThan(0.9)
    })
  }
  it('and without trimming the planted outliers pull them off', () => {
    const r = buildWeights({years: history, yearWeights: ['1', '2', '7'], trim: {method: 'none'}, minCases: 10, places: 4, normalise: 'none'})
    const weight = new Map(r.groups.map((g) => [g.drg, Number(g.weight)]))
    const off = Object.entries(MULTIPLES).some(([drg, m]) => Math.abs(weight.get(drg)! / weight.get('B11')! / m - 1) >= 0.01)
    const spread = Number(r.groups[0]!.cv)
    expect(off || spread > 0.3).toBe(true)
  })
})

describe('per institution level', () => {
  it('gives each level with enough cases its own trimmed, year-weighted average cost', () => {
    // 三级: A11 1000, 1200 (year 1) and 1400 (year 2) → (1100 × 1 + 1400 × 1) ÷ 2 = 1250; 二级: A11 600 only once (below min 2).
    const years = [
      [{drg: 'A11', adrg: 'A11', costFen: 100_000, level: '三级'}, {drg: 'A11', adrg: 'A11', costFen: 120_000, level: '三级'}, {drg: 'A11', adrg: 'A11', costFen: 60_000, level: '二级'}],
      [{drg: 'A11', adrg: 'A11', costFen: 140_000, level: '三级'}],
    ]
    const r = buildWeights({years, yearWeights: ['1', '1'], trim: {method: 'none'}, minCases: 2, places: 4, normalise: 'none'})
    expect(r.groups[0]!.meanByLevel).toEqual({三级: '1250.00'})
  })
})
