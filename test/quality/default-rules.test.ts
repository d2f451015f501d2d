/**
 * Every bundled quality rule (data/qc-rules/default) against a case that fails it and one that
 * passes it; both start from one plausible case and change only what the rule reads.
 */
import {describe, expect, it} from 'vitest'
import {dirPackSource} from '../../src/grouper/pack-load.js'
import type {QcDictionary, QcRecord} from '../../src/quality/qc-case.js'
import {compileQc} from '../../src/quality/qc-compile.js'
import {loadQcPack} from '../../src/quality/qc-pack.js'

const loaded = loadQcPack(dirPackSource('data/qc-rules/default'))
if (loaded.pack === undefined) throw new Error(JSON.stringify(loaded.errors))
const pack = loaded.pack
const dictionary: QcDictionary = {hasDx: (code) => !code.startsWith('X99'), hasPx: (code) => !code.startsWith('99.99')}
const qc = compileQc(pack, dictionary)

const base: QcRecord = {
  sex: '1', age_years: '60', age_days: '21915', birth_weight_g: '', los_days: '8', discharge_mode: '1',
  admit_date: '2025-03-01', discharge_date: '2025-03-09', dx_codes: 'I63.900|I10.x00', px_codes: '',
  total_cost: '9000.00', fund_recorded: '6000.00', self_pay_all: '500.00', self_pay_first: '300.00', deductible: '800.00', co_pay: '1400.00', other_funds: '0.00',
}
const newborn: QcRecord = {...base, age_years: '0', age_days: '3', birth_weight_g: '3200', dx_codes: 'P59.900', los_days: '5', admit_date: '2025-03-01', discharge_date: '2025-03-06'}

/** rule id → [a case that fails it, a case that passes it] */
const VECTORS: Record<string, [QcRecord, QcRecord]> = {
  QC001: [{...base, dx_codes: 'W19.x00|S72.000'}, {...base, dx_codes: 'S72.000|W19.x00'}],
  QC002: [{...base, sex: '1', dx_codes: 'N83.200'}, {...base, sex: '2', dx_codes: 'N83.200'}],
  QC003: [{...base, sex: '2', dx_codes: 'N40.x00'}, {...base, sex: '1', dx_codes: 'N40.x00'}],
  QC004: [{...base, sex: '1', px_codes: '68.4100'}, {...base, sex: '2', px_codes: '68.4100'}],
  QC005: [{...base, sex: '2', px_codes: '60.2900'}, {...base, sex: '1', px_codes: '60.2900'}],
  QC006: [{...newborn, age_days: '45'}, newborn],
  QC007: [{...base, sex: '2', age_years: '62', dx_codes: 'O80.000'}, {...base, sex: '2', age_years: '29', age_days: '10600', dx_codes: 'O80.000'}],
  QC008: [{...newborn, birth_weight_g: ''}, newborn],
  QC009: [{...base, admit_date: '2025-03-10', discharge_date: '2025-03-09'}, base],
  QC010: [{...base, los_days: '12'}, {...base, los_days: '9'}],
  QC011: [{...base, fund_recorded: '9000.01'}, {...base, fund_recorded: '9000.00', self_pay_all: '0.00', self_pay_first: '0.00', deductible: '0.00', co_pay: '0.00'}],
  QC012: [{...base, co_pay: '9100.00'}, base],
  QC013: [{...base, co_pay: '2400.00'}, base],
  QC014: [{...base, dx_codes: 'I63.900|I10.x00|I10.x00'}, base],
  QC015: [{...base, px_codes: '99.1000|99.1000'}, {...base, px_codes: '99.1000|99.2900'}],
  QC016: [{...base, dx_codes: 'I63.900|X99.999'}, base],
  QC017: [{...base, px_codes: '99.9999'}, {...base, px_codes: '99.1000'}],
  QC018: [{...base, discharge_mode: '5', los_days: '0', discharge_date: '2025-03-01'}, {...base, discharge_mode: '5', los_days: '1', discharge_date: '2025-03-01'}],
  QC019: [{...base, discharge_mode: ''}, base],
}

const failedIds = (record: QcRecord): string[] => qc.failed(qc.caseOf(record)).map((k) => qc.rules[k]!.id)

describe('the bundled quality rules', () => {
  it('every rule has its two cases, and the plausible cases fail none', () => {
    expect(Object.keys(VECTORS).sort()).toEqual(pack.rules.map((rule) => rule.id).sort())
    expect(failedIds(base)).toEqual([])
    expect(failedIds(newborn)).toEqual([])
  })
  it.each(Object.entries(VECTORS))('%s fails its case and passes the other', (id, [failing, passing]) => {
    expect(failedIds(failing)).toContain(id)
    expect(failedIds(passing)).not.toContain(id)
  })
  it('says what made a rule fail', () => {
    const qcCase = qc.caseOf({...base, los_days: '12'})
    const index = qc.rules.findIndex((rule) => rule.id === 'QC010')
    expect(qc.evidence(index, qcCase)).toBe('los_date_gap 4')
    const sexCase = qc.caseOf({...base, px_codes: '68.4100|99.1000'})
    expect(qc.evidence(qc.rules.findIndex((rule) => rule.id === 'QC004'), sexCase)).toBe('sex 1; any_px 68.4100 in female_px')
  })
  it('leaves out the dictionary rules when there is no scheme, and says so', () => {
    const without = compileQc(pack)
    expect(without.notRun.map((rule) => rule.id)).toEqual(['QC016', 'QC017'])
    expect(without.failed(without.caseOf({...base, dx_codes: 'I63.900|X99.999'})).map((k) => without.rules[k]!.id)).toEqual([])
  })
})
