// Proves the compiled grouper (integer ids, key indexes, residual tests, precomputed results)
// decides exactly as a naive reading of docs/scheme-pack.md does, on 20,000 synthetic demo cases.
import {describe, expect, it} from 'vitest'
import type {GroupCase} from '../../src/grouper/case-view.js'
import {groupCase} from '../../src/grouper/group-case.js'
import type {SchemePack} from '../../src/grouper/pack-load.js'
import {adrgOwners, drgOwners, mdcOwners, resolveList} from '../../src/grouper/pack-check.js'
import type {Rule} from '../../src/grouper/rule-parse.js'
import {synthCases} from '../../src/grouper/synth.js'
import {parseCaseRow} from '../../src/io/case-row.js'
import {resolveCaseColumns} from '../../src/io/case-columns.js'
import {SYNTH_COLUMNS} from '../../src/grouper/synth.js'
import {demoPack, demoScheme} from '../helpers.js'

/** The spec, read literally: string sets, linear scans, no index. */
function naiveGroup(pack: SchemePack, c: GroupCase): string {
  const has = (owners: string[], list: string, code: string | undefined) => code !== undefined && resolveList(pack, owners, list)!.codes.includes(code)
  const pdxTable = pack.pdxTable.get(c.dx[0]!)
  const counted = c.dx.slice(1).filter((code) => pack.cc.has(code) && pack.cc.get(code)!.table !== pdxTable)
  const holds = (rule: Rule, owners: string[]): boolean => {
    switch (rule.kind) {
      case 'true':
        return true
      case 'has_mcc':
        return counted.some((code) => pack.cc.get(code)!.level === 'MCC')
      case 'has_cc':
        return counted.length > 0
      case 'not':
        return !holds(rule.item, owners)
      case 'and':
        return rule.items.every((item) => holds(item, owners))
      case 'or':
        return rule.items.some((item) => holds(item, owners))
      case 'in': {
        const codes = {pdx: c.dx.slice(0, 1), any_dx: c.dx, secondary_dx: c.dx.slice(1), main_px: c.px.slice(0, 1), any_px: c.px}[rule.subject]
        return codes.some((code) => has(owners, rule.list, code))
      }
      case 'cmp': {
        const regions = new Set(c.dx.map((code) => pack.bodyRegion.get(code)).filter((r) => r !== undefined)).size
        const value = {sex: c.sex, age_years: c.ageYears, age_days: c.ageDays, birth_weight_g: c.birthWeightG, los_days: c.losDays, body_regions: regions}[rule.field]
        return {'=': value === rule.value, '<': value < rule.value, '<=': value <= rule.value, '>': value > rule.value, '>=': value >= rule.value}[rule.op]
      }
    }
  }
  for (const mdc of [...pack.mdcs].sort((a, b) => a.order - b.order)) {
    if (!holds(mdc.rule, mdcOwners(mdc.mdc))) continue
    const rows = pack.adrgs.filter((row) => row.mdc === mdc.mdc).sort((a, b) => a.order - b.order)
    const firstMedical = rows.findIndex((row) => row.partition === 'medical')
    const qyAt = firstMedical < 0 ? rows.length : firstMedical
    for (let k = 0; k <= rows.length; k++) {
      if (mdc.qy && k === qyAt && c.px.some((code) => has(mdcOwners(mdc.mdc), 'valid_px', code))) return `${mdc.mdc.slice(-1)}QY`
      const row = rows[k]
      if (row === undefined || !holds(row.rule, adrgOwners(row))) continue
      const drgs = pack.drgs.filter((d) => d.adrg === row.adrg).sort((a, b) => a.order - b.order)
      return drgs.find((d) => holds(d.rule, drgOwners(row.adrg, row.mdc)))?.drg ?? '0000'
    }
  }
  return '0000'
}

describe('compiled grouper against a naive reading of the spec', () => {
  it('agrees on 20,000 synthetic demo cases', () => {
    const pack = demoPack()
    const scheme = demoScheme()
    const {columns} = resolveCaseColumns('synth', 1, [...SYNTH_COLUMNS])
    let compared = 0
    const seen = new Set<string>()
    for (const fields of synthCases(pack, {count: 20_000, seed: 11, invalidRate: 0, institutions: 5})) {
      const c = parseCaseRow(columns, fields, 'synth', 0, [])!
      const result = groupCase(scheme, c)
      if (result.status === 'invalid') continue
      expect(result.drg, JSON.stringify(c)).toBe(naiveGroup(pack, c))
      seen.add(result.drg)
      compared++
    }
    expect(compared).toBeGreaterThan(19_000)
    // The synthetic month reaches most of the pack, QY and 0000 included.
    expect(seen.size).toBeGreaterThan(60)
    expect([...seen].filter((drg) => drg.endsWith('QY')).length).toBeGreaterThan(3)
    expect(seen.has('0000')).toBe(true)
  })
})
