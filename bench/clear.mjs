#!/usr/bin/env node
// npm run bench:clear [-- casesPerMonth] — `yb clear` of a year of 12 × 1,000,000 cases (issue
// 15: goal ≤ 30 s), with its time and peak memory; the year's prepayment, imports and payments
// are made first and timed apart. Region as bench:pay (40 institutions, harbin-2022 with the
// real Harbin 2022 weights; the demo pack when ../shared is absent).
import {spawnSync} from 'node:child_process'
import {benchRegion} from './region.mjs'

const perMonth = Number(process.argv[2] ?? 1_000_000)
const region = benchRegion(process.env.YB_BENCH_DIR ?? 'clear', perMonth, 40)
const months = Array.from({length: 12}, (_, k) => `2025-${String(k + 1).padStart(2, '0')}`)
console.log(`yb clear benchmark — 12 months of ${region.describe}\n`)
region.setup()
region.yb('prepay', '--year', '2025', '--reserve-months', '职工=3', '--reserve-months', '居民=3')
let importSeconds = 0
let paySeconds = 0
for (const [k, month] of months.entries()) {
  const file = `cases-${month}.csv`
  region.yb('synth', 'cases', '--scheme', region.scheme, '--count', String(perMonth), '--seed', String(100 + k), '--month', month, '--institutions', '40', '--out', file)
  let t = Date.now()
  region.yb('cases', 'import', '--month', month, file)
  importSeconds += (Date.now() - t) / 1000
  t = Date.now()
  region.yb('pay', '--month', month)
  paySeconds += (Date.now() - t) / 1000
  region.yb('period', 'close', '--month', month, '--reason', 'bench')
  process.stdout.write(`  ${month}: imported and paid (${importSeconds.toFixed(0)} s importing, ${paySeconds.toFixed(0)} s paying so far)\n`)
}
console.log(`\n12 imports: ${importSeconds.toFixed(1)} s; 12 payments: ${paySeconds.toFixed(1)} s`)
const started = Date.now()
const run = spawnSync('/usr/bin/time', ['-f', '%M', 'node', region.bin, 'clear', '--year', '2025', '--json'], {env: region.env, cwd: region.out, encoding: 'utf8', maxBuffer: 1 << 30})
const seconds = (Date.now() - started) / 1000
if (run.status !== 0) throw new Error(`yb clear: ${run.stderr}`)
const peakMB = Number(run.stderr.trim().split('\n').at(-1)) / 1024
const result = JSON.parse(run.stdout)
const cases = result.institutions.reduce((sum, line) => sum + line.cases, 0)
console.log(`yb clear --year 2025: ${seconds.toFixed(1)} s for ${cases.toLocaleString('en-US')} cases (${Math.round(cases / seconds).toLocaleString('en-US')} cases/s), peak RSS ${peakMB.toFixed(0)} MB`)
console.log(`  ${result.institutions.length} institution-pool lines; checks ${result.checks.every((c) => c.holds) ? 'all hold' : 'FAIL'}`)
