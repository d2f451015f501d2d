import {yearFlag} from '../cli/flags.js'
import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../cli/base.js'
import {prepayText} from '../cli/prepay-text.js'
import {type PrepayResult, runPrepay} from '../app/prepay.js'

export default class Prepay extends YbCommand {
  static override summary = '年初预付: prepayment per institution and pool from its fund spending history'
  static override description = "Average monthly fund spending over the policy's history years (from the stored discharges) × the policy's months, for each institution and pool. A pool pays prepayments only when its reserve covers the policy's minimum months (--reserve-months). Recorded as a run; a closed year is refused until `yb period reopen`."
  static override examples = ['<%= config.bin %> prepay --year 2026 --reserve-months 职工=14 --reserve-months 居民=7']
  static override enableJsonFlag = true
  static override flags = {
    year: yearFlag({required: true, description: 'the year prepaid'}),
    'reserve-months': Flags.string({multiple: true, required: true, description: "a pool's accumulated reserve in months of spending, as pool=months", helpValue: '<pool=months>'}),
    db: dbFlag,
  }

  async run(): Promise<PrepayResult> {
    const {flags} = await this.parse(Prepay)
    const reserveMonths: Record<string, string> = {}
    for (const entry of flags['reserve-months']) {
      const [pool, months] = entry.split('=')
      if (!pool || months === undefined) this.error(`--reserve-months takes pool=months, not "${entry}"`, {exit: 2})
      reserveMonths[pool] = months
    }
    return this.writing(flags.db, async (db) => {
      const result = runPrepay(db, {year: flags.year, reserveMonths})
      this.log(prepayText(result))
      return result
    })
  }
}
