// Proves `groupFile` reproduces, for all 20,000 cases of each real pack, the DRG that the
// independent grouper assigned (../shared/conformance). Skipped with a notice without ../shared.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {compileScheme} from '../../src/grouper/compile-scheme.js'
import {groupFile} from '../../src/grouper/group-file.js'
import {dirPackSource, loadPack} from '../../src/grouper/pack-load.js'
import {SHARED, sharedPresent} from '../helpers.js'
import {tempDir} from '../cli/run.js'

const PACKS = [
  ['chs_drg_10', 'chs-drg-1.0'],
  ['chs_drg_11', 'chs-drg-1.1'],
  ['haerbin_2022', 'harbin-2022'],
] as const

describe.runIf(sharedPresent('the 60,000-case conformance suite'))('conformance with ../shared', () => {
  it.each(PACKS)('%s: every case gets the expected DRG', async (name, pack) => {
    const loaded = loadPack(dirPackSource(join(SHARED, 'schemes', pack)))
    expect(loaded.errors).toEqual([])
    const scheme = compileScheme(loaded.pack!)
    const out = join(tempDir(), 'out.csv')
    const result = await groupFile({scheme, input: join(SHARED, 'conformance', `${name}_cases.csv`), output: out, format: 'csv', explain: false, encoding: 'utf-8'})
    const got = parse(readFileSync(out), {columns: true}) as Record<string, string>[]
    const expected = parse(readFileSync(join(SHARED, 'conformance', `${name}_expected.csv`)), {columns: true}) as Record<string, string>[]
    expect(got).toHaveLength(20_000)
    expect(result.casesWritten).toBe(20_000)
    const mismatches = expected.filter((row, k) => got[k]!.settlement_id !== row.settlement_id || got[k]!.drg !== row.drg)
    expect(mismatches.slice(0, 5)).toEqual([])
    // The statuses line up too: 无法入组 is 0000, 歧义病案 is QY.
    expect(got.filter((row) => row.status === 'ungroupable').length).toBe(expected.filter((row) => row.status === '无法入组').length)
    expect(got.filter((row) => row.status === 'qy').length).toBe(expected.filter((row) => row.status === '歧义病案').length)
  })
})
