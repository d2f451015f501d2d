// Proves the grouper follows docs/scheme-pack.md on the demo pack, feature by feature, on both
// sides of every threshold, and that bad data becomes `invalid` with its reason.
import {describe, expect, it} from 'vitest'
import {groupCase} from '../../src/grouper/group-case.js'
import {explainCase} from '../../src/grouper/trace.js'
import {demoScheme, makeCase, newborn} from '../helpers.js'

const scheme = demoScheme()
const drgOf = (c: Parameters<typeof groupCase>[1]) => groupCase(scheme, c).drg

describe('MDCA: pre-MDC by procedure', () => {
  it('takes a kidney transplant before the renal MDC its diagnosis belongs to', () => {
    expect(groupCase(scheme, makeCase(['N18.500'], ['55.6900']))).toMatchObject({status: 'grouped', mdc: 'MDCA', adrg: 'AE1', drg: 'AE19'})
  })
  it('reaches AH1 through the second branch of an or (tracheostomy plus ventilation)', () => {
    expect(drgOf(makeCase(['J96.000'], ['31.1x00', '96.7200']))).toBe('AH15')
    expect(drgOf(makeCase(['J96.000', 'A41.900'], ['31.1x00', '96.7200']))).toBe('AH11')
  })
  it('leaves MDCA when no ADRG row there holds (tracheostomy alone)', () => {
    expect(groupCase(scheme, makeCase(['J18.900'], ['31.1x00']))).toMatchObject({mdc: 'MDCE'})
  })
})

describe('MDCP: newborn birth-weight splits', () => {
  it.each([
    [1499, 'PS15'],
    [1500, 'PS25'],
    [1999, 'PS25'],
    [2000, 'PS39'],
    [2499, 'PS39'],
    [2500, 'PU15'],
  ])('birth weight %i g → %s', (weight, drg) => {
    expect(drgOf(newborn(['P07.100'], weight))).toBe(drg)
  })
  it('puts a preterm newborn of normal weight in PS4 through any_dx', () => {
    expect(drgOf(newborn(['P59.900', 'P07.300'], 2600))).toBe('PS45')
  })
  it('uses age_days: 28 days is a newborn, 29 days is not', () => {
    expect(groupCase(scheme, newborn(['P59.900'], 3200, {ageDays: 28})).mdc).toBe('MDCP')
    expect(groupCase(scheme, newborn(['P59.900'], 3200, {ageDays: 29}))).toMatchObject({status: 'ungroupable', drg: '0000'})
  })
  it('counts a CC for a newborn whose principal diagnosis has no exclusion table', () => {
    expect(drgOf(newborn(['P22.000', 'J96.000'], 3000))).toBe('PR11')
  })
})

describe('MDCZ: multiple trauma by body regions', () => {
  it('needs two distinct regions', () => {
    expect(groupCase(scheme, makeCase(['S72.000', 'S06.000']))).toMatchObject({mdc: 'MDCZ', drg: 'ZZ19'})
    expect(groupCase(scheme, makeCase(['S72.000', 'S72.200']))).toMatchObject({mdc: 'MDCI', drg: 'IS25'})
  })
  it('takes a femur operation into ZC1', () => {
    expect(drgOf(makeCase(['S72.000', 'S22.300'], ['79.3501']))).toBe('ZC19')
  })
  it('gives ZQY for an operating-room procedure that no procedure row takes', () => {
    expect(groupCase(scheme, makeCase(['S72.000', 'S22.300'], ['86.2200']))).toMatchObject({status: 'qy', mdc: 'MDCZ', drg: 'ZQY'})
  })
})

describe('QY', () => {
  it('is checked just before the first medical row', () => {
    expect(groupCase(scheme, makeCase(['I63.900'], ['47.0900']))).toMatchObject({status: 'qy', drg: 'BQY', adrg: ''})
  })
  it('ignores procedures outside valid_px', () => {
    expect(drgOf(makeCase(['I63.900'], ['87.4100']))).toBe('BR25')
  })
  it('does not apply in an MDC with qy = no', () => {
    expect(drgOf(makeCase(['N17.900'], ['47.0900']))).toBe('LR15')
  })
})

describe('CC and MCC with exclusion tables', () => {
  it('counts an MCC from another table', () => {
    expect(drgOf(makeCase(['I63.900', 'J96.000']))).toBe('BR21')
  })
  it('excludes an MCC of the principal diagnosis’s own table, also as a CC', () => {
    expect(drgOf(makeCase(['J18.900', 'J96.000']))).toBe('ES35')
  })
  it('still counts a CC from another table beside an excluded MCC', () => {
    expect(drgOf(makeCase(['J18.900', 'J96.000', 'E87.100']))).toBe('ES33')
  })
  it('tries DRG rules in order: MCC, then age, then CC', () => {
    expect(drgOf(makeCase(['J18.900', 'E87.100'], [], {ageYears: 13, ageDays: 4800}))).toBe('ES32')
    expect(drgOf(makeCase(['J18.900', 'E87.100'], [], {ageYears: 14, ageDays: 5200}))).toBe('ES33')
  })
  it('only reads secondary diagnoses: a CC code as principal does not count', () => {
    expect(drgOf(makeCase(['N17.900']))).toBe('LR15')
  })
})

