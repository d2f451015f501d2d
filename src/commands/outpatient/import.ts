import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {monthFlag} from '../../cli/flags.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import {importOutpatient} from '../../store/capitation-data.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'

export default class OutpatientImport extends YbCommand {
  static override summary = "Import a month's outpatient fund spending on the enrolled (按人头付费, 门特)"
  static override description = "Columns: institution_id (机构编码), pool (险种), category (门特病种; blank for general capitation), own_fund_yuan (本机构统筹支付: the fund's spending on the institution's enrolled persons there), outside_fund_yuan (外转/外诊统筹支付: at other institutions, where the region charges it to the enrolling one; blank is 0). Keyed by month, institution, pool and category; the same rules as every import. yb pay and yb clear pay them under the policy's capitation section (docs/settlement.md, 按人头付费)."
  static override examples = ['<%= config.bin %> outpatient import --month 2025-03 outpatient-2025-03.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {...importFlags, month: monthFlag({required: true, description: 'the month of the spending YYYY-MM'})}

  async run(): Promise<KeyedImportResult> {
    const {args, flags} = await this.parse(OutpatientImport)
    return runImport(this, args.file, flags, (db, options) => importOutpatient(db, flags.month, options))
  }
}
