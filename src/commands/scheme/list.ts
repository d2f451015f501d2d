import {dbFlag, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'
import {openWorkspace, workspacePath} from '../../store/db.js'
import {listSchemes, type StoredScheme} from '../../store/schemes.js'

export default class SchemeList extends YbCommand {
  static override summary = 'List the scheme packs stored in the workspace'
  static override examples = ['<%= config.bin %> scheme list', '<%= config.bin %> scheme list --json']
  static override enableJsonFlag = true
  static override flags = {db: dbFlag}

  async run(): Promise<{schemes: StoredScheme[]}> {
    const {flags} = await this.parse(SchemeList)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const schemes = listSchemes(db)
      if (schemes.length === 0) this.log('no scheme packs yet: import one with `yb scheme import <dir>`')
      else {
        this.log(
          renderTable(
            ['id', 'version', '名称', 'DRGs', 'imported', 'sha256'],
            schemes.map((s) => [s.id, String(s.version), s.name, String(s.counts.drgs), s.importedAt.slice(0, 19).replace('T', ' '), s.sha256.slice(0, 12)]),
            {right: [1, 3]},
          ),
        )
      }
      return {schemes}
    } finally {
      db.close()
    }
  }
}
