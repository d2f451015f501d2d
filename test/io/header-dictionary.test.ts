// Proves there is one header dictionary: the same Chinese header means the same column in every
// file kind (cases for yb group and for yb cases import alike), and docs/case-format.md lists
// every name every reader accepts.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CASE_COLUMN_NAMES, normalizeHeader} from '../../src/io/case-columns.js'
import {DEDUCTION_COLUMNS, INSTITUTION_COLUMNS, SETTLEMENT_CASE_COLUMNS, SPECIAL_CASE_COLUMNS, WEIGHT_COLUMNS} from '../../src/io/columns.js'
import {ROOT} from '../helpers.js'

const KINDS = {institutions: INSTITUTION_COLUMNS, weights: WEIGHT_COLUMNS, cases: SETTLEMENT_CASE_COLUMNS, deductions: DEDUCTION_COLUMNS, special: SPECIAL_CASE_COLUMNS}

describe('the header dictionary', () => {
  it('gives a grouping column of the case file the same names in yb group and yb cases import', () => {
    for (const spec of SETTLEMENT_CASE_COLUMNS) {
      const grouping = (CASE_COLUMN_NAMES as Record<string, readonly string[]>)[spec.name]
      if (grouping !== undefined) expect([spec.name, ...spec.aliases], spec.name).toEqual([...grouping])
    }
    expect(SETTLEMENT_CASE_COLUMNS.find((s) => s.name === 'age_days')!.aliases).toContain('年龄(日)')
  })

  it('never gives one name to two columns of a file, and means one column by a name across files', () => {
    const meaning = new Map<string, string>()
    for (const [kind, specs] of Object.entries(KINDS)) {
      const names = specs.flatMap((s) => [s.name, ...s.aliases].map(normalizeHeader))
      expect(new Set(names).size, kind).toBe(names.length)
      for (const spec of specs) {
        for (const alias of spec.aliases) {
          // 险种 is the pool of a case or deduction, and the list of pools an institution serves.
          const column = spec.name === 'pools' || spec.name === 'pool' ? 'insurance_type' : spec.name === 'drg_name' ? 'name' : spec.name
          const earlier = meaning.get(alias)
          if (earlier !== undefined && alias !== '医院等级' && alias !== '机构等级' && alias !== 'name') expect(column, `${kind} ${alias}`).toBe(earlier)
          meaning.set(alias, column)
        }
      }
    }
  })

  it('is documented in docs/case-format.md, every name of every file', () => {
    const doc = readFileSync(join(ROOT, 'docs/case-format.md'), 'utf8')
    for (const specs of Object.values(KINDS)) for (const spec of specs) for (const name of [spec.name, ...spec.aliases]) expect(doc, name).toContain(name)
    for (const names of Object.values(CASE_COLUMN_NAMES)) for (const name of names) expect(doc, name).toContain(name)
  })
})
