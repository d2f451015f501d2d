import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {monthFlag} from '../../cli/flags.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import {importEnrollment} from '../../store/capitation-data.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'

export default class EnrollmentImport extends YbCommand {
  static override summary = "Import a month's enrolment for 按人头付费 and 门特 packages"
  static override description = "Columns: institution_id (机构编码), pool (险种: 职工 or 居民), category (门特病种; blank for general capitation 按人头), persons (签约人数 / 患者人数, a whole number ≥ 0). Keyed by month, institution, pool and category: the same file again changes nothing, a changed row is an error unless --replace. Every institution must be in the workspace and serve the pool; a closed month takes none. yb pay and yb clear pay them under the policy's capitation section (docs/settlement.md, 按人头付费)."
  static override examples = ['<%= config.bin %> enrollment import --month 2025-03 enrollment-2025-03.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {...importFlags, month: monthFlag({required: true, description: 'the month of the enrolment YYYY-MM'})}

  async run(): Promise<KeyedImportResult> {
    const {args, flags} = await this.parse(EnrollmentImport)
    return runImport(this, args.file, flags, (db, options) => importEnrollment(db, flags.month, options))
  }
}
