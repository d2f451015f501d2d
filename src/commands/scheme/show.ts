import {Args, Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {loadSchemePack} from '../../cli/scheme-ref.js'
import {packCounts, type PackCounts} from '../../grouper/pack-summary.js'
import {renderTable} from '../../io/table.js'

export interface SchemeShowResult {
  readonly id: string
  readonly name: string
  readonly source: string
  readonly from: string
  readonly sha256: string
  readonly counts: PackCounts
  readonly mdcs: {order: number; mdc: string; name: string; qy: boolean; rule: string; adrgRows: number; drgs: number}[]
}

export default class SchemeShow extends YbCommand {
  static override summary = 'Show a scheme pack: identity, counts and its MDCs'
  static override examples = ['<%= config.bin %> scheme show demo', '<%= config.bin %> scheme show chs-drg-1.1@2 --json', '<%= config.bin %> scheme show data/schemes/demo']
  static override enableJsonFlag = true
  static override args = {scheme: Args.string({required: true, description: 'id[@version] in the workspace, or a pack folder'})}
  static override flags = {db: dbFlag, adrg: Flags.string({description: 'also list the ADRG rules and DRGs of this MDC', helpValue: '<MDC>'})}

  async run(): Promise<SchemeShowResult> {
    const {args, flags} = await this.parse(SchemeShow)
    const {pack, label} = loadSchemePack(args.scheme, flags.db)
    const drgCount = new Map<string, number>()
    for (const drg of pack.drgs) drgCount.set(drg.adrg, (drgCount.get(drg.adrg) ?? 0) + 1)
    const mdcs = [...pack.mdcs]
      .sort((a, b) => a.order - b.order)
      .map((row) => {
        const adrgs = pack.adrgs.filter((a) => a.mdc === row.mdc)
        return {
          order: row.order,
          mdc: row.mdc,
          name: row.name,
          qy: row.qy,
          rule: row.ruleSource,
          adrgRows: adrgs.length,
          drgs: [...new Set(adrgs.map((a) => a.adrg))].reduce((n, a) => n + (drgCount.get(a) ?? 0), 0),
        }
      })
    const result = {id: pack.meta.id, name: pack.meta.name, source: pack.meta.source, from: label, sha256: pack.sha256, counts: packCounts(pack), mdcs}
    const c = result.counts
    this.log(`${result.id}  ${result.name}\nfrom ${label}, sha256 ${result.sha256}\nsource: ${result.source}`)
    this.log(
      `${c.mdcs} MDCs, ${c.adrgRows} ADRG rules (${c.adrgs} ADRGs), ${c.drgs} DRGs, ${c.lists} lists (${c.listCodes} codes), ` +
        `${c.ccCodes} CC + ${c.mccCodes} MCC, ${c.dxCodes} diagnosis and ${c.pxCodes} procedure names\n`,
    )
    this.log(renderTable(['order', 'MDC', '名称', 'QY', 'ADRG rules', 'DRGs', 'rule'], mdcs.map((m) => [String(m.order), m.mdc, m.name, m.qy ? 'yes' : 'no', String(m.adrgRows), String(m.drgs), m.rule]), {right: [0, 4, 5]}))
    if (flags.adrg !== undefined) {
      const rows = pack.adrgs.filter((a) => a.mdc === flags.adrg).sort((a, b) => a.order - b.order)
      this.log('')
      this.log(
        renderTable(
          ['order', 'ADRG', 'rule_id', '名称', 'partition', 'rule', 'DRGs'],
          rows.map((a) => [String(a.order), a.adrg, a.ruleId, a.name, a.partition, a.ruleSource, pack.drgs.filter((d) => d.adrg === a.adrg).map((d) => d.drg).join(' ')]),
          {right: [0]},
        ),
      )
    }
    return result
  }
}
