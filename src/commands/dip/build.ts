import {yearFlag} from '../../cli/flags.js'
import {Flags} from '@oclif/core'
import {DIP_MATCHING, type DipMatching} from '../../grouper/dip-catalog.js'
import {type DipBuildResult, buildDipCatalog} from '../../app/dip-build.js'
import {YbCommand} from '../../cli/base.js'
import {progressLine} from '../../cli/progress.js'
import {loadSchemePack} from '../../cli/scheme-ref.js'
import {renderTable} from '../../io/table.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../../io/text-stream.js'
import {readPxClassFile} from '../../io/px-class.js'

export default class DipBuild extends YbCommand {
  static override summary = 'Build a DIP catalog from historical cases and print its quality report'
  static override description = `Keys every historical case by (principal diagnosis 亚目, the sorted set of its counted procedures). A key with at least --min-cases cases becomes a core group (核心病种); the other cases fall into the comprehensive group (综合病种) of their 类目 and highest procedure class. A group's average cost is the 1:2:7 weighted mean of its yearly averages when three years are given (oldest first), else the plain average; its score = group average ÷ all-case average × --score-scale, at 4 dp. The catalog is written in the dip-catalog/1 format and checked like an import.

Procedures count by their class: from --px-class (code,class with class diagnostic, therapeutic or surgical), else by ICD-9-CM-3 chapter (87–91 diagnostic, 92–99 therapeutic, 00–86 surgical). With an institution_level (医院等级) column, the latest year's average per group and level is written to avg_cost.csv (the reference of cost-deviation cases).`
  static override examples = [
    '<%= config.bin %> dip build --history cases-2022.csv --history cases-2023.csv --history cases-2024.csv --min-cases 15 --score-scale 1000 --out dip-2025',
    '<%= config.bin %> dip build --history cases-2024.csv --out dip-2025 --names data/schemes/demo --json',
  ]
  static override enableJsonFlag = true
  static override flags = {
    history: Flags.string({required: true, multiple: true, description: 'history case file of one year (one to three, oldest first)', helpValue: '<csv>'}),
    out: Flags.string({required: true, description: 'catalog folder to write', helpValue: '<dir>'}),
    'min-cases': Flags.integer({default: 15, min: 1, description: 'cases a key needs to become a core group (national default 15)'}),
    'score-scale': Flags.string({default: '1000', options: ['100', '1000'], description: 'scores are average-cost ratios × this'}),
    weights: Flags.string({description: 'weights of the history years, oldest first (default 1,2,7 for three years)', helpValue: '1,2,7'}),
    id: Flags.string({description: 'catalog id (default dip-<year>)'}),
    name: Flags.string({description: 'catalog name'}),
    region: Flags.string({default: '', description: 'region code or name'}),
    year: yearFlag({description: 'the year the catalog pays (default: this year)'}),
    'px-class': Flags.string({description: 'procedure classes (code,class)', helpValue: '<csv>'}),
    matching: Flags.string({options: [...DIP_MATCHING], default: 'SUBSET', description: 'the catalog\'s matching rule (catalog.json): SUBSET, a case matches a combination it contains (extra procedures allowed); EXACT, only its own combination (the history round-trips); OVERLAP, any code of it'}),
    names: Flags.string({description: 'a DRG scheme pack (folder or stored id) whose code names name the groups', helpValue: '<id|dir>'}),
    encoding: Flags.string({description: 'input encoding', options: [...TEXT_ENCODINGS], default: 'utf-8'}),
    db: Flags.string({description: 'workspace database (for --names given as a stored id)', helpValue: '<file>'}),
  }

  async run(): Promise<DipBuildResult> {
    const {flags} = await this.parse(DipBuild)
    if (flags.history.length > 3) this.error('give one to three --history files (one year each, oldest first)', {exit: 2})
    const weights = flags.weights?.split(',').map((w) => w.trim())
    if (weights !== undefined && (weights.length !== flags.history.length || weights.some((w) => !/^[0-9]+(\.[0-9]+)?$/.test(w)))) {
      this.error(`--weights needs ${flags.history.length} decimal numbers, one per history file`, {exit: 2})
    }
    const year = flags.year ?? new Date().getFullYear()
    const names = flags.names === undefined ? undefined : loadSchemePack(flags.names, flags.db).pack
    const pxClass = flags['px-class'] === undefined ? undefined : readPxClassFile(flags['px-class'])
    const progress = this.interactive() ? progressLine('building') : undefined
    const result = await buildDipCatalog({
      history: flags.history,
      out: flags.out,
      id: flags.id ?? `dip-${year}`,
      name: flags.name ?? `DIP 病种目录 ${year}`,
      region: flags.region,
      year,
      minCases: flags['min-cases'],
      scoreScale: flags['score-scale'],
      matching: flags.matching as DipMatching,
      ...(weights === undefined ? {} : {weights}),
      encoding: flags.encoding as TextEncoding,
      ...(pxClass === undefined ? {} : {pxClass}),
      ...(names === undefined ? {} : {dxName: (code: string) => names.dxNames.get(code), pxName: (code: string) => names.pxNames.get(code)}),
      onProgress: progress ? (cases) => progress.update(`${cases.toLocaleString('en-US')} cases`) : undefined,
    })
    progress?.done()
    const r = result.report
    this.log(
      [
        `wrote DIP catalog ${result.id} to ${result.out} (sha256 ${result.sha256.slice(0, 12)})`,
        `${r.cases.toLocaleString('en-US')} cases over ${r.years} year(s), ${r.keys.toLocaleString('en-US')} keys; weights ${result.weights === null ? 'none (plain average)' : result.weights.join(':')}; all-case average ${r.allCaseAverageYuan} 元`,
        '',
        renderTable(
          ['', '病种数', '病例数'],
          [
            ['核心病种 core', String(r.groups.core), String(r.coreCases)],
            ['综合病种 comprehensive', String(r.groups.comprehensive), String(r.comprehensiveCases)],
          ],
          {right: [1, 2]},
        ),
        `share of cases in core groups: ${r.coreShare}`,
        r.matching.movedCases === 0
          ? `matching ${r.matching.rule}: every history case is grouped by the catalog into the group of its own key`
          : `matching ${r.matching.rule}: ${r.matching.movedCases.toLocaleString('en-US')} history cases (${r.matching.movedKeys} keys) are grouped elsewhere than their own key's group, e.g. ${r.matching.examples
              .slice(0, 3)
              .map((e) => `${e.key} ${e.from} → ${e.to} (${e.cases})`)
              .join('; ')}`,
        ...(r.budgetPointValue === undefined ? [] : [`预算点值 (budget point value, §3.4a): weighted annual total cost ${r.budgetPointValue.weightedAnnualCostYuan} 元 ÷ expected score ${r.budgetPointValue.expectedScore} (each group's score × its latest-year cases) = ${r.budgetPointValue.pointValueYuan}`]),
        '',
        'highest cost CV (变异系数) among groups of 15+ cases:',
        renderTable(
          ['病种编码', '类型', '病例数', '次均费用', '分值', 'CV'],
          [...r.quality].filter((q) => q.cases >= 15).sort((a, b) => Number(b.cv) - Number(a.cv) || (a.groupCode < b.groupCode ? -1 : 1)).slice(0, 10).map((q) => [q.groupCode, q.type, String(q.cases), q.avgCostYuan, q.score, q.cv]),
          {right: [2, 3, 4, 5]},
        ),
      ].join('\n'),
    )
    return result
  }
}
