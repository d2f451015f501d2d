#!/usr/bin/env node
// npm run bench:pay — `yb pay` for a month of 1,000,000 cases (issue 3: under 20 s here).
// Region: 40 institutions (bench/region.mjs). Import is timed apart.
import {benchRegion} from './region.mjs'

const count = Number(process.argv[2] ?? 1_000_000)
const region = benchRegion('pay', count, 40)
console.log(`yb pay benchmark — ${region.describe}\n`)
region.setup()
region.timed('yb cases import', 'cases', 'import', '--month', '2025-03', 'cases.csv', '--rejects', 'rejects.csv')
const result = JSON.parse(region.timed('yb pay', 'pay', '--month', '2025-03', '--json'))
console.log(`  ${result.institutions.length} institution-pool lines, paid ${result.totals.payYuan} 元 of ${result.totals.fundDueYuan} due; checks ${result.checks.every((c) => c.holds) ? 'all hold' : 'FAIL'}`)
