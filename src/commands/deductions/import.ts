import {yearFlag} from '../../cli/flags.js'
import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'
import {importDeductions} from '../../store/settlement-data.js'

export default class DeductionsImport extends YbCommand {
  static override summary = 'Import 审核扣减 / 违规扣款 decided for institutions in a year'
  static override description = "Columns: deduction_id (文书号, the key), institution_id, pool (险种), month (YYYY-MM: taken off that month's payment by `yb pay`; blank: taken at the year-end clearing as 违规扣款), kind (违规扣款 or 审核扣减), amount_yuan, basis (依据). One transaction per file; the same file again changes nothing. Import before the month's `yb pay` or the year's `yb clear` (rerun it if the period is open)."
  static override examples = ['<%= config.bin %> deductions import --year 2025 deductions-2025.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {...importFlags, year: yearFlag({required: true, description: 'the year of the deductions'})}

  async run(): Promise<KeyedImportResult> {
    const {args, flags} = await this.parse(DeductionsImport)
    return runImport(this, args.file, flags, (db, options) => importDeductions(db, flags.year, options))
  }
}
