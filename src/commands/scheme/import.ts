import {Args} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {loadSchemePack} from '../../cli/scheme-ref.js'
import {saveScheme, type StoredScheme} from '../../store/schemes.js'

export type SchemeImportResult = StoredScheme & {readonly created: boolean}

export default class SchemeImport extends YbCommand {
  static override summary = 'Validate a scheme pack folder and store it in the workspace'
  static override description = `The pack is checked completely (docs/scheme-pack.md): every bad row is reported as file:line column with the reason, and a rule that names an unknown list is an error. A valid pack is stored under its id as the next version; importing the same pack again changes nothing.`
  static override examples = ['<%= config.bin %> scheme import data/schemes/demo', '<%= config.bin %> scheme import ../shared/schemes/chs-drg-1.1 --json']
  static override enableJsonFlag = true
  static override args = {dir: Args.directory({required: true, exists: true, description: 'scheme pack folder'})}
  static override flags = {db: dbFlag}

  async run(): Promise<SchemeImportResult> {
    const {args, flags} = await this.parse(SchemeImport)
    const {pack} = loadSchemePack(args.dir, flags.db)
    return this.writing(flags.db, async (db) => {
      const stored = saveScheme(db, pack, args.dir)
      const c = stored.counts
      this.log(
        stored.created
          ? `imported ${stored.id} version ${stored.version}: ${c.mdcs} MDCs, ${c.adrgRows} ADRG rules, ${c.drgs} DRGs, ${c.lists} lists (sha256 ${stored.sha256.slice(0, 12)})`
          : `${stored.id} version ${stored.version} is already in the workspace with the same content: nothing to do`,
      )
      return stored
    })
  }
}
