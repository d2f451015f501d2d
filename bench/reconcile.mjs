#!/usr/bin/env node
// npm run bench:reconcile — `yb reconcile` of a month of 1,000,000 cases at 1,000 institutions
// (issue 5: under a minute here): every .xlsx, CSV and the manifest. Import and pay are set-up.
import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {benchRegion} from './region.mjs'

const count = Number(process.argv[2] ?? 1_000_000)
const institutions = Number(process.argv[3] ?? 1000)
const region = benchRegion('reconcile', count, institutions)
console.log(`yb reconcile benchmark — ${region.describe}\n`)
region.setup()
region.timed('set-up: yb cases import', 'cases', 'import', '--month', '2025-03', 'cases.csv', '--rejects', 'rejects.csv')
region.timed('set-up: yb pay', 'pay', '--month', '2025-03')
region.yb('period', 'close', '--month', '2025-03', '--reason', 'bench')
const t = Date.now()
const result = JSON.parse(region.timed('yb reconcile', 'reconcile', '--month', '2025-03', '--out', 'statements', '--json'))
const seconds = (Date.now() - t) / 1000
const dir = join(region.out, 'statements')
const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0)
console.log(`  ${result.institutions} institutions, ${result.files.length} files + manifest, ${(bytes / 1e6).toFixed(0)} MB; ${result.totals.cases.toLocaleString('en-US')} cases; ${result.checks.evaluated} check equations, ${result.checks.failed} failed`)
console.log(`  ${(result.files.length / seconds).toFixed(0)} files/s`)
const again = JSON.parse(region.timed('yb reconcile (again, same closed month)', 'reconcile', '--month', '2025-03', '--out', 'statements2', '--json'))
console.log(`  identical bytes: ${again.manifest.sha256 === result.manifest.sha256 ? 'yes' : 'NO'}`)
