import {Flags} from '@oclif/core'
import {type EvaluateResult, runEvaluate} from '../app/evaluate.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {evaluateRows, evaluateText} from '../cli/evaluate-text.js'
import {csvLine, spreadsheetSafe, TextOutput} from '../io/text-stream.js'
import {periodFlags} from '../cli/flags.js'
import {workspaceFiles} from '../io/output-target.js'
import {workspacePath} from '../store/db.js'
import type {EvaluationUnit} from '../store/evaluation.js'

export default class Evaluate extends YbCommand {
  static override summary = 'Evaluate institutions: 入组率, CMI, 费用消耗指数, 时间消耗指数, 低风险组死亡率 (reads only)'
  static override description = `From the cases of the period's current payment runs (a month, or every paid month of a year), per institution and for the region: cases; 入组率 = grouped ÷ analysable cases (all but 待更正); DRG 组数; 总权重 and CMI = 总权重 ÷ grouped cases; 费用消耗指数 = Σ over groups of (its mean cost in the group ÷ the region's mean cost in it) × its cases in the group ÷ its grouped cases, and 时间消耗指数 the same with the length of stay (1.0000 is the region's level); 低风险组死亡率: the region's groups whose ln(mortality) is below the mean minus one standard deviation over the groups with deaths (离院方式 5), and every group without a death, with deaths ÷ cases of the institution in them; 中低风险组 lies from there up to the mean. Indexes at 4 places, HALF_UP.`
  static override examples = ['<%= config.bin %> evaluate --month 2025-03', '<%= config.bin %> evaluate --year 2025 --json', '<%= config.bin %> evaluate --year 2025 --institution H001']
  static override enableJsonFlag = true
  static override flags = {
    ...periodFlags,
    by: Flags.string({options: ['institution', 'department', 'physician'], default: 'institution', description: 'the unit evaluated: the institution, or its departments (出院科别) or physicians (主诊医师代码) from the case columns; cases without one count as 未填'}),
    institution: Flags.string({description: 'only this institution (the region is still the whole region)', helpValue: '<id>'}),
    out: Flags.string({description: 'also write the table as CSV (UTF-8 with BOM, as Excel opens it)', helpValue: '<file.csv>'}),
    db: dbFlag,
  }

  async run(): Promise<EvaluateResult> {
    const {flags} = await this.parse(Evaluate)
    const period = flags.month ?? String(flags.year)
    const months = flags.month !== undefined ? [flags.month] : Array.from({length: 12}, (_, k) => `${flags.year}-${String(k + 1).padStart(2, '0')}`)
    const result = await this.reading(flags.db, (db) => runEvaluate(db, {period, months, by: flags.by as EvaluationUnit, ...(flags.institution === undefined ? {} : {institution: flags.institution})}))
    if (flags.out !== undefined) {
      const out = new TextOutput(flags.out, '--out', workspaceFiles(workspacePath(flags.db)))
      out.write('\uFEFF')
      for (const row of evaluateRows(result)) out.write(csvLine(row.map(spreadsheetSafe)))
      await out.commit()
    }
    this.log(evaluateText(result))
    return result
  }
}
