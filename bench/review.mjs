#!/usr/bin/env node
// npm run bench:review — what `yb review` does per key on a month of 1,000,000 cases: reading a
// page of rows by key (first, deep, backward, scrolling one row), with and without filters, and
// counting a filter, and opening a case (the first open loads the year's policy, scheme and
// weights for the session; the next ones do not). Uses the workspace bench:reconcile leaves (it
// builds one when absent).
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {execFileSync} from 'node:child_process'
import {root} from './region.mjs'

const dbPath = join(root, 'bench', 'out', 'reconcile-1000', 'yibao.db')
if (!existsSync(dbPath)) execFileSync('node', [join(root, 'bench', 'reconcile.mjs'), '1000000', '1000'], {stdio: 'inherit'})
const {openWorkspace} = await import(join(root, 'dist', 'store', 'db.js'))
const {reviewSource} = await import(join(root, 'dist', 'store', 'review.js'))
const {db} = openWorkspace({path: dbPath, create: false})
const source = reviewSource(db, '2025-03')
const ms = (f, times = 20) => {
  f()
  const t = process.hrtime.bigint()
  for (let k = 0; k < times; k++) f()
  return Number(process.hrtime.bigint() - t) / 1e6 / times
}
const rows = 30
const all = source.count({})
const middle = source.page({}, {after: ''}, 1)[0].settlementId.replace(/\d+$/, (d) => String(Math.floor(Number(d) + all / 2)).padStart(d.length, '0'))
console.log(`yb review data per key — ${all.toLocaleString('en-US')} cases in run ${source.runId}, ${rows} rows a screen\n`)
const report = (label, f, times) => console.log(`${label.padEnd(52)} ${ms(f, times).toFixed(2)} ms`)
report('first page', () => source.page({}, {after: ''}, rows))
report('a page from the middle of the month', () => source.page({}, {after: middle}, rows))
report('a page backward from the middle', () => source.page({}, {before: middle}, rows))
report('scroll one row (↓ at the bottom)', () => source.page({}, {after: middle}, 1))
report('first page, status QY', () => source.page({status: 'qy'}, {after: ''}, rows))
report('first page, outlier high', () => source.page({outlier: 'high'}, {after: ''}, rows))
report('first page, institution H0500', () => source.page({institution: 'H500'}, {after: ''}, rows), 5)
report('first page, code text "I63"', () => source.page({text: 'I63'}, {after: ''}, rows))
{
  const sorted = reviewSource(db, '2025-03')
  const t0 = process.hrtime.bigint()
  const first = sorted.page({sort: 'fund'}, {after: ''}, rows)
  console.log(`${'sort by 基金应付 (S): numbers the order, once'.padEnd(52)} ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(2)} ms`)
  const deep = sorted.page({sort: 'fund'}, {after: first.at(-1).settlementId}, 20_000).at(-1).settlementId
  report('sorted: a page from deep in the list', () => sorted.page({sort: 'fund'}, {after: deep}, rows))
  report('sorted: a page backward', () => sorted.page({sort: 'fund'}, {before: deep}, rows))
}
report('count, no filter (once per filter change)', () => reviewSource(db, '2025-03').count({}), 3)
report('count, status QY (once per filter change)', () => reviewSource(db, '2025-03').count({status: 'qy'}), 3)
const {reviewCaseViewer} = await import(join(root, 'dist', 'app', 'review-case.js'))
const open = reviewCaseViewer(db)
const ids = source.page({}, {after: middle}, 21).map((r) => r.settlementId)
let t = process.hrtime.bigint()
open(ids[0])
console.log(`${'open a case, the first of the session (loads the year)'.padEnd(52)} ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(2)} ms`)
t = process.hrtime.bigint()
for (const id of ids.slice(1)) open(id)
console.log(`${'open a case, each next one (20 cases)'.padEnd(52)} ${(Number(process.hrtime.bigint() - t) / 1e6 / 20).toFixed(2)} ms`)
console.log(`\nmemory: rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`)
db.close()
