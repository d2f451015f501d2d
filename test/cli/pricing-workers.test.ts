// `yb pay` and `yb clear` priced on worker threads (issue 15: both cores) store exactly what one
// thread stores: the same --json, the same case rows in the same order, the same seals. YB_WORKERS
// forces the workers on small regions (by default they start at 100,000 cases), and
// YB_PRICING_PAGE_CASES makes pages small enough that months end inside pages and on their
// boundaries. The Harbin part runs on the real pack and weights when ../shared is here.
import {copyFileSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {SHARED, sharedPresent} from '../helpers.js'
import {tempDir, withEnv, yb, ybAll} from './run.js'

/** What the runs of a workspace stored, in order: runs (result, seal), their case, institution and correction rows. */
function stored(dbPath: string): string[] {
  const db = new Database(dbPath, {readonly: true})
  try {
    return [
      'SELECT run_id, kind, period, inputs_json, result_json, superseded_by, written_sha256 FROM run ORDER BY run_id',
      'SELECT * FROM run_case ORDER BY run_id, seq',
      'SELECT * FROM run_institution ORDER BY run_id, institution_id, pool',
      'SELECT * FROM run_correction ORDER BY run_id, settlement_id',
    ].flatMap((sql) => (db.prepare(sql).raw(true).all() as unknown[][]).map((row) => JSON.stringify(row)))
  } finally {
    db.close()
  }
}

const withoutRunIds = (json: string) => {
  const {runId, supersededRunId, ...rest} = JSON.parse(json) as Record<string, unknown>
  return [runId, supersededRunId, rest]
}

describe('yb pay and yb clear on pricing workers', () => {
  it('store the demo year exactly as one thread does, with pages ending inside and on month ends', async () => {
    const runs: Record<string, string[]> = {}
    const dirs: string[] = []
    for (const [workers, page] of [['1', '7'], ['2', '7'], ['3', '7'], ['2', '1'], ['2', '2000']] as const) {
      const dir = tempDir()
      dirs.push(dir)
      await withEnv({YB_WORKERS: workers, YB_PRICING_PAGE_CASES: page}, async () => {
        const demo = await yb(dir, ['demo', '--count', '30', '--out-dir', 'd'])
        expect(demo.exitCode, demo.stderr).toBe(0)
      })
      runs[`${workers}/${page}`] = stored(join(dir, 'd', 'demo.db'))
      const verify = await yb(dir, ['audit', 'verify', '--db', 'd/demo.db', '--json'])
      expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0)
    }
    const one = runs['1/7']!
    // 12 payments and the clearing, with their cases.
    expect(one.filter((row) => row.includes('"clear"')).length).toBeGreaterThan(0)
    expect(one.filter((row) => row.startsWith('[') && row.includes('"drg"')).length).toBeGreaterThan(300)
    for (const [key, rows] of Object.entries(runs)) expect(rows, key).toEqual(one)
    // The clearing counts the discharges its 特例单议 cap is a share of as it prices: the same as counting the stored cases.
    const db = new Database(join(dirs[0]!, 'd', 'demo.db'), {readonly: true})
    try {
      const counted = db.prepare("SELECT COUNT(*) FROM settlement_case WHERE month >= '2025-01' AND month <= '2025-12' AND payment_method NOT IN ('床日', '项目')").pluck().get() as number
      const clear = JSON.parse(db.prepare("SELECT result_json FROM run WHERE kind = 'clear' AND superseded_by IS NULL").pluck().get() as string) as {special: {rows: {scope: string; discharges: number}[]}}
      const region = clear.special.rows.filter((r) => r.scope === '统筹区')
      expect(region.length).toBeGreaterThan(0)
      expect(region.reduce((n, r) => n + r.discharges, 0)).toBe(counted)
    } finally {
      db.close()
    }
  }, 300_000)

  it.runIf(existsSync(join(SHARED, 'schemes', 'harbin-2022')) && sharedPresent('pricing workers on the Harbin pack'))(
    'pay two Harbin months (4,000 and 4,101 cases) and clear the year identically on 1, 2 and 3 workers',
    async () => {
      const base = tempDir()
      writeFileSync(join(base, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...Array.from({length: 12}, (_, k) => `H${String(k + 1).padStart(3, '0')},医院${k + 1},${['三级', '二级', '一级'][k % 3]},,职工|居民`)].join('\n'))
      writeFileSync(
        join(base, 'p.yaml'),
        // The rates computed from the budget: Σ weights counted on the workers too.
        policyTemplate({year: 2025, regionCode: '230100', regionName: '哈尔滨市', scheme: 'harbin-2022', method: 'DRG'}).replace('missing_weight_max_share: 0.01', 'missing_weight_max_share: 0.05'),
      )
      const scheme = join(SHARED, 'schemes', 'harbin-2022')
      await ybAll(base, [
        ['init'],
        ['scheme', 'import', scheme],
        ['institution', 'import', 'inst.csv'],
        ['weights', 'import', '--year', '2025', join(SHARED, 'reference', 'harbin-drg-weights', 'weights_2022.csv')],
        ['policy', 'import', 'p.yaml'],
        ['synth', 'cases', '--scheme', scheme, '--count', '4000', '--seed', '7', '--month', '2025-01', '--institutions', '12', '--out', 'c1.csv'],
        ['synth', 'cases', '--scheme', scheme, '--count', '4101', '--seed', '8', '--month', '2025-02', '--institutions', '12', '--out', 'c2.csv'],
        ['cases', 'import', '--month', '2025-01', 'c1.csv'],
        ['cases', 'import', '--month', '2025-02', 'c2.csv'],
      ])
      const results: Record<string, {json: unknown[]; rows: string[]}> = {}
      for (const workers of ['1', '2', '3']) {
        const dir = tempDir()
        copyFileSync(join(base, 'yibao.db'), join(dir, 'yibao.db'))
        const json = await withEnv({YB_WORKERS: workers}, async () => {
          const out: unknown[] = []
          for (const month of ['2025-01', '2025-02']) {
            const pay = await yb(dir, ['pay', '--month', month, '--json'])
            expect(pay.exitCode, pay.stdout + pay.stderr).toBe(0)
            out.push(withoutRunIds(pay.stdout))
          }
          const months = Array.from({length: 12}, (_, k) => `2025-${String(k + 1).padStart(2, '0')}`)
          await ybAll(dir, months.map((month) => ['period', 'close', '--month', month, '--reason', '拨付完成']))
          const clear = await yb(dir, ['clear', '--year', '2025', '--json'])
          expect(clear.exitCode, clear.stdout + clear.stderr).toBe(0)
          out.push(withoutRunIds(clear.stdout))
          return out
        })
        results[workers] = {json, rows: stored(join(dir, 'yibao.db'))}
      }
      const one = results['1']!
      const clear = (one.json[2] as [number, number, {rates: {source: string}[]}])[2]
      expect(clear.rates.map((r) => r.source)).toEqual(['computed', 'computed'])
      expect((one.json[2] as [number, number, {institutions: {cases: number}[]}])[2].institutions.reduce((n, i) => n + i.cases, 0)).toBe(8101)
      for (const workers of ['2', '3']) {
        expect(results[workers]!.json, `${workers} workers`).toEqual(one.json)
        expect(results[workers]!.rows, `${workers} workers`).toEqual(one.rows)
      }
    },
    300_000,
  )
})
