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
import {parseFen} from '../clearing/fen.js'
import {type InputError, inputError, InputErrors} from '../errors.js'
import {loadDipCatalog, type PxClass} from '../grouper/dip-catalog.js'
import {type BuildOptions, type BuildReport, defaultProcedureClass, DipHistory} from '../grouper/dip-build.js'
import {dirPackSource} from '../grouper/pack-load.js'
import {normalizeHeader, resolveCaseColumns} from '../io/case-columns.js'
import {parseCaseRow} from '../io/case-row.js'
import {CsvParser, isBlankRow} from '../io/csv-reader.js'
import {ERRORS_KEPT_MAX} from '../io/rejects.js'
import {readText, type TextEncoding} from '../io/text-stream.js'

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

const LEVEL_HEADERS = new Set(['institution_level', '医院等级', '机构等级', '医疗机构等级'].map(normalizeHeader))

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
    await readHistory(file, options.encoding, (c) => {
      history.add(yearIndex, c)
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

/** Reads one history file: a malformed row stops the build with its file, row and column. */
async function readHistory(file: string, encoding: TextEncoding, onCase: (c: {pdx: string; px: readonly string[]; costFen: number; level: string}) => void): Promise<void> {
  const errors: InputError[] = []
  let errorCount = 0
  let columns: ReturnType<typeof resolveCaseColumns>['columns'] | undefined
  let levelAt = -1
  let width = 0
  const rowErrors: InputError[] = []
  const parser = new CsvParser(
    (fields, line) => {
      if (isBlankRow(fields)) return
      if (columns === undefined) {
        const resolved = resolveCaseColumns(file, line, fields)
        if (resolved.columns.total_cost < 0) resolved.errors.push(inputError(file, line, 'total_cost', 'header_column_missing', 'a history file needs total_cost (医疗总费用)'))
        if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
        columns = resolved.columns
        levelAt = fields.findIndex((name) => LEVEL_HEADERS.has(normalizeHeader(name)))
        width = fields.length
        parser.expectWidth(width)
        return
      }
      rowErrors.length = 0
      if (fields.length !== width) rowErrors.push(inputError(file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${width}`))
      const parsed = rowErrors.length === 0 ? parseCaseRow(columns, fields, file, line, rowErrors) : undefined
      if (parsed === undefined || parsed.dx.length === 0) {
        if (parsed !== undefined) rowErrors.push(inputError(file, line, 'dx_codes', 'value_required', 'a history case needs its principal diagnosis'))
        errorCount += rowErrors.length
        for (const error of rowErrors) if (errors.length < ERRORS_KEPT_MAX) errors.push(error)
        return
      }
      const cost = fields[columns.total_cost]!.trim()
      onCase({pdx: parsed.dx[0]!, px: parsed.px, costFen: parseFen(cost.includes('.') ? cost.padEnd(cost.indexOf('.') + 3, '0') : `${cost}.00`), level: levelAt >= 0 ? (fields[levelAt] ?? '').trim() : ''})
    },
    (line, message, _raw, code) => {
      errorCount++
      if (errors.length < ERRORS_KEPT_MAX) errors.push(inputError(file, line, '', code, message))
    },
  )
  for await (const text of readText(file, encoding)) parser.push(text)
  parser.end()
  if (columns === undefined) throw new InputErrors([inputError(file, 1, '', 'header_missing', 'the file is empty; expected a header row of the case format')])
  if (errorCount > 0) throw new InputErrors(errors, errorCount)
}
