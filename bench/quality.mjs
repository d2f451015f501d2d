#!/usr/bin/env node
// npm run bench:quality — 结算清单质控 and supervision on a month of 1,000,000 cases (issue 18):
// `yb cases check` of the stored month and of the file, beside `yb group` of the same file (the
// speed check should have), and `yb audit --month` (goal under 10 s). The synthetic month gets
// admission dates and 参保人编号: about 5% of the stays are a second stay of the same person at the
// same institution, so 分解住院 has pairs to weigh. Whole processes; printed, never asserted.
import {createReadStream, createWriteStream} from 'node:fs'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {spawnSync} from 'node:child_process'
import {benchRegion} from './region.mjs'

const count = Number(process.argv[2] ?? 1_000_000)
const region = benchRegion('quality', count, 40)
console.log(`yb cases check and yb audit benchmark — ${region.describe}\n`)
region.setup()

/** Adds admit_date (discharge − LOS) and person_id (the same person again for ~5% of stays of an institution). */
async function withPeople(from, to) {
  let seed = 18
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296)
  const out = createWriteStream(to)
  const people = new Map()
  let header
  for await (const line of createInterface({input: createReadStream(from)})) {
    if (header === undefined) {
      header = line.split(',')
      out.write(`${line},admit_date,person_id\n`)
      continue
    }
    const f = line.split(',')
    const institution = f[header.indexOf('institution_id')]
    const discharge = f[header.indexOf('discharge_date')]
    const los = Number(f[header.indexOf('los_days')])
    const admit = new Date(Date.parse(discharge) - los * 86_400_000).toISOString().slice(0, 10)
    const seen = people.get(institution) ?? people.set(institution, []).get(institution)
    const person = seen.length > 0 && random() < 0.05 ? seen[Math.floor(random() * seen.length)] : `P${institution}-${seen.push(`P${institution}-${seen.length}`) - 1}`
    out.write(`${line},${admit},${person}\n`)
  }
  await new Promise((resolve) => out.end(resolve))
}
await withPeople(join(region.out, 'cases.csv'), join(region.out, 'cases-people.csv'))

region.timed('yb cases import', 'cases', 'import', '--month', '2025-03', 'cases-people.csv', '--rejects', 'rejects.csv')
region.timed('yb pay', 'pay', '--month', '2025-03', '--json')
const peak = (args) => {
  const started = Date.now()
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'node', region.bin, ...args], {cwd: region.out, env: region.env, encoding: 'utf8', maxBuffer: 1 << 28})
  if (run.status !== 0 && run.status !== 3) throw new Error(`${args.join(' ')}: ${run.stderr}`)
  const seconds = (Date.now() - started) / 1000
  const rss = Number(run.stderr.trim().split('\n').at(-1)) / 1024
  return {seconds, rss, stdout: run.stdout}
}
const show = (label, r, what) => console.log(`  ${label}: ${r.seconds.toFixed(1)} s (${Math.round(count / r.seconds).toLocaleString('en-US')} cases/s), peak RSS ${r.rss.toFixed(0)} MB${what === undefined ? '' : `; ${what}`}`)

const group = peak(['group', '--scheme', region.scheme, '--in', 'cases-people.csv', '--out', 'grouped.csv', '--json'])
show('yb group <file> (for comparison)', group)
const file = peak(['cases', 'check', 'cases-people.csv', '--scheme', region.scheme, '--out', 'flagged-file.csv', '--json'])
const f = JSON.parse(file.stdout)
show('yb cases check <file>', file, `${f.cases} checked, ${f.passed} passed, ${f.flagged} flagged`)
const month = peak(['cases', 'check', '--month', '2025-03', '--json'])
const m = JSON.parse(month.stdout)
show('yb cases check --month', month, `${m.cases} checked, ${m.passed} passed (通过率 ${m.passRate}), rules ${m.rules.ref}`)
const audit = peak(['audit', '--month', '2025-03', '--json'])
const a = JSON.parse(audit.stdout)
show('yb audit --month', audit, `${a.splitAdmissions.length} 分解住院 pairs, ${a.raised.total} signals raised, ${a.casesFlagged} cases flagged`)
