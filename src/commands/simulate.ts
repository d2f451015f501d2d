import {Flags} from '@oclif/core'
import {runSimulate, type SimulateResult} from '../app/simulate.js'
import {runSimulateYear, type SimulateYearResult} from '../app/simulate-year.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {periodFlags} from '../cli/flags.js'
import {simulateText, simulateYearText} from '../cli/simulate-text.js'
import {readTextFile} from '../io/text-file.js'

export default class Simulate extends YbCommand {
  static override summary = "What a draft policy would pay a month, or clear a year to, beside what was paid: nothing is recorded"
  static override description = `Pays the stored month under the draft policy (a yb-policy/1 file of the month's year, checked as yb policy check does) with the same engine as yb pay, inside a transaction that is rolled back: no run, no policy version, no change to a closed period is left behind. Prints per institution and pool the current run's 统筹基金应支付 and 本月拨付, the draft's, and the difference (amount and %), the totals, and how the payment standards of the cases paid by their group moved (how many changed, draft ÷ current from lowest to highest). With --year, the year is cleared under the draft as yb clear does (with the assessment scores the current clearing used) and compared per institution and pool on 年度应支付合计 and 本期应补应扣. This is how an office tests a new rate, coefficient, outlier or band rule before adopting it.`
  static override examples = ['<%= config.bin %> simulate --policy draft-2025.yaml --month 2025-03', '<%= config.bin %> simulate --policy draft-2025.yaml --year 2025 --json']
  static override enableJsonFlag = true
  static override flags = {
    policy: Flags.file({required: true, exists: true, description: 'the draft policy (YAML)', helpValue: '<file>'}),
    ...periodFlags,
    weights: Flags.file({exists: true, description: 'a draft weights file (as yb weights import takes) in place of the year\'s weights', helpValue: '<csv>'}),
    db: dbFlag,
  }

  async run(): Promise<SimulateResult | SimulateYearResult> {
    const {flags} = await this.parse(Simulate)
    const policyText = readTextFile(flags.policy)
    return this.writing(flags.db, async (db) => {
      if (flags.month !== undefined) {
        const result = await runSimulate(db, {policyFile: flags.policy, policyText, month: flags.month, ...(flags.weights === undefined ? {} : {weights: flags.weights})})
        this.log(simulateText(result))
        return result
      }
      const result = await runSimulateYear(db, {policyFile: flags.policy, policyText, year: flags.year!, ...(flags.weights === undefined ? {} : {weights: flags.weights})})
      this.log(simulateYearText(result))
      return result
    })
  }
}
