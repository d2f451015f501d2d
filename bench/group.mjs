#!/usr/bin/env node
// npm run bench: grouping speed and memory, measured on this machine, printed (never asserted).
// Scheme: ../shared/schemes/chs-drg-1.1 when present, else the bundled demo pack.
// 1. synthesize 1,000,000 cases (cached in bench/out/ per scheme and seed)
// 2. end to end, CSV → CSV (parse, group, write) in a fresh process, at 100k and 1M cases, with
//    peak RSS, to show memory does not grow with the input
// 3. the grouping step alone: parse in batches of 100, time only groupCase on each batch
// 4. the whole `yb group` command once, wall clock, start-up and pack load included
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const shared = join(root, '..', 'shared', 'schemes', 'chs-drg-1.1')
const scheme = existsSync(shared) ? shared : join(root, 'data', 'schemes', 'demo')
const schemeName = existsSync(shared) ? 'chs-drg-1.1' : 'demo (../shared absent)'
const out = join(root, 'bench', 'out')
mkdirSync(out, {recursive: true})
const bin = join(root, 'bin', 'run.js')
const child = join(root, 'bench', 'group-child.mjs')

const fmt = (n) => Math.round(n).toLocaleString('en-US')
function cases(count) {
  const file = join(out, `${schemeName.split(' ')[0]}-${count}.csv`)
  if (!existsSync(file)) {
    const t = Date.now()
    execFileSync('node', [bin, 'synth', 'cases', '--scheme', scheme, '--count', String(count), '--seed', '1', '--out', file], {stdio: 'inherit'})
    console.log(`  (synthesized ${fmt(count)} cases in ${((Date.now() - t) / 1000).toFixed(1)} s)`)
  }
  return file
}
function runChild(mode, file) {
  const r = spawnSync('node', [child, mode, scheme, file, join(out, 'grouped.csv')], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

console.log(`yb group benchmark — scheme ${schemeName}, node ${process.version}\n`)
const small = cases(100_000)
const large = cases(1_000_000)
console.log(`input: ${fmt(statSync(large).size / 1048576)} MiB for 1,000,000 cases\n`)

console.log('end to end, CSV → CSV, one process per run (pack load reported apart):')
for (const [label, file] of [['100,000', small], ['1,000,000', large]]) {
  const r = runChild('e2e', file)
  console.log(`  ${label.padStart(9)} cases: ${fmt(r.casesPerSecond)} cases/s (${(r.ms / 1000).toFixed(2)} s), pack load + compile ${fmt(r.loadMs)} ms, peak RSS ${fmt(r.maxRssMB)} MB (after load ${fmt(r.rssAfterLoadMB)} MB)`)
}
console.log('\ngrouping step alone (batches of 100 parsed cases, only groupCase timed), 5 runs:')
const rates = []
for (let k = 0; k < 5; k++) {
  const r = runChild('group-only', large)
  rates.push(r.casesPerSecond)
  console.log(`  run ${k + 1}: ${fmt(r.casesPerSecond)} cases/s (${r.nsPerCase.toFixed(0)} ns a case over ${fmt(r.cases)} cases)`)
}
rates.sort((a, b) => a - b)
console.log(`  median ${fmt(rates[2])} cases/s (min ${fmt(rates[0])}, max ${fmt(rates[4])})`)
const t = Date.now()
execFileSync('node', [bin, 'group', '--scheme', scheme, '--in', large, '--out', join(out, 'grouped.csv')], {stdio: 'ignore'})
const ms = Date.now() - t
console.log(`\nthe whole command \`yb group\` on 1,000,000 cases: ${(ms / 1000).toFixed(2)} s wall, ${fmt(1_000_000 / (ms / 1000))} cases/s including start-up and pack load`)
console.log('\nreference: the widely used open-source JavaScript CHS-DRG grouper does about 5,000 cases/s on this machine.')