describe('sex-specific MDCs', () => {
  it('puts prostate cancer of a man in MDCM through an MDC-level list', () => {
    expect(drgOf(makeCase(['C61.x00']))).toBe('MR15')
  })
  it('leaves the same code for a woman ungroupable (no other MDC takes it)', () => {
    expect(groupCase(scheme, makeCase(['C61.x00'], [], {sex: 2}))).toMatchObject({status: 'ungroupable', drg: '0000', mdc: ''})
  })
  it('reads sex for delivery: MDCO needs sex = 2', () => {
    expect(drgOf(makeCase(['O80.000'], [], {sex: 2}))).toBe('OR19')
  })
  it('applies a los_days bound with has_cc inside a parenthesised or', () => {
    expect(drgOf(makeCase(['O80.000', 'D62.x00'], [], {sex: 2, losDays: 10}))).toBe('OR19')
    expect(drgOf(makeCase(['O80.000', 'D62.x00'], [], {sex: 2, losDays: 11}))).toBe('OZ19')
  })
})

describe('alternative ADRG rules', () => {
  it('reaches FM1 by its first rule (stent as main procedure) or its second (PTCA plus stent)', () => {
    expect(groupCase(scheme, makeCase(['I21.900'], ['36.0601']))).toMatchObject({adrg: 'FM1', drg: 'FM15'})
    expect(groupCase(scheme, makeCase(['I21.900'], ['00.6600', '36.0601']))).toMatchObject({adrg: 'FM1', drg: 'FM15'})
    expect(drgOf(makeCase(['I21.900'], ['00.6600']))).toBe('FM39')
  })
  it('names the rule_id that matched in the trace', () => {
    const c = makeCase(['I21.900'], ['00.6600', '36.0601'])
    expect(explainCase(scheme, c, groupCase(scheme, c))[1]).toMatch(/^FM1 rule FM1_2 \(adrg\.csv line \d+, procedure\): any_px in ptca\[FM1_2\] \(00\.6600\) and any_px in stent\[MDCF\] \(36\.0601\)$/)
  })
})

describe('invalid cases', () => {
  it.each([
    ['sex missing', makeCase(['I63.900'], [], {sex: 0}), 'sex_missing: sex is missing or not stated'],
    ['no principal diagnosis', makeCase([]), 'pdx_missing: the case has no principal diagnosis'],
    ['empty principal position', makeCase(['', 'I10.x00']), 'pdx_missing: the case has no principal diagnosis'],
    ['unknown diagnosis', makeCase(['I63.900', 'X99.999']), 'dx_unknown: X99.999 is not a diagnosis code of demo'],
    ['unknown procedures', makeCase(['I63.900'], ['00.0000', '11.1111']), 'px_unknown: 00.0000, 11.1111 are not procedure codes of demo'],
    ['newborn without birth weight', newborn(['P59.900'], 0, {ageDays: 28}), 'birth_weight_missing: a newborn of 28 days needs birth_weight_g'],
  ])('%s', (_, c, reason) => {
    expect(groupCase(scheme, c)).toMatchObject({status: 'invalid', drg: '', reason})
  })
  it('lists every fault of a case', () => {
    expect(groupCase(scheme, makeCase(['X99.999'], [], {sex: 0})).reason).toBe('sex_missing: sex is missing or not stated; dx_unknown: X99.999 is not a diagnosis code of demo')
  })
  it('accepts a code the scheme knows only from its lists or tables (no name)', () => {
    // A41.900 is in cc.csv; a code missing from dx_names.csv but present in a table is known.
    expect(groupCase(scheme, makeCase(['I63.900', 'A41.900'])).status).toBe('grouped')
  })
})

describe('trace', () => {
  it('names the MDC, ADRG and DRG rows, the lists and codes, and every CC decision', () => {
    const c = makeCase(['J18.900', 'J96.000', 'E87.100'])
    const trace = explainCase(scheme, c, groupCase(scheme, c))
    expect(trace[0]).toMatch(/^MDCE \(mdc\.csv line \d+\): pdx in zd\[MDCE\] \(J18\.900\)$/)
    expect(trace[1]).toMatch(/^ES3 rule ES3 \(adrg\.csv line \d+, medical\): pdx in zd\[ES3\] \(J18\.900\)$/)
    expect(trace[2]).toMatch(/^ES33 \(drg\.csv line \d+\): has_cc via E87\.100 CC$/)
    expect(trace.slice(3)).toEqual([
      'cc: J96.000 MCC excluded by exclusion table resp (the table of pdx J18.900)',
      'cc: E87.100 CC counted (its table metab; pdx table resp)',
    ])
  })
  it('explains QY and 0000', () => {
    const qy = makeCase(['I63.900'], ['47.0900'])
    expect(explainCase(scheme, qy, groupCase(scheme, qy))[1]).toBe('MDCB qy: no procedure ADRG row held and 47.0900 is in valid_px[*] → BQY')
    const none = makeCase(['Z51.100'])
    expect(explainCase(scheme, none, groupCase(scheme, none))).toEqual(['no MDC rule held → 0000'])
  })
})
