#!/usr/bin/env node
// Start-up of `yb`, whole process, as cron and the shell see it: `--version`, a command's `--help`,
// and a command that does nearly nothing (`period status` of an empty workspace). Each is run 15
// times after 2 warm-ups; the median and the fastest wall time are printed, and the CPU time
// (user + system) of the median run from /usr/bin/time when it is there. Printed, never asserted.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = process.env.YB_BIN ?? join(root, 'bin', 'run.js') // YB_BIN: another build, to compare
const RUNS = 15
const WARM = 2
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

const work = mkdtempSync(join(tmpdir(), 'yb-startup-'))
const env = {...process.env, YB_DB: join(work, 'yibao.db'), CI: 'true'}
spawnSync('node', [bin, 'init'], {env, cwd: work})

function once(args) {
  const started = process.hrtime.bigint()
  const run = time === undefined ? spawnSync('node', [bin, ...args], {env, cwd: work, encoding: 'utf8'}) : spawnSync(time, ['-f', '%U %S', 'node', bin, ...args], {env, cwd: work, encoding: 'utf8'})
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  if (run.status !== 0) throw new Error(`yb ${args.join(' ')} exited ${run.status}: ${run.stderr}`)
  const cpu = time === undefined ? undefined : run.stderr.trim().split('\n').at(-1).split(' ').reduce((sum, part) => sum + Number(part), 0)
  return {wallMs, cpuMs: cpu === undefined ? undefined : cpu * 1000}
}

console.log(`yb start-up — node ${process.version}, ${RUNS} runs each (median, fastest)\n`)
for (const args of [['--version'], ['pay', '--help'], ['period', 'status', '--year', '2025']]) {
  for (let k = 0; k < WARM; k += 1) once(args)
  const runs = Array.from({length: RUNS}, () => once(args)).sort((a, b) => a.wallMs - b.wallMs)
  const median = runs[Math.floor(RUNS / 2)]
  const cpu = median.cpuMs === undefined ? '' : `, CPU ${(median.cpuMs / 1000).toFixed(2)} s`
  console.log(`  yb ${args.join(' ').padEnd(28)} ${(median.wallMs / 1000).toFixed(3)} s median, ${(runs[0].wallMs / 1000).toFixed(3)} s fastest${cpu}`)
}
rmSync(work, {recursive: true, force: true})
console.log('')
