import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {type InstitutionRow, institutionRows} from '../../store/institutions.js'

export default class InstitutionList extends YbCommand {
  static override summary = '定点医疗机构 in the workspace: id, name, level, own coefficient, pools (reads only)'
  static override examples = ['<%= config.bin %> institution list', '<%= config.bin %> institution list --json']
  static override enableJsonFlag = true
  static override flags = {db: dbFlag}

  async run(): Promise<{institutions: InstitutionRow[]}> {
    const {flags} = await this.parse(InstitutionList)
    return this.reading(flags.db, (db) => {
      const institutions = institutionRows(db)
      this.log(institutions.length === 0 ? 'no institutions (yb institution import <csv>)' : renderTable(['机构编码', '机构名称', '医院等级', '机构系数', '险种'], institutions.map((i) => [i.institution_id, i.name, i.level, i.coefficient || '(按等级)', i.pools])))
      return {institutions}
    })
  }
}
