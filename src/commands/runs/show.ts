import {Args, Flags} from '@oclif/core'
import type {ClearResult} from '../../app/clear.js'
import type {PayResult} from '../../app/pay.js'
import type {PrepayResult} from '../../app/prepay.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {clearText} from '../../cli/clear-text.js'
import {groupedYuan, payText} from '../../cli/pay-text.js'
import {prepayText} from '../../cli/prepay-text.js'
import {inputError, InputErrors} from '../../errors.js'
import {renderTable} from '../../io/table.js'
import {type RunCaseRow, runCasePage, runRecord, type RunRow} from '../../store/run-list.js'

export default class RunsShow extends YbCommand {
  static override summary = 'Show one recorded run as its command printed it, or a page of its case results (reads only)'
  static override description = 'Without --cases: the run as `yb pay`, `yb clear` or `yb prepay` printed it, from what it recorded (its inputs and result), with --json the same JSON. With --cases: its case results a page at a time in settlement_id order (--after the last id of the page before, --limit, --institution).'
  static override examples = ['<%= config.bin %> runs show 7', '<%= config.bin %> runs show 7 --cases --institution H001 --limit 100', '<%= config.bin %> runs show 7 --cases --after S2025030000100 --json']
  static override enableJsonFlag = true
  static override args = {run: Args.integer({required: true, description: 'the run id (yb runs list)'})}
  static override flags = {
    cases: Flags.boolean({description: "page the run's case results instead"}),
    after: Flags.string({default: '', description: 'with --cases: start after this settlement_id', helpValue: '<settlement_id>'}),
    limit: Flags.integer({default: 50, min: 1, max: 100_000, description: 'with --cases: rows per page'}),
    institution: Flags.string({description: 'with --cases: one institution', helpValue: '<id>'}),
    db: dbFlag,
  }

  async run(): Promise<{run: RunRow; inputs: unknown; result: unknown} | {run: RunRow; cases: RunCaseRow[]; next: string | null}> {
    const {args, flags} = await this.parse(RunsShow)
    return this.reading(flags.db, (db) => {
      const found = runRecord(db, args.run)
      if (found === undefined) throw new InputErrors([inputError(String(args.run), 0, 'run', 'reference_unknown', `there is no run ${args.run}`, 'yb runs list shows them')])
      const head = `run ${found.row.runId}: ${found.row.kind} ${found.row.period}, started ${found.row.startedAt}, ${found.row.current ? 'current' : `superseded by run ${found.row.supersededBy ?? '—'}`}`
      if (flags.cases) {
        const cases = runCasePage(db, args.run, {after: flags.after, limit: flags.limit, ...(flags.institution === undefined ? {} : {institution: flags.institution})})
        const next = cases.length === flags.limit ? cases.at(-1)!.settlementId : null
        this.log(head)
        this.log(
          renderTable(
            ['结算流水号', '机构编码', '险种', '入组状态', '病组', '权重/分值', '点数', '支付方式', '偏差', '支付标准', '结算金额', '统筹基金应支付', '特例单议'],
            cases.map((c) => [c.settlementId, c.institutionId, c.pool, c.status, c.drg, c.weight, c.points, c.payment, c.outlier, groupedYuan(c.standardYuan), groupedYuan(c.adjustedYuan), groupedYuan(c.fundYuan), c.special]),
            {right: [5, 6, 9, 10, 11]},
          ),
        )
        if (next !== null) this.log(`more: yb runs show ${args.run} --cases --after ${next}${flags.institution === undefined ? '' : ` --institution ${flags.institution}`}`)
        return {run: found.row, cases, next}
      }
      this.log(head)
      this.log(found.row.kind === 'pay' ? payText(found.result as PayResult) : found.row.kind === 'clear' ? clearText(found.result as ClearResult) : prepayText(found.result as PrepayResult))
      return {run: found.row, inputs: found.inputs, result: found.result}
    })
  }
}
