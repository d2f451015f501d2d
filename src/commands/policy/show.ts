import {yearFlag} from '../../cli/flags.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {currentPolicy, policyVersions, type StoredPolicy} from '../../store/policies.js'

export default class PolicyShow extends YbCommand {
  static override summary = "A year's stored policy: its newest version as text (what runs use), and its versions (reads only)"
  static override examples = ['<%= config.bin %> policy show --year 2025', '<%= config.bin %> policy show --year 2025 --json']
  static override enableJsonFlag = true
  static override flags = {year: yearFlag({required: true, description: 'the year'}), db: dbFlag}

  async run(): Promise<{current: StoredPolicy; versions: Omit<StoredPolicy, 'text'>[]}> {
    const {flags} = await this.parse(PolicyShow)
    return this.reading(flags.db, (db) => {
      const current = currentPolicy(db, flags.year)
      const versions = policyVersions(db, flags.year)
      this.log(`# policy ${flags.year} v${current.version} (sha256 ${current.sha256}), from ${current.sourcePath}, imported ${current.importedAt}; ${versions.length} version(s)`)
      this.log(current.text)
      return {current, versions}
    })
  }
}
