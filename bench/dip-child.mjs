// One DIP/DRG grouping measurement in a fresh process. Prints JSON.
import {createReadStream} from 'node:fs'
import {compileScheme} from '../dist/grouper/compile-scheme.js'
import {loadDipCatalog} from '../dist/grouper/dip-catalog.js'
import {compileDip, groupDip} from '../dist/grouper/dip-group.js'
import {groupCase} from '../dist/grouper/group-case.js'
import {groupFile} from '../dist/grouper/group-file.js'
import {dirPackSource, loadPack} from '../dist/grouper/pack-load.js'
import {resolveCaseColumns} from '../dist/io/case-columns.js'
import {parseCaseRow} from '../dist/io/case-row.js'
import {CsvParser} from '../dist/io/csv-reader.js'

const [mode, what, schemeDir, catalogDir, input, output] = process.argv.slice(2)
const t0 = process.hrtime.bigint()
const scheme = what === 'dip' ? undefined : compileScheme(loadPack(dirPackSource(schemeDir)).pack)
const dip = what === 'drg' ? undefined : compileDip(loadDipCatalog(dirPackSource(catalogDir)).catalog)
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6

if (mode === 'e2e') {
  const t = process.hrtime.bigint()
  const r = await groupFile({...(scheme ? {scheme} : {}), ...(dip ? {dip} : {}), input, output, format: 'csv', explain: false, encoding: 'utf-8'})
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  console.log(JSON.stringify({cases: r.casesWritten, ms, casesPerSecond: r.casesWritten / (ms / 1000), loadMs, maxRssMB: process.resourceUsage().maxRSS / 1024}))
} else {
  let columns
  let batch = []
  let ns = 0n
  let cases = 0
  const flush = () => {
    const t = process.hrtime.bigint()
    if (dip) for (const c of batch) groupDip(dip, c)
    else for (const c of batch) groupCase(scheme, c)
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
      if (c) batch.push(c)
      if (batch.length === 100) flush()
    },
    () => {},
  )
  for await (const chunk of createReadStream(input, {encoding: 'utf8', highWaterMark: 1 << 16})) parser.push(chunk)
  parser.end()
  flush()
  console.log(JSON.stringify({cases, casesPerSecond: cases / (Number(ns) / 1e9)}))
}
