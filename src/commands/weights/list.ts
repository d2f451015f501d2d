import {yearFlag} from '../../cli/flags.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {type WeightRow, weightRows} from '../../store/weights.js'

export default class WeightsList extends YbCommand {
  static override summary = "A year's DRG relative weights as stored, with the hash a run records of them (reads only)"
  static override examples = ['<%= config.bin %> weights list --year 2025', '<%= config.bin %> weights list --year 2025 --json > weights-2025.json']
  static override enableJsonFlag = true
  static override flags = {year: yearFlag({required: true, description: 'the year'}), db: dbFlag}

  async run(): Promise<{year: number; sha256: string; weights: WeightRow[]}> {
    const {flags} = await this.parse(WeightsList)
    return this.reading(flags.db, (db) => {
      const {rows, sha256} = weightRows(db, flags.year)
      this.log(rows.length === 0 ? `no weights for ${flags.year} (yb weights import --year ${flags.year} <csv>)` : renderTable(['DRG', '名称', '医院等级', '权重', '组均费用'], rows.map((w) => [w.drg, w.drg_name, w.institution_level, w.weight, w.avg_cost]), {right: [3, 4]}))
      if (rows.length > 0) this.log(`\n${rows.length} rows, sha256 ${sha256}`)
      return {year: flags.year, sha256, weights: rows}
    })
  }
}
