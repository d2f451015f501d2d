import {monthFlag, yearFlag} from '../../cli/flags.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {type RunRow, runRows} from '../../store/run-list.js'

export default class RunsList extends YbCommand {
  static override summary = 'List the runs of a month or a year (payments, clearings, prepayments): reads only, never makes a run'
  static override description = 'Every recorded run with its period, start time, how many cases it priced, whether it is the current run of its period (the one its statements and later runs use) and which run superseded it. `yb runs show <id>` prints one as its command printed it.'
  static override examples = ['<%= config.bin %> runs list --year 2025', '<%= config.bin %> runs list --month 2025-03 --json']
  static override enableJsonFlag = true
  static override flags = {
    month: monthFlag({exclusive: ['year'], description: 'the runs of this month (YYYY-MM)'}),
    year: yearFlag({exclusive: ['month'], description: 'the runs of this year: its months, its prepayment and its clearing'}),
    db: dbFlag,
  }

  async run(): Promise<{runs: RunRow[]}> {
    const {flags} = await this.parse(RunsList)
    const [from, to] = flags.month !== undefined ? [flags.month, flags.month] : flags.year !== undefined ? [String(flags.year), `${flags.year}-12`] : ['0000', '9999-99']
    return this.reading(flags.db, (db) => {
      const runs = runRows(db, {from, to})
      const kind: Record<string, string> = {pay: '月度支付', clear: '年度清算', prepay: '年初预付'}
      this.log(
        runs.length === 0
          ? 'no runs'
          : renderTable(
              ['运行', '类型', '期间', '开始时间', '病例数', '当前', '被取代于'],
              runs.map((r) => [String(r.runId), kind[r.kind] ?? r.kind, r.period, r.startedAt, String(r.cases), r.current ? '✓' : '', r.supersededBy === null ? '' : String(r.supersededBy)]),
              {right: [0, 4, 6]},
            ),
      )
      return {runs}
    })
  }
}
