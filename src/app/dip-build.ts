/**
 * `yb dip build`: stream one or three years of historical cases (the case format with
 * total_cost; an optional institution_level column gives per-level averages) into a DIP catalog
 * folder, then load the written catalog back through the same validation as `yb dip import`.
 *
 *   await buildDipCatalog({history: ['2022.csv', '2023.csv', '2024.csv'], out: 'dip-2025', minCases: 15, scoreScale: '1000', …})
 *   → {out: 'dip-2025', sha256: '…', report: {groups: {core: 380, comprehensive: 122}, coreShare: '0.8712', …}}
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {inputError, InputErrors} from '../errors.js'
import {loadDipCatalog, type PxClass} from '../grouper/dip-catalog.js'
import {type BuildOptions, type BuildReport, defaultProcedureClass, DipHistory} from '../grouper/dip-build.js'
import {dirPackSource} from '../grouper/pack-load.js'
import type {TextEncoding} from '../io/text-stream.js'
import {readHistory} from './history-file.js'

/** The catalog's identity and rules (BuildOptions) plus where the history comes from and goes. */
export interface DipBuildOptions extends Omit<BuildOptions, 'weights'> {
  /** History files, oldest first (one year each). */
  readonly history: readonly string[]
  readonly out: string
  /** Weights per year, oldest first; default 1:2:7 for three years, the plain average otherwise. */
  readonly weights?: readonly string[]
  readonly encoding: TextEncoding
  /** code → class; default: by ICD-9-CM-3 chapter (defaultProcedureClass). */
  readonly pxClass?: ReadonlyMap<string, Exclude<PxClass, 'conservative'>>
  readonly onProgress?: (cases: number) => void
}

export interface DipBuildResult {
  readonly out: string
  readonly id: string
  readonly sha256: string
  readonly history: readonly string[]
  readonly weights: readonly string[] | null
  readonly minCases: number
  readonly scoreScale: string
  readonly report: BuildReport
}

export async function buildDipCatalog(options: DipBuildOptions): Promise<DipBuildResult> {
  const years = options.history.length
  if (years === 0) throw new InputErrors([inputError('--history', 0, '', 'value_required', 'give at least one history file')])
  const weights = options.weights ?? (years === 3 ? ['1', '2', '7'] : null)
  if (weights !== null && weights.length !== years) {
    throw new InputErrors([inputError('--weights', 0, '', 'value_not_allowed', `${weights.length} weights for ${years} history files`, 'give one weight per year, oldest first')])
  }
  const classOf = options.pxClass === undefined ? defaultProcedureClass : (code: string) => options.pxClass!.get(code)
  const history = new DipHistory(years, classOf)
  let cases = 0
  for (const [yearIndex, file] of options.history.entries()) {
    await readHistory(file, options.encoding, ({groupCase, costFen, level}) => {
      history.add(yearIndex, {pdx: groupCase.dx[0]!, px: groupCase.px, costFen, level})
      if (++cases % 50_000 === 0) options.onProgress?.(cases)
    })
  }
  const {files, report} = history.build({...options, weights})
  mkdirSync(options.out, {recursive: true})
  for (const [name, content] of files) writeFileSync(join(options.out, name), content)
  // What was written must load as any catalog does: the build is checked by the importer.
  const loaded = loadDipCatalog(dirPackSource(options.out))
  if (loaded.catalog === undefined) throw new InputErrors(loaded.errors.map((error) => ({...error, file: join(options.out, error.file)})))
  return {out: options.out, id: options.id, sha256: loaded.catalog.sha256, history: options.history, weights, minCases: options.minCases, scoreScale: options.scoreScale, report}
}

