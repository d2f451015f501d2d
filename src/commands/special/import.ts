import {Args} from '@oclif/core'
import {importSpecialDecisions, type SpecialImportReport} from '../../app/special-import.js'
import {YbCommand} from '../../cli/base.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'

export default class SpecialImport extends YbCommand {
  static override summary = 'Import 特例单议 decisions (approved with an approved cost, or rejected) for stored discharges'
  static override description = "Columns: settlement_id (结算流水号, the key), decision (通过/approved, 不通过/rejected, 待审/pending), approved_cost_yuan (核准费用: required when approved under DRG), approved_score (核定分值: a DIP expert score), note (意见). The year-end clearing (`yb clear`) pays an approved case by its approved cost (under the point method: converted to points at the final point value) through the policy's fund formula, and prints the difference from its group payment on the 特例单议追加 line. Approvals are held to the policy's special_case cap (national: DRG 5%, DIP 5‰ of the discharges paid by the year's method, per year or quarter, for the region and optionally per institution): beyond it the whole file is refused unless the policy says ALLOW; the share used is printed either way. A decision replaces an officer's pending mark; changing a decision needs --replace. One transaction per file."
  static override examples = ['<%= config.bin %> special import decisions-2025.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {...importFlags}

  async run(): Promise<KeyedImportResult & {report?: SpecialImportReport}> {
    const {args, flags} = await this.parse(SpecialImport)
    const result = await runImport(this, args.file, flags, (db, options) => importSpecialDecisions(db, options))
    const report = (result as {report?: SpecialImportReport}).report
    for (const cap of report?.caps ?? []) {
      for (const row of cap.rows) {
        this.log(`特例单议 cap ${row.scope} ${row.period}: ${row.approved} approved of ${row.discharges} discharges (${row.sharePercent}%, cap ${row.capShare}: at most ${row.limitCases})${row.within ? '' : ' — beyond the cap, allowed by the policy (beyond_cap: ALLOW)'}`)
      }
    }
    for (const year of report?.yearsWithoutPolicy ?? []) this.log(`特例单议 cap ${year}: no policy for ${year} in the workspace yet; checked when one is imported and at the clearing`)
    return result as KeyedImportResult & {report?: SpecialImportReport}
  }
}
