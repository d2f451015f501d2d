#!/usr/bin/env node
// npm run bench:evaluate — `yb evaluate --year 2025` on the year bench:clear leaves (12 months of
// 1,000,000 cases; it builds one when absent: about ten minutes), --month on one of them, and
// `yb weights build` on three history years of 1,000,000 cases: time and peak memory of the whole
// process. Printed, never asserted.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {root} from './region.mjs'

const db = join(root, 'bench', 'out', 'clear', 'yibao.db')
if (!existsSync(db)) execFileSync('node', [join(root, 'bench', 'clear.mjs')], {stdio: 'inherit'})
const bin = join(root, 'bin', 'run.js')
console.log('yb evaluate benchmark — the bench:clear year\n')
for (const args of [['--month', '2025-06'], ['--year', '2025']]) {
  const started = Date.now()
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'node', bin, 'evaluate', ...args, '--db', db, '--json'], {encoding: 'utf8', maxBuffer: 1 << 28, env: {...process.env, CI: 'true'}})
  if (run.status !== 0) throw new Error(run.stderr)
  const seconds = (Date.now() - started) / 1000
  const result = JSON.parse(run.stdout)
  console.log(`  yb evaluate ${args.join(' ')}: ${seconds.toFixed(1)} s for ${result.region.cases.toLocaleString('en-US')} cases, peak RSS ${(Number(run.stderr.trim().split('\n').at(-1)) / 1024).toFixed(0)} MB; region CMI ${result.region.cmi}, ${result.units.length} institutions`)
}
// yb weights build on three history years of 1,000,000 synthetic cases each (harbin-2022, or the demo pack without ../shared).
const harbin = join(root, '..', 'shared', 'schemes', 'harbin-2022')
const scheme = existsSync(harbin) ? harbin : join(root, 'data', 'schemes', 'demo')
const out = join(root, 'bench', 'out')
const files = [1, 2, 3].map((k) => {
  const file = join(out, `history-${k}-1000000.csv`)
  if (!existsSync(file)) execFileSync('node', [bin, 'synth', 'cases', '--scheme', scheme, '--count', '1000000', '--seed', String(100 + k), '--invalid-rate', '0', '--out', file], {stdio: 'ignore'})
  return file
})
const started = Date.now()
const run = spawnSync('/usr/bin/time', ['-f', '%M', 'node', bin, 'weights', 'build', '--scheme', scheme, ...files.flatMap((f) => ['--history', f]), '--out', join(out, 'built-weights.csv'), '--json'], {encoding: 'utf8', maxBuffer: 1 << 28, env: {...process.env, CI: 'true'}})
if (run.status !== 0) throw new Error(run.stderr)
const built = JSON.parse(run.stdout)
console.log(`  yb weights build, 3 × 1,000,000 cases: ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${(Number(run.stderr.trim().split('\n').at(-1)) / 1024).toFixed(0)} MB; ${built.groups.length} groups, RIV ${built.riv}, ${built.trimmed.toLocaleString('en-US')} trimmed`)
