import {readTextFile} from '../../io/text-file.js'
import {Args} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {importPolicy} from '../../app/policy-import.js'

export interface PolicyImportResult {
  readonly year: number
  readonly version: number
  readonly sha256: string
  readonly created: boolean
}

export default class PolicyImport extends YbCommand {
  static override summary = "Check a policy file and store it as the year's policy in the workspace"
  static override description = 'The file is checked as by `yb policy check`, then against the workspace (every institution has a coefficient and, under LEVEL_TIERED, a high-cost threshold for its level; every stored case of the year is in one of its pools), and stored, as text, as the next version of its year; the same file again changes nothing. Runs use the newest version and record which one.'
  static override examples = ['<%= config.bin %> policy import policy-2025.yaml']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'policy YAML file'})}
  static override flags = {db: dbFlag}

  async run(): Promise<PolicyImportResult> {
    const {args, flags} = await this.parse(PolicyImport)
    const text = readTextFile(args.file)
    return this.writing(flags.db, async (db) => {
      const stored = importPolicy(db, args.file, text)
      this.log(stored.created ? `stored the ${stored.year} policy as version ${stored.version}` : `the ${stored.year} policy version ${stored.version} has the same content: nothing to do`)
      return {year: stored.year, version: stored.version, sha256: stored.sha256, created: stored.created}
    })
  }
}
