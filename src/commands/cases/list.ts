import {monthFlag} from '../../cli/flags.js'
import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {groupedYuan} from '../../cli/pay-text.js'
import {renderTable} from '../../io/table.js'
import {casePage, type CaseListRow} from '../../store/settlement-data.js'

export default class CasesList extends YbCommand {
  static override summary = "A page of a month's stored discharges, as imported (reads only)"
  static override description = 'In settlement_id order, a page at a time: --after the last id of the page before; --institution for one institution. A case discharged in an earlier month and declared in this one shows its own discharge date (跨月).'
  static override examples = ['<%= config.bin %> cases list --month 2025-03', '<%= config.bin %> cases list --month 2025-03 --institution H001 --limit 200 --json']
  static override enableJsonFlag = true
  static override flags = {
    month: monthFlag({required: true, description: 'settlement month YYYY-MM'}),
    institution: Flags.string({description: 'one institution', helpValue: '<id>'}),
    after: Flags.string({default: '', description: 'start after this settlement_id', helpValue: '<settlement_id>'}),
    limit: Flags.integer({default: 50, min: 1, max: 100_000, description: 'rows per page'}),
    db: dbFlag,
  }

  async run(): Promise<{month: string; cases: CaseListRow[]; next: string | null}> {
    const {flags} = await this.parse(CasesList)
    return this.reading(flags.db, (db) => {
      const cases = casePage(db, flags.month, {after: flags.after, limit: flags.limit, ...(flags.institution === undefined ? {} : {institution: flags.institution})})
      const next = cases.length === flags.limit ? cases.at(-1)!.settlement_id : null
      this.log(
        renderTable(
          ['结算流水号', '机构编码', '险种', '出院日期', '住院天数', '主诊断', '医疗总费用', '统筹基金记账', '付费方式', '备注'],
          cases.map((c) => [c.settlement_id, c.institution_id, c.insurance_type, c.discharge_date, c.los_days, c.dx_codes.split('|')[0] ?? '', groupedYuan(c.total_cost), groupedYuan(c.fund_recorded), c.payment_method, c.discharge_date !== '' && !c.discharge_date.startsWith(flags.month) ? '跨月' : '']),
          {right: [4, 6, 7]},
        ),
      )
      if (next !== null) this.log(`more: yb cases list --month ${flags.month} --after ${next}${flags.institution === undefined ? '' : ` --institution ${flags.institution}`}`)
      return {month: flags.month, cases, next}
    })
  }
}
