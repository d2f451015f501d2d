#!/usr/bin/env node
// npm run bench:reconcile — `yb reconcile` of a month of 1,000,000 cases, twice: at 1,000
// institutions (issue 5: under a minute here), and all at one institution (issue 13: memory
// flat, ≤ 500 MB), with the peak memory of the reconcile process. Import and pay are set-up.
//   node bench/reconcile.mjs [count] [institutions]   one scenario only
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {benchRegion, root} from './region.mjs'

const scenarios = process.argv[2] === undefined ? [[1_000_000, 1000], [1_000_000, 1]] : [[Number(process.argv[2]), Number(process.argv[3] ?? 1000)]]
const TIME = '/usr/bin/time'

/** Runs yb under /usr/bin/time -v when it is here: wall seconds, peak RSS in MB, stdout. */
function measured(region, args) {
  const bin = join(root, 'bin', 'run.js')
  const env = {...process.env, YB_DB: join(region.out, 'yibao.db'), CI: 'true'}
  const withTime = existsSync(TIME)
  const t = Date.now()
  const r = spawnSync(withTime ? TIME : 'node', withTime ? ['-f', 'peak-rss-kb %M', 'node', bin, ...args] : [bin, ...args], {env, cwd: region.out, encoding: 'utf8', maxBuffer: 1 << 28})
  const seconds = (Date.now() - t) / 1000
  if (r.status !== 0) throw new Error(`yb ${args.join(' ')}: ${r.stderr}`)
  const kb = /peak-rss-kb (\d+)/.exec(r.stderr)?.[1]
  return {seconds, peakMb: kb === undefined ? undefined : Number(kb) / 1024, stdout: r.stdout}
}

for (const [count, institutions] of scenarios) {
  const region = benchRegion(`reconcile-${institutions}`, count, institutions)
  console.log(`yb reconcile benchmark — ${region.describe}\n`)
  region.setup()
  region.timed('set-up: yb cases import', 'cases', 'import', '--month', '2025-03', 'cases.csv', '--rejects', 'rejects.csv')
  region.timed('set-up: yb pay', 'pay', '--month', '2025-03')
  region.yb('period', 'close', '--month', '2025-03', '--reason', 'bench')
  const run = measured(region, ['reconcile', '--month', '2025-03', '--out', 'statements', '--json'])
  const result = JSON.parse(run.stdout)
  const dir = join(region.out, 'statements')
  const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0)
  console.log(`yb reconcile: ${run.seconds.toFixed(1)} s, peak memory ${run.peakMb === undefined ? 'n/a (no /usr/bin/time)' : `${run.peakMb.toFixed(0)} MB`}`)
  console.log(`  ${result.institutions} institutions, ${result.files.length} files + manifest, ${(bytes / 1e6).toFixed(0)} MB; ${result.totals.cases.toLocaleString('en-US')} cases; ${result.checks.evaluated} check equations, ${result.checks.failed} failed`)
  const again = measured(region, ['reconcile', '--month', '2025-03', '--out', 'statements2', '--json'])
  console.log(`yb reconcile (again, same closed month): ${again.seconds.toFixed(1)} s; identical bytes: ${JSON.parse(again.stdout).manifest.sha256 === result.manifest.sha256 ? 'yes' : 'NO'}\n`)
}
