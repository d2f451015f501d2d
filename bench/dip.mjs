#!/usr/bin/env node
// npm run bench:dip: DIP grouping against DRG grouping on the same 1,000,000 cases, measured on
// this machine and printed (never asserted). The DIP catalog is built with `yb dip build` from
// 100,000 synthetic cases of the same scheme (another seed, no data faults); the cases
// are those of `npm run bench` (cached in bench/out/, made here when missing).
// 1. end to end, CSV → CSV, in a fresh process each: DRG alone, DIP alone, both in one pass
// 2. the grouping step alone (parsed cases in batches of 100, only the grouping call timed)
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {spawnSync} from 'node:child_process'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const shared = join(root, '..', 'shared', 'schemes', 'chs-drg-1.1')
const scheme = existsSync(shared) ? shared : join(root, 'data', 'schemes', 'demo')
const schemeName = existsSync(shared) ? 'chs-drg-1.1' : 'demo'
const out = join(root, 'bench', 'out')
mkdirSync(out, {recursive: true})
const bin = join(root, 'bin', 'run.js')
const fmt = (n) => Math.round(n).toLocaleString('en-US')

function cases(count) {
  const file = join(out, `${schemeName}-${count}.csv`)
  if (!existsSync(file)) execFileSync('node', [bin, 'synth', 'cases', '--scheme', scheme, '--count', String(count), '--seed', '1', '--out', file], {stdio: 'inherit'})
  return file
}
const history = join(out, `${schemeName}-history-100000.csv`)
if (!existsSync(history)) execFileSync('node', [bin, 'synth', 'cases', '--scheme', scheme, '--count', '100000', '--seed', '7', '--invalid-rate', '0', '--out', history], {stdio: 'inherit'})
const large = cases(1_000_000)
const catalog = join(out, `dip-${schemeName}`)
execFileSync('node', [bin, 'dip', 'build', '--history', history, '--out', catalog, '--year', '2025', '--id', 'bench-dip', '--json'], {stdio: 'ignore'})
console.log(`DIP vs DRG grouping — scheme ${schemeName}, DIP catalog built from 100,000 of its cases, node ${process.version}\n`)

function child(mode, what) {
  const r = spawnSync('node', [join(root, 'bench', 'dip-child.mjs'), mode, what, scheme, catalog, large, join(out, 'grouped-dip.csv')], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}
console.log('end to end, CSV → CSV, 1,000,000 cases, one process per run:')
const e2e = {}
for (const what of ['drg', 'dip', 'both']) {
  const r = child('e2e', what)
  e2e[what] = r.casesPerSecond
  console.log(`  ${what.padEnd(4)}: ${fmt(r.casesPerSecond)} cases/s (${(r.ms / 1000).toFixed(2)} s), load + compile ${fmt(r.loadMs)} ms, peak RSS ${fmt(r.maxRssMB)} MB`)
}
console.log(`  DIP ÷ DRG throughput: ${(e2e.dip / e2e.drg).toFixed(2)} (target ≥ 0.5)`)
console.log('\ngrouping step alone (batches of 100 parsed cases), median of 3 runs:')
const median = (xs) => xs.sort((a, b) => a - b)[1]
const alone = {}
for (const what of ['drg', 'dip']) {
  alone[what] = median([0, 1, 2].map(() => child('group-only', what).casesPerSecond))
  console.log(`  ${what}: ${fmt(alone[what])} cases/s`)
}
console.log(`  DIP ÷ DRG: ${(alone.dip / alone.drg).toFixed(2)}`)
