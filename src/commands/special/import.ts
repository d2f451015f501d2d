import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'
import {importSpecialCases} from '../../store/special-cases.js'

export default class SpecialImport extends YbCommand {
  static override summary = 'Import 特例单议 decisions (approved with an approved cost, or rejected) for stored discharges'
  static override description = "Columns: settlement_id (结算流水号, the key), decision (通过/approved, 不通过/rejected, 待审/pending), approved_cost_yuan (核准费用: required when approved under DRG), approved_score (核定分值: a DIP expert score), note (意见). The year-end clearing (`yb clear`) pays an approved case by its approved cost (under the point method: converted to points at the final point value) through the policy's fund formula, and prints the difference from its group payment on the 特例单议追加 line. A decision replaces an officer's pending mark; changing a decision needs --replace. One transaction per file."
  static override examples = ['<%= config.bin %> special import decisions-2025.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {...importFlags}

  async run(): Promise<KeyedImportResult> {
    const {args, flags} = await this.parse(SpecialImport)
    return runImport(flags, (text) => this.log(text), (db, encoding) => importSpecialCases(db, {file: args.file, encoding, replace: flags.replace, rejects: flags.rejects}))
  }
}
