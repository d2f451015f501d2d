#!/usr/bin/env node
// npm run bench:evaluate — `yb evaluate --year 2025` on the year bench:clear leaves (12 months of
// 1,000,000 cases; it builds one when absent: about ten minutes), and --month on one of them:
// time and peak memory of the whole process. Printed, never asserted.
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
console.log('\n(yb weights build, the other half of issue 17, is not written yet.)')
