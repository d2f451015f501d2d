import {monthFlag, yearFlag} from '../../cli/flags.js'
import {Flags} from '@oclif/core'
import {type ClosedPeriod, closePeriods} from '../../app/periods.js'
import {actorOf, byFlag} from '../../cli/actor.js'
import {dbFlag, YbCommand} from '../../cli/base.js'

export default class PeriodClose extends YbCommand {
  static override summary = 'Close months (their payment runs) or a year (its clearing): a closed period is a fact that nothing changes'
  static override description =
    'A month closes on its current payment run, or without one when it has no cases (its dated deductions are then taken at the clearing). A year closes on its clearing run (which needs all twelve months closed) and locks everything of the year: its months, deductions, 特例单议 decisions, prepayment, policy and weights. Closing a closed period again changes nothing and exits 0 with a notice. Who closed it (--by, else $USER), when and why are kept; `yb period status --year` shows them.'
  static override examples = ['<%= config.bin %> period close --month 2025-03 --reason "拨付完成"', '<%= config.bin %> period close --month 2025-11 --month 2025-12 --reason "拨付完成"', '<%= config.bin %> period close --year 2025 --reason "清算完成" --by li']
  static override enableJsonFlag = true
  static override flags = {
    month: monthFlag({description: 'month YYYY-MM (repeat for several)', multiple: true, exactlyOne: ['month', 'year']}),
    year: yearFlag({description: 'year YYYY (its clearing)', exactlyOne: ['month', 'year']}),
    reason: Flags.string({default: '', description: 'recorded in the period log'}),
    by: byFlag,
    db: dbFlag,
  }

  async run(): Promise<{periods: ClosedPeriod[]}> {
    const {flags} = await this.parse(PeriodClose)
    return this.writing(flags.db, async (db) => {
      const kind = flags.year === undefined ? 'pay' : 'clear'
      const periods = await closePeriods(db, kind, flags.year === undefined ? flags.month! : [String(flags.year)], {reason: flags.reason, by: actorOf(flags.by)})
      for (const p of periods) {
        const name = `${p.kind} ${p.period}`
        if (p.already) this.log(`${name} is already closed (run ${p.runId ?? 'none'}): nothing to do`)
        else this.log(`closed ${name} (${p.runId === null ? 'no cases, no run' : `run ${p.runId}`})${p.alsoClosed.length > 0 ? `, and ${p.alsoClosed.join(', ')}` : ''}`)
      }
      return {periods}
    })
  }
}
