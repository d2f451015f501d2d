import {Flags} from '@oclif/core'
import {runSimulate, type SimulateResult} from '../app/simulate.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {monthFlag} from '../cli/flags.js'
import {simulateText} from '../cli/simulate-text.js'
import {readTextFile} from '../io/text-file.js'

export default class Simulate extends YbCommand {
  static override summary = "What a draft policy would pay a month, beside what it was paid: nothing is recorded"
  static override description = `Pays the stored month under the draft policy (a yb-policy/1 file of the month's year, checked as yb policy check does) with the same engine as yb pay, inside a transaction that is rolled back: no run, no policy version, no change to a closed period is left behind. Prints per institution and pool the current run's 统筹基金应支付 and 本月拨付, the draft's, and the difference (amount and %), the totals, and how the payment standards of the cases paid by their group moved (how many changed, draft ÷ current from lowest to highest). This is how an office tests a new rate, coefficient or outlier rule before adopting it.`
  static override examples = ['<%= config.bin %> simulate --policy draft-2025.yaml --month 2025-03', '<%= config.bin %> simulate --policy draft-2025.yaml --month 2025-03 --json']
  static override enableJsonFlag = true
  static override flags = {
    policy: Flags.file({required: true, exists: true, description: 'the draft policy (YAML)', helpValue: '<file>'}),
    month: monthFlag({required: true, description: 'the stored month to pay under the draft'}),
    db: dbFlag,
  }

  async run(): Promise<SimulateResult> {
    const {flags} = await this.parse(Simulate)
    return this.writing(flags.db, async (db) => {
      const result = await runSimulate(db, {policyFile: flags.policy, policyText: readTextFile(flags.policy), month: flags.month})
      this.log(simulateText(result))
      return result
    })
  }
}
