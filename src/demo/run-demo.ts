/**
 * The demo job on bundled data: synthesize a month for the demo pack, group it.
 *
 *   await runDemo({count: 5000, seed: 2025, outDir: 'yb-demo'})
 *   → {casesFile: 'yb-demo/cases.csv', groupedFile: 'yb-demo/grouped.csv', grouping: {byStatus: …}}
 */
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {InputErrors} from '../errors.js'
import {compileScheme} from '../grouper/compile-scheme.js'
import {groupFile, type GroupFileResult} from '../grouper/group-file.js'
import {dirPackSource, loadPack} from '../grouper/pack-load.js'
import {writeSynthCases} from '../grouper/synth-file.js'

/** The bundled demo pack, found from the installed package (dist/demo → data/schemes/demo). */
export const DEMO_PACK_DIR = fileURLToPath(new URL('../../data/schemes/demo', import.meta.url))

export interface DemoResult {
  readonly casesFile: string
  readonly groupedFile: string
  readonly grouping: GroupFileResult
  readonly mdcNames: Record<string, string>
}

export async function runDemo(options: {count: number; seed: number; outDir: string}): Promise<DemoResult> {
  const loaded = loadPack(dirPackSource(DEMO_PACK_DIR))
  if (loaded.pack === undefined) throw new InputErrors(loaded.errors)
  mkdirSync(options.outDir, {recursive: true})
  const casesFile = join(options.outDir, 'cases.csv')
  const groupedFile = join(options.outDir, 'grouped.csv')
  await writeSynthCases(loaded.pack, casesFile, {count: options.count, seed: options.seed, invalidRate: 0.004, institutions: 40})
  const scheme = compileScheme(loaded.pack)
  const grouping = await groupFile({scheme, input: casesFile, output: groupedFile, format: 'csv', explain: false, encoding: 'utf-8'})
  const mdcNames = Object.fromEntries(loaded.pack.mdcs.map((row) => [row.mdc, row.name]))
  return {casesFile, groupedFile, grouping, mdcNames}
}
