import {Flags} from '@oclif/core'
import {YbCommand} from '../cli/base.js'
import {groupSummaryText} from '../cli/group-summary.js'
import {runDemo, type DemoResult} from '../demo/run-demo.js'

export default class Demo extends YbCommand {
  static override summary = 'Run the main job on bundled data: a synthetic month grouped with the demo pack'
  static override description = `Generates a month of synthetic discharges for the bundled demo scheme pack (data/schemes/demo), groups them, and prints the summary: cases per status and per MDC. The files are left in --out-dir for a look: cases.csv (input) and grouped.csv (output). Nothing else is needed: no workspace, no shared data.`
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --count 20000 --seed 7 --out-dir /tmp/yb-demo --json']
  static override enableJsonFlag = true
  static override flags = {
    count: Flags.integer({default: 5000, min: 1, description: 'discharges in the synthetic month'}),
    seed: Flags.integer({default: 2025, min: 0, description: 'random seed'}),
    'out-dir': Flags.string({default: 'yb-demo', description: 'folder for the demo files', helpValue: '<dir>'}),
  }

  async run(): Promise<DemoResult> {
    const {flags} = await this.parse(Demo)
    const result = await runDemo({count: flags.count, seed: flags.seed, outDir: flags['out-dir']})
    this.log(`demo scheme pack ${result.grouping.scheme.id}: ${result.casesFile} → ${result.groupedFile}\n`)
    this.log(groupSummaryText(result.grouping, new Map(Object.entries(result.mdcNames))))
    return result
  }
}
