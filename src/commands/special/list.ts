import {monthFlag, yearFlag} from '../../cli/flags.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {openWorkspace, workspacePath} from '../../store/db.js'
import {listSpecialCases} from '../../store/special-cases.js'

const DECISION_LABEL: Record<string, string> = {pending: '待审', approved: '通过', rejected: '不通过'}

export default class SpecialList extends YbCommand {
  static override summary = 'List 特例单议 marks and decisions of a year or a month'
  static override examples = ['<%= config.bin %> special list --year 2025', '<%= config.bin %> special list --month 2025-03 --json']
  static override enableJsonFlag = true
  static override flags = {
    year: yearFlag({exclusive: ['month'], description: 'cases discharged in this year'}),
    month: monthFlag({exclusive: ['year'], description: 'cases of this month (YYYY-MM)'}),
    db: dbFlag,
  }

  async run(): Promise<{cases: ReturnType<typeof listSpecialCases>}> {
    const {flags} = await this.parse(SpecialList)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const cases = listSpecialCases(db, {...(flags.year === undefined ? {} : {year: flags.year}), ...(flags.month === undefined ? {} : {month: flags.month})})
      this.log(
        cases.length === 0
          ? 'no 特例单议 cases'
          : renderTable(
              ['结算流水号', '月份', '机构编码', '结果', '核准费用', '核定分值', '来源', '意见'],
              cases.map((c) => [c.settlementId, c.month, c.institutionId, DECISION_LABEL[c.decision] ?? c.decision, c.approvedCostYuan, c.approvedScore, c.source, c.note]),
              {right: [4, 5]},
            ),
      )
      return {cases}
    } finally {
      db.close()
    }
  }
}
