import {Flags} from '@oclif/core'
import {YbCommand} from '../cli/base.js'
import {clearText} from '../cli/clear-text.js'
import {groupSummaryText} from '../cli/group-summary.js'
import {groupedYuan} from '../cli/pay-text.js'
import {type DemoResult, runDemo} from '../demo/run-demo.js'
import {renderTable} from '../io/table.js'

export default class Demo extends YbCommand {
  static override summary = 'Run a whole settlement year on bundled data: group, prepay, pay monthly, clear'
  static override description = "A synthetic region of 30 institutions runs a year with the bundled demo scheme pack (data/schemes/demo): a history year of discharges gives the DRG weights (group average cost ÷ all-case average) and the budget; then the prepayment, twelve months of discharges grouped, priced and paid, and the year-end clearing, printed line by line. The files and the workspace (demo.db) stay in --out-dir for a look, e.g. `yb clear --year 2025 --db yb-demo/demo.db`. Nothing else is needed: no setup, no shared data."
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --count 5000 --seed 7 --out-dir /tmp/yb-demo --json']
  static override enableJsonFlag = true
  static override flags = {
    count: Flags.integer({default: 1500, min: 10, description: 'discharges per month'}),
    seed: Flags.integer({default: 2025, min: 0, description: 'random seed'}),
    'out-dir': Flags.string({default: 'yb-demo', description: 'folder for the demo files and workspace', helpValue: '<dir>'}),
    method: Flags.string({default: 'DRG', options: ['DRG', 'DIP'], description: 'pay the year by DRG groups, or by DIP disease points with the bundled demo catalog'}),
  }

  async run(): Promise<DemoResult> {
    const {flags} = await this.parse(Demo)
    const result = await runDemo({count: flags.count, seed: flags.seed, outDir: flags['out-dir'], method: flags.method as 'DRG' | 'DIP'})
    this.log(
      result.method === 'DRG'
        ? `demo region: 30 hospitals paid by DRG and 3 community centres paid by head (按人头付费): scheme pack demo, ${result.weights} DRG weights derived from ${result.year - 1}; workspace ${result.db}\n`
        : `demo region: 30 hospitals paid by DIP and 3 community centres paid by head (按人头付费): catalog demo-dip (data/dip/demo, built with yb dip build), point values computed from the budget; workspace ${result.db}\n`,
    )
    this.log(`January's discharges grouped (${result.outDir}/grouped-${result.year}-01.csv):\n`)
    this.log(groupSummaryText(result.grouping, new Map(Object.entries(result.mdcNames))))
    this.log(`\n年初预付 ${result.year}: ${groupedYuan(result.prepaymentYuan)}\n`)
    this.log(renderTable(['月份', '出院人次', '基金应付', '本月拨付', '按人头拨付'], result.months.map((m) => [m.month, String(m.cases), groupedYuan(m.fundDueYuan), groupedYuan(m.payYuan), groupedYuan(m.capitationPayYuan)]), {right: [1, 2, 3, 4]}))
    this.log(`\n${clearText(result.clear)}`)
    return result
  }
}
