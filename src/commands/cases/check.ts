import {Args, Flags} from '@oclif/core'
import {type CasesCheckResult, checkCases} from '../../app/cases-check.js'
import {dbFlag, EXIT_REJECTED_ROWS, YbCommand} from '../../cli/base.js'
import {UsageError} from '../../cli/failure.js'
import {monthFlag} from '../../cli/flags.js'
import {progressLine} from '../../cli/progress.js'
import {casesCheckText} from '../../cli/quality-text.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../../io/text-stream.js'
import {workspacePath} from '../../store/db.js'
import {existsSync} from 'node:fs'

export default class CasesCheck extends YbCommand {
  static override summary = '结算清单质控: check cases against quality rules (reads only)'
  static override description = `Every case of a stored month (--month) or of a case file (the columns of yb cases import) against every rule of a qc-rules/1 set (docs/quality.md), in one pass: per case the rules it fails, per institution the pass rate (通过率: cases failing no rule ÷ cases) and its most failed rules, per rule its cases. The rules: --rules <folder | id[@version] stored with yb qc import>, else the year policy's quality.rules, else the bundled default set (written from the 医疗保障基金结算清单填写规范). Codes are checked against the code dictionary of --scheme, or of the month's year policy; without one the dictionary rules are listed as not run. A file row whose values fail their column checks is reported as unreadable, never dropped. Exit 0 when no case fails a rule, 3 when some do.`
  static override examples = [
    '<%= config.bin %> cases check --month 2025-03',
    '<%= config.bin %> cases check cases-2025-03.csv --scheme ../shared/schemes/harbin-2022 --out flagged.csv',
    '<%= config.bin %> cases check --month 2025-03 --rules local-rules/ --institution H001 --json',
  ]
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: false, exists: true, description: 'a case file to check instead of a stored month'})}
  static override flags = {
    month: monthFlag({description: 'check the cases stored for this month YYYY-MM', exclusive: ['scheme']}),
    rules: Flags.string({description: 'quality rules: a qc-rules/1 folder, or id[@version] stored with yb qc import (default: the policy\'s quality.rules, else the bundled default)', helpValue: '<dir|id>'}),
    scheme: Flags.string({description: 'a file\'s codes are checked against this scheme\'s dictionary (folder or stored id)', helpValue: '<dir|id>'}),
    institution: Flags.string({description: 'only this institution\'s cases', helpValue: '<id>'}),
    out: Flags.string({description: 'write the flagged cases as CSV (UTF-8 with BOM), a row per case and rule with its evidence', helpValue: '<file.csv>'}),
    encoding: Flags.string({description: 'the case file\'s encoding', options: [...TEXT_ENCODINGS], default: 'utf-8'}),
    db: dbFlag,
  }

  async run(): Promise<CasesCheckResult> {
    const {args, flags} = await this.parse(CasesCheck)
    if ((flags.month === undefined) === (args.file === undefined)) throw new UsageError('give --month or a case file (one of them)')
    const progress = this.interactive() ? progressLine('checking') : undefined
    const options = {
      encoding: flags.encoding as TextEncoding,
      ...(flags.month === undefined ? {} : {month: flags.month}),
      ...(args.file === undefined ? {} : {file: args.file}),
      ...(flags.rules === undefined ? {} : {rules: flags.rules}),
      ...(flags.scheme === undefined ? {} : {scheme: flags.scheme}),
      ...(flags.institution === undefined ? {} : {institution: flags.institution}),
      ...(flags.out === undefined ? {} : {out: flags.out}),
      ...(progress === undefined ? {} : {onProgress: (done: number, total: number) => progress.update(`${done} of ${total} cases`)}),
    }
    // A file is checked without a workspace unless a stored id is named (or one is there to read).
    const result =
      flags.month !== undefined || existsSync(workspacePath(flags.db))
        ? await this.reading(flags.db, (db) => checkCases(db, options))
        : await checkCases(undefined, options)
    progress?.done()
    this.log(casesCheckText(result))
    if (result.flagged > 0 || result.unreadable > 0) process.exitCode = EXIT_REJECTED_ROWS
    return result
  }
}
