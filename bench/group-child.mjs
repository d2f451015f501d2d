// One measurement in a fresh process (so that peak RSS is this run's own). Prints JSON.
import {createReadStream} from 'node:fs'
import {compileScheme} from '../dist/grouper/compile-scheme.js'
import {groupCase} from '../dist/grouper/group-case.js'
import {groupFile} from '../dist/grouper/group-file.js'
import {dirPackSource, loadPack} from '../dist/grouper/pack-load.js'
import {resolveCaseColumns} from '../dist/io/case-columns.js'
import {parseCaseRow} from '../dist/io/case-row.js'
import {CsvParser} from '../dist/io/csv-reader.js'

const [mode, schemeDir, input, output] = process.argv.slice(2)
const mb = (bytes) => bytes / 1048576
const t0 = process.hrtime.bigint()
const scheme = compileScheme(loadPack(dirPackSource(schemeDir)).pack)
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6
const rssAfterLoadMB = mb(process.memoryUsage().rss)

if (mode === 'e2e') {
  const t = process.hrtime.bigint()
  const r = await groupFile({scheme, input, output, format: 'csv', explain: false, encoding: 'utf-8'})
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  console.log(JSON.stringify({cases: r.casesWritten, ms, casesPerSecond: r.casesWritten / (ms / 1000), loadMs, rssAfterLoadMB, maxRssMB: process.resourceUsage().maxRSS / 1024}))
} else {
  let columns
  let batch = []
  let ns = 0n
  let cases = 0
  const flush = () => {
    const t = process.hrtime.bigint()
    for (const c of batch) groupCase(scheme, c)
    ns += process.hrtime.bigint() - t
    cases += batch.length
    batch = []
  }
  const parser = new CsvParser(
    (fields, line) => {
      if (columns === undefined) {
        columns = resolveCaseColumns(input, line, fields).columns
        return
      }
      const c = parseCaseRow(columns, fields, input, line, [])
      if (c !== undefined) batch.push(c)
      if (batch.length === 100) flush()
    },
    () => {},
  )
  for await (const chunk of createReadStream(input, {encoding: 'utf8', highWaterMark: 1 << 20})) parser.push(chunk)
  parser.end()
  flush()
  console.log(JSON.stringify({cases, nsPerCase: Number(ns) / cases, casesPerSecond: cases / (Number(ns) / 1e9)}))
}
