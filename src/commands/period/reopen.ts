import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {periodFlags, periodOf} from '../../cli/flags.js'
import {reopen} from '../../app/periods.js'
import {actorOf, byFlag} from '../../cli/actor.js'

export default class PeriodReopen extends YbCommand {
  static override summary = 'Reopen a closed month or year so that it can be recomputed; the reason (never empty) and who reopened it are logged'
  static override examples = ['<%= config.bin %> period reopen --month 2025-03 --reason "机构申诉: 3 例重新分组"']
  static override enableJsonFlag = true
  static override flags = {
    ...periodFlags,
    reason: Flags.string({required: true, description: 'why it is reopened (recorded in the period log; not empty)'}),
    by: byFlag,
    db: dbFlag,
  }

  async run(): Promise<{kind: string; period: string; runId: number | null; state: 'open'}> {
    const {flags} = await this.parse(PeriodReopen)
    const {kind, period} = periodOf(flags)
    return this.writing(flags.db, async (db) => {
      const {runId} = reopen(db, kind, period, {reason: flags.reason, by: actorOf(flags.by)})
      this.log(`reopened ${kind} ${period} (run ${runId ?? 'none'}): ${flags.reason}`)
      return {kind, period, runId, state: 'open'}
    })
  }
}
