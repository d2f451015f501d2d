import {yearFlag} from '../cli/flags.js'
import {render} from 'ink'
import {type DashboardData, dashboardData} from '../app/dashboard.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {requireTerminal, screenRows} from '../cli/tty.js'
import {openWorkspace, workspacePath} from '../store/db.js'
import {DashboardApp} from '../tui/dashboard.js'

export default class Dashboard extends YbCommand {
  static override summary = 'The settlement year so far in the terminal: per institution cases, CMI, payment to date, projected balance'
  static override description = `Reads the current payment run of each month of the year and the year's prepayment: per institution its cases, CMI (Σ weight ÷ cases paid by their group), fund due and paid to date with a bar against the institution paid most, the projected year-end balance (预留 to date × 12 ÷ months paid − 预付金冲抵, before bands, deposit and assessment) and a sparkline of its months; above them the budget to date and the region's monthly fund due.

Needs a terminal; --json prints the same figures for scripts (as do \`yb pay --month … --json\`).`
  static override examples = ['<%= config.bin %> dashboard --year 2025', '<%= config.bin %> dashboard --year 2025 --json']
  static override enableJsonFlag = true
  static override flags = {
    year: yearFlag({required: true, description: 'settlement year'}),
    db: dbFlag,
  }

  async run(): Promise<DashboardData> {
    const {flags} = await this.parse(Dashboard)
    if (!this.jsonEnabled()) requireTerminal('yb dashboard', `\`yb dashboard --year ${flags.year} --json\` or \`yb runs list --year ${flags.year}\` and \`yb runs show <run> --json\``)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    let data: DashboardData
    try {
      data = dashboardData(db, flags.year)
    } finally {
      db.close()
    }
    if (!this.jsonEnabled()) await render(<DashboardApp data={data} height={screenRows(7)} />).waitUntilExit()
    return data
  }
}
