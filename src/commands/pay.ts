import {monthFlag} from '../cli/flags.js'
import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../cli/base.js'
import {payText} from '../cli/pay-text.js'
import {progressLine} from '../cli/progress.js'
import {type PayResult, runPay} from '../app/pay.js'

export default class Pay extends YbCommand {
  static override summary = "Monthly payment (按月支付): group, price and pay the month's discharges"
  static override description = "Groups the month's stored discharges with the year's scheme (policy `scheme`), prices each case (weight × rate × coefficient, high and low outliers, QY and 0000 at a discount of the item amount, invalid cases held), takes off the patient's parts by the policy's fund formula, sums per institution and pool, and pays the pre-settlement ratio, holding back the rest. The run is recorded with its inputs' hashes and every case's price build-up; a newer run of the same month supersedes it. A closed month is refused until `yb period reopen`."
  static override examples = ['<%= config.bin %> pay --month 2025-03', '<%= config.bin %> pay --month 2025-03 --json > pay-2025-03.json']
  static override enableJsonFlag = true
  static override flags = {
    month: monthFlag({required: true, description: 'settlement month YYYY-MM'}),
    explain: Flags.boolean({description: "store every case's price build-up with the run (by default the results only)"}),
    'accept-rate-deviation': Flags.boolean({description: "pay at a computed rate or point value beyond the policy's rate_check bound (reported as a warning)"}),
    force: Flags.boolean({description: "run again even when nothing the month's payment reads (cases, policy, weights, scheme, deductions, 特例单议) has changed since its current run"}),
    db: dbFlag,
  }

  async run(): Promise<PayResult> {
    const {flags} = await this.parse(Pay)
    return this.writing(flags.db, async (db) => {
      const progress = this.interactive() ? progressLine('pricing') : undefined
      const result = await runPay(db, {
        month: flags.month,
        explain: flags.explain,
        acceptRateDeviation: flags['accept-rate-deviation'],
        force: flags.force,
        onProgress: progress ? (done, total) => progress.update(`${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} cases`) : undefined,
      })
      progress?.done()
      if (result.unchanged === true) this.log(`${result.month}: nothing it reads has changed since run ${result.runId}, which stands as it was (no new run, no new statement version; --force runs it again):\n`)
      this.log(payText(result))
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`)
      return result
    })
  }
}
