// Proves synthetic cases are deterministic per seed, valid in the case format, and carry
// data faults at about the asked rate.
import {describe, expect, it} from 'vitest'
import {groupCase} from '../../src/grouper/group-case.js'
import {SYNTH_COLUMNS, synthCases} from '../../src/grouper/synth.js'
import {parseCaseRow} from '../../src/io/case-row.js'
import {resolveCaseColumns} from '../../src/io/case-columns.js'
import type {InputError} from '../../src/errors.js'
import {demoPack, demoScheme} from '../helpers.js'

const options = {count: 2000, seed: 5, invalidRate: 0.05, institutions: 12}

describe('synthCases', () => {
  it('gives the same rows for the same seed and different rows for another', () => {
    const pack = demoPack()
    const a = [...synthCases(pack, options)]
    expect([...synthCases(pack, options)]).toEqual(a)
    expect([...synthCases(pack, {...options, seed: 6})]).not.toEqual(a)
  })

  it('writes rows that parse without errors, amounts with 2 decimals, institutions in range', () => {
    const errors: InputError[] = []
    const {columns} = resolveCaseColumns('synth', 1, [...SYNTH_COLUMNS])
    const rows = [...synthCases(demoPack(), options)]
    rows.forEach((fields, k) => parseCaseRow(columns, fields, 'synth', k + 2, errors))
    expect(errors).toEqual([])
    expect(rows.every((row) => /^[0-9]+\.[0-9]{2}$/.test(row[10]!))).toBe(true)
    expect(new Set(rows.map((row) => row[1])).size).toBeLessThanOrEqual(12)
  })

  it('spoils about the asked share of cases so that they group as invalid', () => {
    const {columns} = resolveCaseColumns('synth', 1, [...SYNTH_COLUMNS])
    const scheme = demoScheme()
    const invalid = [...synthCases(demoPack(), options)].filter((fields) => groupCase(scheme, parseCaseRow(columns, fields, 's', 0, [])!).status === 'invalid').length
    expect(invalid).toBeGreaterThan(50)
    expect(invalid).toBeLessThan(160)
  })
})
