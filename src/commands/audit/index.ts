import {Flags} from '@oclif/core'
import {runSupervision, type SuperviseResult} from '../../app/supervise.js'
import {writeSuperviseFile} from '../../app/supervise-out.js'
import {superviseText} from '../../cli/audit-text.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {periodFlags} from '../../cli/flags.js'

export default class Audit extends YbCommand {
  static override summary = '监管: supervision signals over paid cases — 分解住院, 高套, 低标入院, 低倍率, 0000/QY'
  static override description = `Over the cases of the period's current payment runs (a month, or every paid month of a year): 分解住院 — the same person (参保人编号, the person_id column) readmitted to the same institution within audit.readmission_days (default 15) of a discharge for the same ADRG or the same principal-diagnosis category (Z51 放化疗 stays exempt), each pair with both cases; 高套 — per institution, its cases in the MCC/CC groups (codes ending 1 or 3) of ADRGs with a severity split, against the other institutions of its level (同级) ADRG by ADRG, with the complications that drove the splits; 低标入院 — stays of at most audit.short_stay_days (2) costing below audit.cheap_share (0.3) × their group's mean cost; 低倍率 and 0000/QY shares. An institution is raised when its binomial z-score over its peers of the same level, z = (k − Σ n·p) ÷ √Σ n·p·(1−p) group by group, reaches audit.z_min (3) with at least audit.cases_min (30) cases (docs/quality.md). Each audit is recorded with its signals and their cases (yb review --flag shows them). No signal changes money: a decision goes through yb deductions import or yb special import.`
  static override examples = ['<%= config.bin %> audit --month 2025-03', '<%= config.bin %> audit --year 2025 --out audit-2025.xlsx', '<%= config.bin %> audit --year 2025 --institution H003 --json']
  static override enableJsonFlag = true
  static override flags = {
    ...periodFlags,
    institution: Flags.string({description: 'only this institution\'s signals (it is still compared with all its peers)', helpValue: '<id>'}),
    out: Flags.string({description: 'also write a file for the 稽核 team: .xlsx (预警, 分解住院, 机构, 病例) or CSV of the flagged cases', helpValue: '<file.xlsx|file.csv>'}),
    db: dbFlag,
  }

  async run(): Promise<SuperviseResult> {
    const {flags} = await this.parse(Audit)
    const period = flags.month ?? String(flags.year)
    const months = flags.month !== undefined ? [flags.month] : Array.from({length: 12}, (_, k) => `${flags.year}-${String(k + 1).padStart(2, '0')}`)
    const result = await this.writing(flags.db, async (db) => {
      const r = runSupervision(db, {period, months, ...(flags.institution === undefined ? {} : {institution: flags.institution})})
      if (flags.out !== undefined) await writeSuperviseFile(db, r, flags.out)
      return r
    })
    this.log(superviseText(result))
    return result
  }
}
