import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'
import {importInstitutions} from '../../store/settlement-data.js'

export default class InstitutionImport extends YbCommand {
  static override summary = 'Import 定点医疗机构: id, name, level, coefficient, pools'
  static override description = 'Columns: institution_id (机构编码), name (机构名称), level (医院等级), coefficient (机构系数, optional: the policy gives it by level), pools (险种: 职工, 居民 or 职工|居民). One transaction per file; the same file again changes nothing; a changed institution needs --replace.'
  static override examples = ['<%= config.bin %> institution import institutions.csv', '<%= config.bin %> institution import institutions.csv --replace --rejects bad.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = importFlags

  async run(): Promise<KeyedImportResult> {
    const {args, flags} = await this.parse(InstitutionImport)
    return runImport(this, args.file, flags, (db, options) => importInstitutions(db, options))
  }
}
