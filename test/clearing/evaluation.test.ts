// The evaluation indicators (issue 17) on a hand-built month of two institutions, every figure
// worked out by hand below, not by the code under test.
//
// Groups and the region: A 5 cases 1 death (weight 1.0), B 2 cases 1 death (2.0), D 1 case 1
// death (3.0), E 3 cases 1 death (1.5), C 2 cases no death (0.5). Region means: cost A 1200,
// B 6000, C 750, D 9000, E 3000; LOS A 5, B 12, C 2.5, D 20, E 8.
// ln mortality over A, B, D, E: ln 0.2, ln 0.5, 0, ln 1/3 → mean −0.850299, SD 0.588570, so the
// low-risk bound is −1.438869: A (−1.609) is low risk, E (−1.099) mid-low, B and D neither, and C
// (no death) low risk.
import {describe, expect, it} from 'vitest'
import {cellsOf, type EvaluatedCase, evaluate} from '../../src/clearing/evaluation.js'

const WEIGHT: Record<string, string> = {A: '1.0', B: '2.0', C: '0.5', D: '3.0', E: '1.5'}
const c = (unit: string, drg: string, costYuan: string, losDays: number, died = false, status = 'grouped'): EvaluatedCase => ({unit, status, drg, weight: status === 'grouped' ? WEIGHT[drg]! : '', costYuan, losDays, died})

const CASES: EvaluatedCase[] = [
  c('H1', 'A', '1000.00', 4),
  c('H1', 'A', '1200.00', 5, true),
  c('H1', 'A', '800.00', 3),
  c('H1', 'B', '5000.00', 10, true),
  c('H1', 'E', '3000.00', 8),
  c('H1', 'C', '600.00', 2),
  c('H1', '', '400.00', 2, false, 'invalid'),
  c('H2', 'A', '1500.00', 6),
  c('H2', 'A', '1500.00', 7),
  c('H2', 'B', '7000.00', 14),
  c('H2', 'D', '9000.00', 20, true),
  c('H2', 'E', '2400.00', 6, true),
  c('H2', 'E', '3600.00', 10),
  c('H2', 'C', '900.00', 3),
  c('H2', 'BQY', '700.00', 3, false, 'qy'),
]

describe('evaluate', () => {
  const result = evaluate(cellsOf(CASES))

  it('finds the low and mid-low risk groups by ln mortality', () => {
    expect(result.riskBands).toEqual({lowRisk: ['A', 'C'], midLowRisk: ['E'], lnMortalityMean: '-0.850299', lnMortalitySd: '0.588570'})
  })

  it('gives H1 its indicators', () => {
    // 7 cases, 6 analysable (not the 待更正 one), 6 grouped; groups A B E C; weight 3 + 2 + 1.5 + 0.5 = 7; CMI 7 ÷ 6.
    // Cost: A (1000 ÷ 1200) × 3 = 2.5, B 5000 ÷ 6000 = 0.8333…, E 1, C 600 ÷ 750 = 0.8 → 5.1333… ÷ 6 = 0.85555…
    // LOS: A (4 ÷ 5) × 3 = 2.4, B 10 ÷ 12, E 1, C 2 ÷ 2.5 = 0.8 → 5.0333… ÷ 6 = 0.83888…
    // Low risk A + C: 4 cases, 1 death; mid-low E: 1 case, no death.
    expect(result.units[0]).toEqual({
      unit: 'H1',
      cases: 7,
      analysable: 6,
      grouped: 6,
      groupedRate: '1.0000',
      drgCount: 4,
      totalWeight: '7.0000',
      cmi: '1.1667',
      costIndex: '0.8556',
      timeIndex: '0.8389',
      lowRiskCases: 4,
      lowRiskDeaths: 1,
      lowRiskMortality: '0.2500',
      midLowRiskCases: 1,
      midLowRiskDeaths: 0,
      midLowRiskMortality: '0.0000',
    })
  })

  it('gives H2 its indicators', () => {
    // 8 cases, all analysable (QY is), 7 grouped: 7 ÷ 8; groups A B D E C; weight 2 + 2 + 3 + 3 + 0.5 = 10.5; CMI 10.5 ÷ 7 = 1.5.
    // Cost: A (1500 ÷ 1200) × 2 = 2.5, B 7000 ÷ 6000 = 1.1666…, D 1, E (3000 ÷ 3000) × 2 = 2, C 900 ÷ 750 = 1.2 → 7.8666… ÷ 7 = 1.12380…
    // LOS: A (6.5 ÷ 5) × 2 = 2.6, B 14 ÷ 12, D 1, E (8 ÷ 8) × 2 = 2, C 3 ÷ 2.5 = 1.2 → 7.9666… ÷ 7 = 1.13809…
    // Low risk A + C: 3 cases, no death; mid-low E: 2 cases, 1 death.
    expect(result.units[1]).toEqual({
      unit: 'H2',
      cases: 8,
      analysable: 8,
      grouped: 7,
      groupedRate: '0.8750',
      drgCount: 5,
      totalWeight: '10.5000',
      cmi: '1.5000',
      costIndex: '1.1238',
      timeIndex: '1.1381',
      lowRiskCases: 3,
      lowRiskDeaths: 0,
      lowRiskMortality: '0.0000',
      midLowRiskCases: 2,
      midLowRiskDeaths: 1,
      midLowRiskMortality: '0.5000',
    })
  })

  it('gives the region its own indexes at 1', () => {
    // 15 cases, 14 analysable, 13 grouped: 13 ÷ 14 = 0.92857…; weight 17.5, CMI 17.5 ÷ 13 = 1.34615…; low risk 7 cases 1 death, mid-low 3 cases 1 death.
    expect(result.region).toMatchObject({cases: 15, analysable: 14, grouped: 13, groupedRate: '0.9286', drgCount: 5, totalWeight: '17.5000', cmi: '1.3462', costIndex: '1.0000', timeIndex: '1.0000', lowRiskMortality: '0.1429', midLowRiskMortality: '0.3333'})
  })

  it('leaves indexes blank where there is nothing to divide by', () => {
    const none = evaluate(cellsOf([c('H9', '', '100.00', 1, false, 'invalid')]))
    expect(none.units[0]).toMatchObject({cases: 1, analysable: 0, grouped: 0, groupedRate: '', cmi: '', costIndex: '', timeIndex: '', lowRiskMortality: ''})
    expect(none.riskBands).toEqual({lowRisk: [], midLowRisk: [], lnMortalityMean: '', lnMortalitySd: ''})
  })
})
