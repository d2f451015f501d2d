import {dbFlag, YbCommand} from '../cli/base.js'
import {openWorkspace, workspacePath} from '../store/db.js'

export interface InitResult {
  readonly db: string
  readonly created: boolean
  readonly schemaVersion: number
}

export default class Init extends YbCommand {
  static override summary = 'Create the workspace (one SQLite file) or bring its schema up to date'
  static override description = 'The workspace is --db, else $YB_DB, else ./yibao.db. Running init again is safe: it only applies newer schema migrations.'
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --db /srv/yibao/2025.db']
  static override enableJsonFlag = true
  static override flags = {db: dbFlag}

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(Init)
    const workspace = openWorkspace({path: workspacePath(flags.db), create: true})
    workspace.db.close()
    const result = {db: workspace.path, created: workspace.created, schemaVersion: workspace.schemaVersion}
    this.log(`${result.created ? 'created' : 'already there:'} workspace ${result.db} (schema version ${result.schemaVersion})`)
    return result
  }
}
