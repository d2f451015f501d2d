import {monthFlag} from '../../cli/flags.js'
import {Args, Flags} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {importFlags, runImport} from '../../cli/import-command.js'
import type {KeyedImportResult} from '../../store/keyed-import.js'
import {importCaseCorrections, importCases} from '../../store/settlement-data.js'
import {type CasesCheckResult, checkCases, rulesFor} from '../../app/cases-check.js'
import {EXIT_REJECTED_ROWS} from '../../cli/base.js'
import {casesCheckText} from '../../cli/quality-text.js'

export default class CasesImport extends YbCommand {
  static override summary = "Import a month's discharges with their settlement columns"
  static override description = 'The grouping columns of docs/case-format.md plus insurance_type (医保类型: 职工/居民), total_cost, fund_recorded (统筹基金记账) and the patient parts self_pay_all, self_pay_first, deductible, co_pay, other_funds (blank is 0). Idempotent by settlement_id: the same file again changes nothing; a changed case is an error unless --replace. Every institution must be imported first. One transaction per file: a bad row stops the file unless --rejects. A closed month takes no cases and gives none away: a case discharged in it and declared later is imported into the open month where it is declared (跨月), and a correction to a case paid in it is imported into an open month with --correct (冲正 of what was paid, 补退 of the corrected case; docs/settlement.md).'
  static override examples = ['<%= config.bin %> cases import --month 2025-03 cases-2025-03.csv', '<%= config.bin %> cases import --month 2025-03 cases-2025-03.csv --rejects rejected-2025-03.csv']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'CSV file'})}
  static override flags = {
    ...importFlags,
    month: monthFlag({required: true, description: 'settlement month YYYY-MM: the month the cases are declared in (a case discharged earlier is settled here as 跨月)'}),
    check: Flags.boolean({description: 'then check the month\'s cases against the quality rules, as yb cases check --month does (exit 3 when a case fails one); with the policy\'s quality.hold_errors, yb pay holds the cases that fail an error rule'}),
    rules: Flags.string({dependsOn: ['check'], description: 'the quality rules of --check (a qc-rules/1 folder or a stored id; default: the policy\'s quality.rules, else the bundled set)', helpValue: '<dir|id>'}),
    correct: Flags.boolean({exclusive: ['replace'], description: 'the rows correct cases already settled in closed months: settled in --month as a reversal (冲正) of what was paid plus the corrected case (补退)'}),
  }

  async run(): Promise<KeyedImportResult & {check?: CasesCheckResult}> {
    const {args, flags} = await this.parse(CasesImport)
    const result: KeyedImportResult & {check?: CasesCheckResult} = await runImport(this, args.file, flags, async (db, options) => {
      // The rules are read before the file, so that a bad rules folder stops the import, not the check after it.
      if (flags.check) rulesFor(db, flags.month, flags.rules)
      const imported = await (flags.correct ? importCaseCorrections(db, flags.month, options) : importCases(db, flags.month, options))
      return flags.check ? {...imported, check: await checkCases(db, {month: flags.month, ...(flags.rules === undefined ? {} : {rules: flags.rules})})} : imported
    })
    if (result.check !== undefined) {
      this.log(casesCheckText(result.check))
      if (result.check.flagged > 0) process.exitCode = EXIT_REJECTED_ROWS
    }
    return result
  }
}
