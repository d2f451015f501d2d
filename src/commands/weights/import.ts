import {yearFlag} from '../../cli/flags.js'
import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'
import {importWeights} from '../../store/settlement-data.js'

export default class WeightsImport extends YbCommand {
  static override summary = 'Import DRG relative weights for a year (and group average cost per institution level where published)'
  static override description = 'Columns: drg (drg_code, DRG编码), weight (权重), drg_name (optional), institution_level and avg_cost (optional: the group average cost at that level, the basis of outlier tests). One transaction per file; the same file again changes nothing.'
  static override examples = ['<%= config.bin %> weights import --year 2022 ../shared/reference/harbin-drg-weights/weights_2022.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {...importFlags, year: yearFlag({required: true, description: 'the year these weights apply to'})}

  async run(): Promise<KeyedImportResult> {
    const {args, flags} = await this.parse(WeightsImport)
    return runImport(this, args.file, flags, (db, options) => importWeights(db, flags.year, options))
  }
}
