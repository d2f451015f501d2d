import {Args} from '@oclif/core'
import {loadQcFolder} from '../../app/quality-rules.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {saveQcPack, type StoredScheme} from '../../store/schemes.js'

export type QcImportResult = StoredScheme & {readonly created: boolean}

export default class QcImport extends YbCommand {
  static override summary = 'Validate a quality-rules folder (qc-rules/1) and store it in the workspace'
  static override description = `The folder is checked completely (docs/quality.md): every bad row of rules.csv or lists.csv is reported as file:line column with the reason, a condition that reads an unknown field or names an unknown list is refused. Valid rules are stored under their id as the next version; importing the same folder again changes nothing. yb cases check --rules <id> and the policy's quality.rules then name them.`
  static override examples = ['<%= config.bin %> qc import data/qc-rules/default', '<%= config.bin %> qc import local-rules/ --json']
  static override enableJsonFlag = true
  static override args = {dir: Args.directory({required: true, exists: true, description: 'qc-rules/1 folder'})}
  static override flags = {db: dbFlag}

  async run(): Promise<QcImportResult> {
    const {args, flags} = await this.parse(QcImport)
    const pack = loadQcFolder(args.dir)
    return this.writing(flags.db, (db) => {
      const stored = saveQcPack(db, pack, args.dir)
      this.log(
        stored.created
          ? `imported quality rules ${stored.id} version ${stored.version}: ${pack.rules.length} rules (${pack.rules.filter((r) => r.severity === 'error').length} errors), ${pack.lists.size} lists (sha256 ${stored.sha256.slice(0, 12)})`
          : `quality rules ${stored.id} version ${stored.version} are already in the workspace with the same content: nothing to do`,
      )
      return stored
    })
  }
}
