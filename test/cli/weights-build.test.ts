// `yb weights build` through the command (issue 17): three synthetic history years grouped with
// the demo pack give a weights file that `yb weights import` takes, one row per weighted DRG with
// its weight and average cost; the --json report accounts for every history case; a bad --trim or
// --year-weights is a usage error.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb, ybAll} from './run.js'

describe('yb weights build', () => {
  it('writes weights that yb weights import takes, and reports every case', async () => {
    const dir = tempDir()
    await ybAll(dir, [1, 2, 3].map((seed) => ['synth', 'cases', '--scheme', DEMO_DIR, '--count', '1500', '--seed', String(seed), '--invalid-rate', '0', '--out', `h${seed}.csv`]))
    const run = await yb(dir, ['weights', 'build', '--scheme', DEMO_DIR, '--history', 'h1.csv', '--history', 'h2.csv', '--history', 'h3.csv', '--out', 'w.csv', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout)
    expect(r.cases + r.notGrouped).toBe(4500)
    expect(r.yearWeights).toEqual(['1', '2', '7'])
    expect(r.trim).toEqual({method: 'percentile', low: '2.5', high: '97.5'})
    const rows = readFileSync(join(dir, 'w.csv'), 'utf8').trim().split('\n')
    expect(rows[0]).toBe('drg,weight,institution_level,avg_cost')
    const weighted = r.groups.filter((g: {weight: string}) => g.weight !== '')
    expect(rows.length - 1).toBe(weighted.length)
    for (const row of rows.slice(1)) expect(row).toMatch(/^[A-Z0-9]+,[0-9]+\.[0-9]{4},,([0-9]+\.[0-9]{2})?$/)
    await ybAll(dir, [['init'], ['weights', 'import', '--year', '2025', 'w.csv']])
    const stored = JSON.parse((await yb(dir, ['weights', 'list', '--year', '2025', '--json'])).stdout)
    expect(stored.weights.length).toBe(weighted.length)
    // Without trimming the weights differ (the tails are in).
    const none = JSON.parse((await yb(dir, ['weights', 'build', '--scheme', DEMO_DIR, '--history', 'h3.csv', '--trim', 'none', '--out', 'w0.csv', '--json'])).stdout)
    expect(none.trimmed).toBe(0)
    expect(none.yearWeights).toEqual(['1'])
    const bad = await yb(dir, ['weights', 'build', '--scheme', DEMO_DIR, '--history', 'h3.csv', '--trim', 'percentile:97:3', '--out', 'x.csv', '--json'])
    expect(bad.exitCode).toBe(2)
    expect(JSON.parse(bad.stdout).error.code).toBe('flag_value_bad')
    // A history with data faults (the default synthetic 0.2%, some without a principal diagnosis): those are counted as not grouped.
    await ybAll(dir, [['synth', 'cases', '--scheme', DEMO_DIR, '--count', '3000', '--seed', '9', '--out', 'faulty.csv']])
    const faulty = JSON.parse((await yb(dir, ['weights', 'build', '--scheme', DEMO_DIR, '--history', 'faulty.csv', '--out', 'wf.csv', '--json'])).stdout)
    expect(faulty.cases + faulty.notGrouped).toBe(3000)
    const years = await yb(dir, ['weights', 'build', '--scheme', DEMO_DIR, '--history', 'h1.csv', '--history', 'h2.csv', '--year-weights', '1:2:7', '--out', 'x.csv', '--json'])
    expect(years.exitCode).toBe(1)
    expect(JSON.parse(years.stdout).error.message).toContain('3 year weights for 2 history files')
  }, 60_000)
})
