import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {listSchemes, type StoredScheme} from '../../store/schemes.js'

export default class QcList extends YbCommand {
  static override summary = 'List the quality-rule sets stored in the workspace'
  static override description = 'Each stored version of each id, newest first; the bundled default set is used as `default` while none is stored under that id.'
  static override examples = ['<%= config.bin %> qc list', '<%= config.bin %> qc list --json']
  static override enableJsonFlag = true
  static override flags = {db: dbFlag}

  async run(): Promise<{rules: StoredScheme[]}> {
    const {flags} = await this.parse(QcList)
    const rules = await this.reading(flags.db, (db) => listSchemes(db, 'qc'))
    if (rules.length === 0) this.log('no quality rules stored: yb cases check uses the bundled default set; import others with `yb qc import <dir>`')
    else this.log(renderTable(['id', 'version', '名称', '规则数', 'imported', 'sha256'], rules.map((s) => [s.id, String(s.version), s.name, String((s.counts as Record<string, number>).rules ?? ''), s.importedAt.slice(0, 19).replace('T', ' '), s.sha256.slice(0, 12)]), {right: [1, 3]}))
    return {rules}
  }
}
