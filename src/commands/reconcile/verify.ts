import {Args, Flags} from '@oclif/core'
import {type VerifyResult, verifyReturn} from '../../app/reconcile-verify.js'
import {dbFlag, EXIT_DIFFERENCES, YbCommand} from '../../cli/base.js'
import {periodFlags, periodOf} from '../../cli/flags.js'
import {verifyText} from '../../cli/reconcile-text.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../../io/text-stream.js'
import {openWorkspace, workspacePath} from '../../store/db.js'

export default class ReconcileVerify extends YbCommand {
  static override summary = "Compare an institution's returned case-detail file with the workspace, case by case"
  static override description = `Reads a 明细 file an institution sends back (CSV in UTF-8 or GB18030, or the .xlsx statement; Chinese or English headers: 结算流水号 and any of 病组编码, 结算金额, 统筹基金应支付, and 机构编码 unless --institution is given) and compares it with the period's current run: cases missing from the file, extra cases, changed groups or amounts, and repeated ids. For an .xlsx statement the 汇总 sheet's check equations are also evaluated on the file's own figures, so an edited total is reported.

Exit codes: 0 the file matches; 4 differences were found (listed); 1 the file or the period cannot be read.`
  static override examples = ['<%= config.bin %> reconcile verify returned/H001_明细.csv --month 2025-03', '<%= config.bin %> reconcile verify H001.xlsx --year 2025 --json']
  static override enableJsonFlag = true
  static override args = {file: Args.string({required: true, description: 'the returned file (.csv or .xlsx)'})}
  static override flags = {
    ...periodFlags,
    institution: Flags.string({description: 'the institution the file is from, when it has no 机构编码 column', helpValue: '<id>'}),
    encoding: Flags.string({options: [...TEXT_ENCODINGS], description: 'encoding of a CSV file (default: UTF-8 when valid, else GB18030)'}),
    db: dbFlag,
  }

  async run(): Promise<VerifyResult> {
    const {args, flags} = await this.parse(ReconcileVerify)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const result = verifyReturn(db, {
        file: args.file,
        period: periodOf(flags),
        ...(flags.institution === undefined ? {} : {institution: flags.institution}),
        ...(flags.encoding === undefined ? {} : {encoding: flags.encoding as TextEncoding}),
      })
      this.log(verifyText(result))
      if (!result.ok) process.exitCode = EXIT_DIFFERENCES
      return result
    } finally {
      db.close()
    }
  }
}
