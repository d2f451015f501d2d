import {yearFlag} from '../../cli/flags.js'
import {type YearStatus, yearStatus} from '../../app/periods.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {openWorkspace, workspacePath} from '../../store/db.js'

const STATE: Record<string, string> = {open: 'open', paid: 'paid', cleared: 'cleared', closed: 'closed'}

export default class PeriodStatus extends YbCommand {
  static override summary = 'Every period of a year: state, current run, closed when, by whom and why, and its reopenings (reads only)'
  static override examples = ['<%= config.bin %> period status --year 2025', '<%= config.bin %> period status --year 2025 --json']
  static override enableJsonFlag = true
  static override flags = {
    year: yearFlag({required: true, description: 'the year'}),
    db: dbFlag,
  }

  async run(): Promise<YearStatus> {
    const {flags} = await this.parse(PeriodStatus)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const status = yearStatus(db, flags.year)
      const reopened = (log: readonly {action: string}[]) => String(log.filter((l) => l.action === 'reopen').length)
      this.log(
        renderTable(
          ['期间', '类型', '出院人次', '状态', '当前运行', '关闭时间', '关闭人', '原因', '重开次数'],
          [
            ...status.months.map((m) => [m.period, '月度', String(m.cases), STATE[m.state]!, m.runId === null ? '' : String(m.runId), m.closedAt, m.closedBy, m.reason, reopened(m.log)]),
            [status.prepayment.period, '预付', '', STATE[status.prepayment.state]!, status.prepayment.runId === null ? '' : String(status.prepayment.runId), status.prepayment.closedAt, status.prepayment.closedBy, status.prepayment.reason, ''],
            [status.clearing.period, '年度清算', '', STATE[status.clearing.state]!, status.clearing.runId === null ? '' : String(status.clearing.runId), status.clearing.closedAt, status.clearing.closedBy, status.clearing.reason, reopened(status.clearing.log)],
          ],
          {right: [2, 4, 8]},
        ),
      )
      return status
    } finally {
      db.close()
    }
  }
}
