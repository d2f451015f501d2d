#!/usr/bin/env node
// Side by side with the OpenDRG JavaScript grouper (../shared/peers/opendrg-js), in one run on
// the same cases: the whole process of each, as a user runs it (start-up, pack load, reading and
// writing included), median of 3 runs after one warm-up (which also fills yb's pack cache).
// 20,000 cases: the CHS-DRG 1.1 conformance file; 100,000: `yb synth cases` of chs-drg-1.1.
// Printed, never asserted; skipped with a notice when ../shared is absent.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const shared = join(root, '..', 'shared')
const peer = join(shared, 'peers', 'opendrg-js')
const scheme = join(shared, 'schemes', 'chs-drg-1.1')
const bin = process.env.YB_BIN ?? join(root, 'bin', 'run.js')
const out = join(root, 'bench', 'out')
const RUNS = 3

if (!existsSync(join(peer, 'group-csv.mjs')) || !existsSync(scheme)) {
  console.log('notice: ../shared/peers/opendrg-js or ../shared/schemes/chs-drg-1.1 is absent, skipping the side-by-side table\n')
  process.exit(0)
}
mkdirSync(out, {recursive: true})
const conformance = join(shared, 'conformance', 'chs_drg_11_cases.csv')
const synth = join(out, 'chs-drg-1.1-100000.csv')
if (!existsSync(synth)) execFileSync('node', [bin, 'synth', 'cases', '--scheme', scheme, '--count', '100000', '--seed', '1', '--out', synth], {stdio: 'inherit'})

function wall(command, args) {
  const started = process.hrtime.bigint()
  const run = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 1 << 30, env: {...process.env, CI: 'true'}})
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${run.stderr}`)
  return {seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: run.stdout}
}
function median(command, args) {
  wall(command, args)
  const times = Array.from({length: RUNS}, () => wall(command, args).seconds).sort((a, b) => a - b)
  return times[Math.floor(RUNS / 2)]
}

console.log(`yb group against the OpenDRG JavaScript grouper (CHS-DRG 1.1), whole process, median of ${RUNS}\n`)
console.log('| work | OpenDRG JS | yb | ratio |')
console.log('|---|---|---|---|')
for (const [label, file] of [['group 20,000 cases (conformance)', conformance], ['group 100,000 cases (synthetic)', synth]]) {
  const ybOut = join(out, 'yb-grouped.csv')
  const peerSeconds = median('node', ['--no-warnings', join(peer, 'group-csv.mjs'), peer, 'chs_drg_11', file])
  const ybSeconds = median('node', [bin, 'group', '--scheme', scheme, '--in', file, '--out', ybOut])
  console.log(`| ${label} | ${peerSeconds.toFixed(2)} s | ${ybSeconds.toFixed(2)} s | ${(peerSeconds / ybSeconds).toFixed(1)}× |`)
  if (file === conformance) {
    // The two agree case by case (the peer is the reference the conformance file was checked with).
    const peerRows = new Map(wall('node', ['--no-warnings', join(peer, 'group-csv.mjs'), peer, 'chs_drg_11', file]).stdout.trim().split('\n').slice(1).map((line) => line.split(',')).map((f) => [f[0], f[4]]))
    const [header, ...rows] = readFileSync(ybOut, 'utf8').trim().split('\n').map((line) => line.split(','))
    const id = header.indexOf('settlement_id')
    const drg = header.indexOf('drg')
    agreement = `${rows.filter((r) => peerRows.get(r[id]) === r[drg]).length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} cases in the same DRG`
  }
}
var agreement
console.log(`\n(${agreement} on the conformance file)\n`)
