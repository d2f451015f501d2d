import {Flags} from '@oclif/core'
import {buildWeightsFile, type WeightsBuildResult} from '../../app/weights-build.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {progressLine} from '../../cli/progress.js'
import {openScheme} from '../../cli/scheme-ref.js'
import {weightsBuildText} from '../../cli/weights-text.js'
import {parseDecimal} from '../../clearing/money.js'
import type {TrimRule} from '../../clearing/weights-build.js'
import {FlagValueError} from '../../cli/failure.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../../io/text-stream.js'

const DECIMAL = '[0-9]+(?:\\.[0-9]+)?'

/** `percentile:2.5:97.5`, `sd:3`, `iqr:1.5` or `none`. */
function trimRule(text: string): TrimRule {
  const percentile = new RegExp(`^percentile:(${DECIMAL}):(${DECIMAL})$`).exec(text)
  if (percentile !== null && parseDecimal(percentile[1]!).lt(parseDecimal(percentile[2]!)) && parseDecimal(percentile[2]!).lte(100)) return {method: 'percentile', low: percentile[1]!, high: percentile[2]!}
  const k = new RegExp(`^(sd|iqr):(${DECIMAL})$`).exec(text)
  if (k !== null) return {method: k[1] as 'sd' | 'iqr', k: k[2]!}
  if (text === 'none') return {method: 'none'}
  throw new FlagValueError('trim', `"${text}" is not a trimming rule: percentile:2.5:97.5, sd:3, iqr:1.5 or none`)
}

export default class WeightsBuild extends YbCommand {
  static override summary = 'Build DRG relative weights from one to three years of discharges (权重测算)'
  static override description = `Groups every history case with the scheme, trims each group's costs per year (--trim), averages the kept costs per group and over all kept cases, weights the years (--year-weights, default 1:2:7 for three), and writes weight = group average ÷ all-case average (4 places, HALF_UP) as a CSV yb weights import takes (drg, weight, institution_level, avg_cost). A group with fewer than --min-cases cases takes the --reference weight scaled to this build's level, else its ADRG's pooled weight, and the report says which; --normalise reference keeps the total weight of the cases equal to what the reference gives them. The report gives per group cases, trimmed, mean, CV, weight and source, and the grouping's RIV (1 − within-group SS ÷ total SS on the kept costs) and its share of groups with CV > 1.`
  static override examples = [
    '<%= config.bin %> weights build --scheme harbin-2022 --history h2022.csv --history h2023.csv --history h2024.csv --out weights-2025.csv',
    '<%= config.bin %> weights build --scheme harbin-2022 --history h2024.csv --trim sd:3 --min-cases 10 --reference weights-2024.csv --normalise reference --out w.csv --json',
  ]
  static override enableJsonFlag = true
  static override flags = {
    scheme: Flags.string({char: 's', required: true, description: 'scheme pack folder, or id[@version] stored in the workspace', helpValue: '<id|dir>'}),
    history: Flags.file({required: true, multiple: true, exists: true, description: 'history case file of one year (one to three, oldest first)', helpValue: '<csv>'}),
    'year-weights': Flags.string({description: 'weights of the history years, oldest first (default 1:2:7 for three years, equal otherwise)', helpValue: '1:2:7'}),
    trim: Flags.string({default: 'percentile:2.5:97.5', description: 'trimming per group and year: percentile:LOW:HIGH, sd:K (mean ± K SD), iqr:K (Q1 − K·IQR … Q3 + K·IQR) or none'}),
    'min-cases': Flags.integer({default: 5, min: 1, description: 'fewest cases (all years) a group needs to be weighted from its own costs'}),
    reference: Flags.file({exists: true, description: 'a weights CSV (drg, weight) to fall back on and compare with', helpValue: '<csv>'}),
    normalise: Flags.string({options: ['none', 'reference', 'cmi'], default: 'none', description: 'reference: scale every weight so the cases weigh in total what the reference gives them; cmi: so that the history cases have CMI 1.0000'}),
    out: Flags.string({char: 'o', required: true, description: 'the weights CSV to write', helpValue: '<file>'}),
    encoding: Flags.string({options: [...TEXT_ENCODINGS], default: 'utf-8', description: 'encoding of the history files'}),
    db: dbFlag,
  }

  async run(): Promise<WeightsBuildResult> {
    const {flags} = await this.parse(WeightsBuild)
    const trim = trimRule(flags.trim)
    const yearWeights = flags['year-weights']?.split(/[:,]/)
    if (yearWeights !== undefined && !yearWeights.every((w) => /^[0-9]+(\.[0-9]+)?$/.test(w) && parseDecimal(w).gt(0))) throw new FlagValueError('year-weights', `"${flags['year-weights']}" is not a list of positive weights such as 1:2:7`)
    const {scheme} = openScheme(flags.scheme, flags.db)
    const progress = this.interactive() ? progressLine('grouping the history') : undefined
    const result = await buildWeightsFile(scheme, {
      history: flags.history,
      ...(yearWeights === undefined ? {} : {yearWeights}),
      trim,
      minCases: flags['min-cases'],
      ...(flags.reference === undefined ? {} : {reference: flags.reference}),
      normalise: flags.normalise as 'none' | 'reference' | 'cmi',
      out: flags.out,
      encoding: flags.encoding as TextEncoding,
      ...(progress === undefined ? {} : {onProgress: (cases: number) => progress.update(`${cases.toLocaleString('en-US')} cases`)}),
    })
    progress?.done()
    this.log(weightsBuildText(result))
    return result
  }
}
