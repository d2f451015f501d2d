// Institution signals compare an institution with its peers of the same level (issue 18).
import {describe, expect, it} from 'vitest'
import {type AuditOptions, institutionSignals, splitAdmissions} from '../../src/quality/signals.js'

const OPTIONS: AuditOptions = {readmissionDays: 15, zMin: '3', casesMin: 30, shortStayDays: 2, cheapShare: '0.3'}
const LEVEL: Record<string, string> = {H1: '三级', H2: '三级', H3: '三级', H4: '三级', C1: '一级'}

describe('institutionSignals', () => {
  it('raises an institution far above the rest of its level, and none that is alone in its level', () => {
    const counts = [
      {institutionId: 'H1', stratum: 'BR2', cases: 200, flagged: 60},
      {institutionId: 'H2', stratum: 'BR2', cases: 200, flagged: 64},
      {institutionId: 'H3', stratum: 'BR2', cases: 200, flagged: 56},
      {institutionId: 'H4', stratum: 'BR2', cases: 200, flagged: 130},
      // A 一级 centre with a share far above the 三级 ones, but no peer to be compared with.
      {institutionId: 'C1', stratum: 'BR2', cases: 200, flagged: 180},
    ]
    const signals = institutionSignals('upcoding', counts, OPTIONS, (id) => LEVEL[id]!)
    expect(signals.filter((s) => s.raised).map((s) => s.institutionId)).toEqual(['H4'])
    const h4 = signals.find((s) => s.institutionId === 'H4')!
    // Its peers: (60 + 64 + 56) ÷ 600 = 0.3000 — C1 is not among them.
    expect(h4).toMatchObject({cases: 200, flagged: 130, share: '0.6500', peerShare: '0.3000'})
    expect(signals.find((s) => s.institutionId === 'C1')).toMatchObject({cases: 0, raised: false, z: ''})
    // Against the whole region (one peer group) C1 would be raised too.
    expect(institutionSignals('upcoding', counts, OPTIONS).filter((s) => s.raised).map((s) => s.institutionId)).toEqual(['C1', 'H4'])
  })
  it('needs cases_min cases', () => {
    const counts = [
      {institutionId: 'H1', stratum: 'X', cases: 20, flagged: 18},
      {institutionId: 'H2', stratum: 'X', cases: 400, flagged: 40},
    ]
    expect(institutionSignals('low_standard', counts, OPTIONS).filter((s) => s.raised)).toEqual([])
    expect(institutionSignals('low_standard', counts, {...OPTIONS, casesMin: 10}).filter((s) => s.raised).map((s) => s.institutionId)).toEqual(['H1'])
  })
})

describe('splitAdmissions', () => {
  const stay = (id: string, admit: string, discharge: string, pdx: string, drg: string) => ({settlementId: id, month: admit.slice(0, 7), admitDate: admit, dischargeDate: discharge, pdx, drg, status: drg === '' ? 'invalid' : 'grouped'})
  it('keeps readmissions within the days for the same ADRG or diagnosis category, and leaves out Z51', () => {
    const pairs = splitAdmissions(
      [
        {institutionId: 'H1', personKey: 'p1', first: stay('A', '2025-03-01', '2025-03-08', 'I63.900', 'BR25'), second: stay('B', '2025-03-20', '2025-03-25', 'I63.500', 'BR23')},
        {institutionId: 'H1', personKey: 'p2', first: stay('C', '2025-03-01', '2025-03-08', 'I63.900', 'BR25'), second: stay('D', '2025-03-24', '2025-03-28', 'I63.900', 'BR25')},
        {institutionId: 'H1', personKey: 'p3', first: stay('E', '2025-03-01', '2025-03-08', 'I63.900', ''), second: stay('F', '2025-03-10', '2025-03-15', 'I63.800', '')},
        {institutionId: 'H1', personKey: 'p4', first: stay('G', '2025-03-01', '2025-03-08', 'J18.900', 'ES35'), second: stay('H', '2025-03-10', '2025-03-15', 'I63.900', 'BR25')},
        {institutionId: 'H1', personKey: 'p5', first: stay('I', '2025-03-01', '2025-03-03', 'Z51.100', ''), second: stay('J', '2025-03-10', '2025-03-12', 'Z51.100', '')},
      ],
      OPTIONS,
      ['Z51'],
    )
    // A → B: 12 days, same ADRG BR2; C → D: 16 days, too late; E → F: same category I63 without a group; G → H: unrelated; Z51: planned.
    expect(pairs.map((p) => [p.first.settlementId, p.second.settlementId, p.gapDays, p.relation])).toEqual([
      ['A', 'B', 12, 'same_adrg'],
      ['E', 'F', 2, 'same_dx_category'],
    ])
  })
})
