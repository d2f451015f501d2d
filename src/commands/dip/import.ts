import {Args} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {loadDipRef} from '../../cli/scheme-ref.js'
import {saveCatalog, type StoredScheme} from '../../store/schemes.js'

export default class DipImport extends YbCommand {
  static override summary = 'Validate a DIP catalog folder (dip-catalog/1) and store it in the workspace'
  static override description = 'The catalog is checked completely (docs/dip.md): catalog.json, groups.csv, px_class.csv and the optional avg_cost.csv and aux.csv; every bad row is reported as file:line column with the reason, and a combination naming a procedure that px_class.csv does not classify is an error. A valid catalog is stored under its id as the next version; importing the same catalog again changes nothing. The policy of a DIP year names it in dip.catalog.'
  static override examples = ['<%= config.bin %> dip import data/dip/demo', '<%= config.bin %> dip import dip-2025 --json']
  static override enableJsonFlag = true
  static override args = {dir: Args.directory({required: true, exists: true, description: 'catalog folder'})}
  static override flags = {db: dbFlag}

  async run(): Promise<StoredScheme & {created: boolean}> {
    const {args, flags} = await this.parse(DipImport)
    const {catalog} = loadDipRef(args.dir, flags.db)
    return this.writing(flags.db, async (db) => {
      const stored = saveCatalog(db, catalog, args.dir)
      const c = stored.counts as Record<string, number>
      this.log(
        stored.created
          ? `imported DIP catalog ${stored.id} version ${stored.version}: ${c.groups} groups (${c.core} core, ${c.basic} basic, ${c.comprehensive} comprehensive), ${c.procedures} classified procedures (sha256 ${stored.sha256.slice(0, 12)})`
          : `${stored.id} version ${stored.version} is already in the workspace with the same content: nothing to do`,
      )
      return stored
    })
  }
}
