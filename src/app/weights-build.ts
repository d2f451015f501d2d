/**
 * `yb weights build`: DRG relative weights from one to three years of discharges, grouped with a
 * scheme, trimmed and weighted (src/clearing/weights-build.ts), written as a weights CSV that
 * `yb weights import` takes (drg, weight, institution_level, avg_cost) and reported per group.
 *
 *   await buildWeightsFile(scheme, {history: ['2022.csv', '2023.csv', '2024.csv'], yearWeights: ['1', '2', '7'], trim: {method: 'percentile', low: '2.5', high: '97.5'}, out: 'weights-2025.csv', …})
 */
import {type HistoryCase, buildWeights, type TrimRule, type WeightsReport} from '../clearing/weights-build.js'
import {inputError, InputErrors} from '../errors.js'
import type {CompiledScheme} from '../grouper/compile-scheme.js'
import {groupCase} from '../grouper/group-case.js'
import {parseCsvText} from '../io/csv-reader.js'
import {readTextFile} from '../io/text-file.js'
import {csvField, TextOutput, type TextEncoding} from '../io/text-stream.js'
import {readHistory} from './history-file.js'

export interface WeightsBuildFileOptions {
  readonly history: readonly string[]
  readonly yearWeights?: readonly string[]
  readonly trim: TrimRule
  readonly minCases: number
  readonly reference?: string
  readonly normalise: 'none' | 'reference' | 'cmi'
  readonly out: string
  readonly encoding: TextEncoding
  readonly onProgress?: (cases: number) => void
}

export interface WeightsBuildResult extends WeightsReport {
  readonly scheme: string
  readonly out: string
  readonly history: readonly string[]
  readonly yearWeights: readonly string[]
  readonly trim: TrimRule
  readonly minCases: number
  /** History cases not grouped to a DRG (QY, 0000, data faults, no principal diagnosis): left out of the weights. */
  readonly notGrouped: number
}

/** A weights CSV (drg, weight) as the reference: the year the build is compared with and scaled to. */
function readReference(file: string): Map<string, string> {
  const {rows, errors} = parseCsvText(readTextFile(file))
  const header = rows[0]?.fields.map((f) => f.trim().toLowerCase()) ?? []
  const drgAt = header.indexOf('drg')
  const weightAt = header.indexOf('weight')
  if (errors.length > 0 || drgAt < 0 || weightAt < 0) throw new InputErrors([inputError(file, 1, '', 'header_column_missing', 'a reference weights file needs the columns drg and weight')])
  const weights = new Map<string, string>()
  for (const [k, row] of rows.slice(1).entries()) {
    const drg = row.fields[drgAt]?.trim() ?? ''
    const weight = row.fields[weightAt]?.trim() ?? ''
    if (drg === '') continue
    if (!/^[0-9]+(\.[0-9]+)?$/.test(weight)) throw new InputErrors([inputError(file, k + 2, 'weight', 'value_not_decimal', `"${weight}" is not a weight`)])
    // A weights file may give a DRG once per institution level: its weight is the same; the first is taken.
    if (!weights.has(drg)) weights.set(drg, weight)
  }
  return weights
}

export async function buildWeightsFile(scheme: CompiledScheme, options: WeightsBuildFileOptions): Promise<WeightsBuildResult> {
  const years = options.history.length
  if (years === 0 || years > 3) throw new InputErrors([inputError('--history', 0, '', 'value_not_allowed', 'give one to three history files, oldest first')])
  const yearWeights = options.yearWeights ?? (years === 3 ? ['1', '2', '7'] : Array.from({length: years}, () => '1'))
  if (yearWeights.length !== years) throw new InputErrors([inputError('--year-weights', 0, '', 'value_not_allowed', `${yearWeights.length} year weights for ${years} history files`, 'give one per year, oldest first, as 1:2:7')])
  const history: HistoryCase[][] = []
  let notGrouped = 0
  let read = 0
  for (const file of options.history) {
    const cases: HistoryCase[] = []
    await readHistory(file, options.encoding, ({groupCase: c, costFen, level}) => {
      const result = groupCase(scheme, c)
      if (result.status === 'grouped') cases.push({drg: result.drg, adrg: result.adrg, costFen, ...(level === '' ? {} : {level})})
      else notGrouped++
      if (++read % 100_000 === 0) options.onProgress?.(read)
    }, () => notGrouped++)
    history.push(cases)
  }
  const reference = options.reference === undefined ? undefined : readReference(options.reference)
  const report = buildWeights({years: history, yearWeights, trim: options.trim, minCases: options.minCases, places: 4, normalise: options.normalise, ...(reference === undefined ? {} : {reference})})
  const out = new TextOutput(options.out)
  out.write('drg,weight,institution_level,avg_cost\n')
  for (const g of report.groups) {
    if (g.weight === '') continue
    out.write(`${csvField(g.drg)},${g.weight},,${g.meanYuan}\n`)
    // The same weight with each level's average cost, where the history gives levels.
    for (const [level, mean] of Object.entries(g.meanByLevel)) out.write(`${csvField(g.drg)},${g.weight},${csvField(level)},${mean}\n`)
  }
  await out.commit()
  return {...report, scheme: `${scheme.id}`, out: options.out, history: options.history, yearWeights, trim: options.trim, minCases: options.minCases, notGrouped}
}
