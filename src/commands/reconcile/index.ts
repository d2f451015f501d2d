import {Flags} from '@oclif/core'
import {type ReconcileResult, reconcile} from '../../app/reconcile.js'
import {STATEMENT_FORMAT} from '../../app/closed-statements.js'
import {dbFlag, EXIT_DIFFERENCES, YbCommand} from '../../cli/base.js'
import {periodFlags, periodOf} from '../../cli/flags.js'
import {progressLine} from '../../cli/progress.js'
import {reconcileText} from '../../cli/reconcile-text.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../../io/text-stream.js'
import {openWorkspace, workspacePath} from '../../store/db.js'

export default class Reconcile extends YbCommand {
  static override summary = "Write every institution's statement (结算单/对账单) of a monthly payment or year-end clearing"
  static override description = `For the period's current run (yb pay --month, yb clear --year), writes per institution one .xlsx with sheets 汇总 (one row per pool), 明细 (one row per case), 参数 (every rate, point value, coefficient and threshold used, with its path in the policy) and 校验 (each check equation with both sides as formulas and 通过/不通过), and the 汇总 and 明细 as CSV (UTF-8 with BOM, or --encoding gb18030; amounts with 2 decimals, - for 应扣). File names are {统筹区}_{机构编码}_{付费方式}_{期间}_{清算类型}_v{n}; v{n} counts the period's runs. manifest.csv lists every file with its rows, totals and SHA-256, and the regional totals.

Nothing is recomputed and nothing but the run's recorded time is dated: a closed period gives identical bytes every time. Check a file an institution sends back with \`yb reconcile verify\`.`
  static override examples = [
    '<%= config.bin %> reconcile --month 2025-03 --out statements/2025-03',
    '<%= config.bin %> reconcile --year 2025 --institution H001 --out statements/2025 --encoding gb18030',
  ]
  static override enableJsonFlag = true
  static override flags = {
    ...periodFlags,
    institution: Flags.string({description: 'only this institution (机构编码)', helpValue: '<id>'}),
    out: Flags.string({required: true, description: 'directory for the files (created if needed)', helpValue: '<dir>'}),
    encoding: Flags.string({options: [...TEXT_ENCODINGS], default: 'utf-8', description: 'encoding of the CSV files'}),
    db: dbFlag,
  }

  async run(): Promise<ReconcileResult> {
    const {flags} = await this.parse(Reconcile)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const progress = this.interactive() ? progressLine('writing statements') : undefined
      const result = await reconcile(db, {
        period: periodOf(flags),
        ...(flags.institution === undefined ? {} : {institution: flags.institution}),
        outDir: flags.out,
        encoding: flags.encoding as TextEncoding,
        onProgress: progress ? (done, total) => progress.update(`${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} cases`) : undefined,
      })
      progress?.done()
      this.log(reconcileText(result))
      if (result.statementsRecorded !== null && !result.statementsRecorded.matches) {
        process.stderr.write(`error: these statements of closed ${result.kind} ${result.period} differ from those first written for it (manifest sha256 ${result.statementsRecorded.recorded}, now ${result.manifest.sha256})\n`)
        process.exitCode = EXIT_DIFFERENCES
      }
      const earlier = result.statementsRecorded?.earlierFormat
      if (earlier !== undefined) process.stderr.write(`notice: the statements of closed ${result.kind} ${result.period} were first recorded in statement format ${earlier}; this yb writes format ${STATEMENT_FORMAT}, so they are not compared byte for byte (the run was checked against its seal)\n`)
      return result
    } finally {
      db.close()
    }
  }
}
