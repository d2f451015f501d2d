import {yearFlag} from '../../cli/flags.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {groupedYuan} from '../../cli/pay-text.js'
import {renderTable} from '../../io/table.js'
import {type DeductionRow, deductionRows} from '../../store/settlement-data.js'

export default class DeductionsList extends YbCommand {
  static override summary = "A year's 审核扣减 / 违规扣款 as stored: dated ones (taken off that month's payment) and undated ones (taken at the clearing) (reads only)"
  static override examples = ['<%= config.bin %> deductions list --year 2025', '<%= config.bin %> deductions list --year 2025 --json']
  static override enableJsonFlag = true
  static override flags = {year: yearFlag({required: true, description: 'the year'}), db: dbFlag}

  async run(): Promise<{year: number; deductions: DeductionRow[]}> {
    const {flags} = await this.parse(DeductionsList)
    return this.reading(flags.db, (db) => {
      const deductions = deductionRows(db, flags.year)
      this.log(
        deductions.length === 0
          ? `no deductions for ${flags.year}`
          : renderTable(['文书号', '月份', '机构编码', '险种', '扣款类型', '扣款金额', '依据'], deductions.map((d) => [d.deduction_id, d.month || '(年终)', d.institution_id, d.pool, d.kind, groupedYuan(d.amount_yuan), d.basis]), {right: [5]}),
      )
      return {year: flags.year, deductions}
    })
  }
}
