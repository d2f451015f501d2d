// Proves a scheme pack is checked completely when it loads: each kind of fault is reported
// with its file, line, column and a message that says what to fix.
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {formatInputError} from '../../src/errors.js'
import {loadPack, mapPackSource} from '../../src/grouper/pack-load.js'
import {DEMO_DIR} from '../helpers.js'

function demoFiles(): Map<string, string> {
  return new Map(readdirSync(DEMO_DIR).map((name) => [name, readFileSync(join(DEMO_DIR, name), 'utf8')]))
}

/** Loads the demo pack with one file edited; returns the errors as text. */
function errorsWith(file: string, edit: (text: string) => string): string[] {
  const files = demoFiles()
  files.set(file, edit(files.get(file)!))
  return loadPack(mapPackSource('demo', files)).errors.map(formatInputError)
}

/** The 1-based line of the first line containing `needle`. */
function lineOf(file: string, needle: string): number {
  return demoFiles().get(file)!.split('\n').findIndex((line) => line.includes(needle)) + 1
}

describe('loadPack', () => {
  it('loads the demo pack without errors', () => {
    const loaded = loadPack(mapPackSource('demo', demoFiles()))
    expect(loaded.errors).toEqual([])
    expect(loaded.pack?.meta.id).toBe('demo')
  })

  it('gives the same sha256 for the same files and another for a changed file', () => {
    const a = loadPack(mapPackSource('demo', demoFiles())).pack!.sha256
    const files = demoFiles()
    files.set('dx_names.csv', `${files.get('dx_names.csv')}Z99.900,另一个\n`)
    expect(loadPack(mapPackSource('demo', files)).pack!.sha256).not.toBe(a)
    expect(loadPack(mapPackSource('demo', demoFiles())).pack!.sha256).toBe(a)
  })

  it('reports a rule that names an unknown list', () => {
    const line = lineOf('adrg.csv', 'BR2,BR2')
    expect(errorsWith('adrg.csv', (t) => t.replace('BR2,BR2,脑缺血性疾患,medical,pdx in zd', 'BR2,BR2,脑缺血性疾患,medical,pdx in zdx'))).toEqual([
      `adrg.csv:${line} rule: the rule names list "zdx", which no owner of this row has (looked in BR2, MDCB, *)`,
    ])
  })

  it('reports a bad operator with its position in the rule', () => {
    const line = lineOf('mdc.csv', 'MDCP')
    expect(errorsWith('mdc.csv', (t) => t.replace('age_days <= 28', 'age_days => 28'))).toEqual([
      `mdc.csv:${line} rule: expected an integer but found ">" at character 25 in "pdx in zd and age_days => 28"`,
    ])
  })

  it('reports a duplicate order inside an MDC', () => {
    const line = lineOf('adrg.csv', 'MDCB,2,BB1')
    expect(errorsWith('adrg.csv', (t) => t.replace('MDCB,2,BB1', 'MDCB,1,BB1'))).toEqual([`adrg.csv:${line} order: MDCB order 1 is given twice (first at line ${line - 1})`])
  })

  it('reports a value outside its set with the column', () => {
    const line = lineOf('cc.csv', 'E87.100')
    expect(errorsWith('cc.csv', (t) => t.replace('E87.100,CC', 'E87.100,XCC'))).toEqual([`cc.csv:${line} level: Invalid option: expected one of "CC"|"MCC" (found "XCC")`])
  })

  it('reports a row with the wrong number of fields', () => {
    expect(errorsWith('body_regions.csv', (t) => t.replace('S06.000,头颈部创伤', 'S06.000,头颈部创伤,extra'))).toEqual([
      'body_regions.csv:2: the row has 3 fields but the header has 2',
    ])
  })

  it('reports a DRG of an ADRG that does not exist, and an ADRG without DRGs', () => {
    const drgLine = lineOf('drg.csv', 'LZ1,1,LZ19')
    const adrgLine = lineOf('adrg.csv', 'MDCL,2,LZ1')
    expect(errorsWith('drg.csv', (t) => t.replace('LZ1,1,LZ19', 'LZ2,1,LZ19'))).toEqual([
      `drg.csv:${drgLine} adrg: ADRG "LZ2" is not in adrg.csv`,
      `adrg.csv:${adrgLine} adrg: ADRG "LZ1" has no DRG in drg.csv`,
    ])
  })

  it('reports a list owner that is nothing in the pack', () => {
    const line = lineOf('lists.csv', 'AE1,ss,55.6900')
    expect(errorsWith('lists.csv', (t) => t.replace('AE1,ss,55.6900', 'AE1,ss,55.6900\nZZ9,ss,55.6900'))).toEqual([
      `lists.csv:${line + 1} owner: owner "ZZ9" is not "*", an MDC, an ADRG or an ADRG rule_id`,
    ])
  })

  it('reports a missing header column, a missing file and an unknown format', () => {
    expect(errorsWith('cc.csv', (t) => t.replace('code,level,exclusion_table', 'code,level,table'))).toEqual([
      'cc.csv:1 exclusion_table: the header lacks exclusion_table (expected code,level,exclusion_table)',
    ])
    const files = demoFiles()
    files.delete('px_names.csv')
    expect(loadPack(mapPackSource('demo', files)).errors.map(formatInputError)).toEqual(['px_names.csv: the pack has no px_names.csv'])
    expect(errorsWith('scheme.json', (t) => t.replace('scheme-pack/1', 'scheme-pack/9'))).toEqual(['scheme.json format: Invalid input: expected "scheme-pack/1"'])
  })
})
