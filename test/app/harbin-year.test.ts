// Proves a whole year runs on the real Harbin 2022 pack with the real Harbin 2022 weights and
// base rates (../shared): twelve monthly payments and the clearing, every check equation
// holding, grouped cases priced with the published weight of their DRG. Skipped without ../shared.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runClear} from '../../src/app/clear.js'
import {runPay} from '../../src/app/pay.js'
import {closePeriods} from '../../src/app/periods.js'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {dirPackSource, loadPack} from '../../src/grouper/pack-load.js'
import {writeSynthCases} from '../../src/grouper/synth-file.js'
import {openWorkspace} from '../../src/store/db.js'
import {savePolicy} from '../../src/store/policies.js'
import {saveScheme} from '../../src/store/schemes.js'
import {importCases, importInstitutions, importWeights} from '../../src/store/settlement-data.js'
import {SHARED, sharedPresent} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'yb-harbin-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe.runIf(sharedPresent('the Harbin 2022 year'))('a year on the real Harbin 2022 pack and weights', () => {
  it('pays twelve months and clears the year with every check holding', async () => {
    const pack = loadPack(dirPackSource(join(SHARED, 'schemes', 'harbin-2022'))).pack!
    const {db} = openWorkspace({path: join(dir, 'y.db'), create: true})
    try {
      saveScheme(db, pack, 'harbin-2022')
      writeFileSync(join(dir, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...Array.from({length: 12}, (_, k) => `H${String(k + 1).padStart(3, '0')},医院${k + 1},${['三级', '二级'][k % 2]},,职工|居民`)].join('\n'))
      await importInstitutions(db, {file: join(dir, 'inst.csv'), encoding: 'utf-8', replace: false})
      const weightsFile = join(SHARED, 'reference', 'harbin-drg-weights', 'weights_2022.csv')
      expect((await importWeights(db, 2022, {file: weightsFile, encoding: 'utf-8', replace: false})).inserted).toBe(660)
      // The published 2023 base rates per pool (base_rates.csv): no 2022 rate is published.
      const rates = readFileSync(join(SHARED, 'reference', 'harbin-drg-weights', 'base_rates.csv'), 'utf8')
      const rateOf = (pool: string) => rates.split('\n').find((line) => line.startsWith(`2023,${pool},`))!.split(',')[2]
      const policy = policyTemplate({year: 2022, regionCode: '230100', regionName: '哈尔滨市', scheme: 'harbin-2022', method: 'DRG'}).replace(
        'rate_yuan_per_weight: computed',
        `rate_yuan_per_weight: {职工: ${rateOf('职工')}, 居民: ${rateOf('居民')}}`,
      )
        // Synthetic cases spread evenly over the pack's DRGs, a few of which the 2022 weights do not publish (NA19, JA19, …): a month
        // of 150 such cases can have 2% without a weight, where a real month has far fewer.
        .replace('missing_weight_max_share: 0.01', 'missing_weight_max_share: 0.05')
      savePolicy(db, 2022, policy, 'policy-2022.yaml')
      const months = Array.from({length: 12}, (_, k) => `2022-${String(k + 1).padStart(2, '0')}`)
      for (const [k, month] of months.entries()) {
        await writeSynthCases(pack, join(dir, `${month}.csv`), {count: 150, seed: 500 + k, invalidRate: 0.01, institutions: 12, month})
        await importCases(db, month, {file: join(dir, `${month}.csv`), encoding: 'utf-8', replace: false})
        const paid = await runPay(db, {month})
        expect(paid.totals.cases).toBe(150)
        expect(paid.checks.every((c) => c.holds)).toBe(true)
      }
      await closePeriods(db, 'pay', months, {reason: '拨付完成', by: 'test'})
      const clear = await runClear(db, {year: 2022})
      expect(clear.monthsWithoutPayment).toEqual([])
      expect(clear.rates).toEqual([
        {pool: '职工', source: 'published', rateYuanPerWeight: '12165.26'},
        {pool: '居民', source: 'published', rateYuanPerWeight: '12099.85'},
      ])
      expect(clear.checks.every((c) => c.holds)).toBe(true)
      // A grouped case carries the published weight of its DRG.
      const weights = new Map(readFileSync(weightsFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',') as [string, string]))
      const priced = db.prepare("SELECT drg, weight FROM run_case WHERE run_id = ? AND payment = 'drg'").all(clear.runId) as {drg: string; weight: string}[]
      expect(priced.length).toBeGreaterThan(1000)
      expect(priced.every((row) => weights.get(row.drg) === row.weight)).toBe(true)
    } finally {
      db.close()
    }
  })
})
