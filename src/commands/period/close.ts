import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {periodFlags, periodOf} from '../../cli/period-flags.js'
import {openWorkspace, workspacePath} from '../../store/db.js'
import {closePeriod} from '../../store/runs.js'

export default class PeriodClose extends YbCommand {
  static override summary = 'Close a month (its payment run) or a year (its clearing run): it is no longer recomputed'
  static override examples = ['<%= config.bin %> period close --month 2025-03 --reason "拨付完成"']
  static override enableJsonFlag = true
  static override flags = {
    ...periodFlags,
    reason: Flags.string({default: '', description: 'recorded in the period log'}),
    db: dbFlag,
  }

  async run(): Promise<{kind: string; period: string; runId: number; state: 'closed'}> {
    const {flags} = await this.parse(PeriodClose)
    const {kind, period} = periodOf(flags)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const {runId} = closePeriod(db, kind, period, flags.reason)
      this.log(`closed ${kind} ${period} (run ${runId})`)
      return {kind, period, runId, state: 'closed'}
    } finally {
      db.close()
    }
  }
}
