import {yearFlag} from '../cli/flags.js'
import {render} from 'ink'
import {consumptionIndexesInWorker} from '../app/consumption-indexes.js'
import {type DashboardData, dashboardData} from '../app/dashboard.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {reviewScreen} from '../cli/review-screen.js'
import {requireTerminal} from '../cli/tty.js'
import {openWorkspace, workspacePath} from '../store/db.js'
import {DashboardApp} from '../tui/dashboard.js'

export default class Dashboard extends YbCommand {
  static override summary = 'The settlement year so far in the terminal: per institution cases, CMI, payment to date, projected balance'
  static override description = `Reads the current payment run of each month of the year and the year's prepayment: per institution its cases, CMI (Σ weight ÷ cases paid by their group), fund due and paid to date with a bar against the institution paid most, the projected year-end balance (预留 to date × 12 ÷ months paid − 预付金冲抵, before bands, deposit and assessment) and a sparkline of its months; above them the budget to date and the region's monthly fund due.

Enter opens the institution's cases of the last month paid in the review screen (yb review), and q there comes back. After the year's clearing the rows show its balance (年终清算) instead of the projection. The budget line marks a year over (▲) or under (▼) its budget to date.

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
    try {
      if (this.jsonEnabled()) return dashboardData(db, flags.year, {indexes: true})
      const data = dashboardData(db, flags.year)
      // The consumption indexes read every case of the year: a worker computes them while the screen is up.
      const indexes = data.monthsPaid.length === 0 ? Promise.resolve({}) : consumptionIndexesInWorker(db.name, data.monthsPaid)
      // Enter on an institution opens its cases of the last month paid; q there comes back here.
      let cursor: string | undefined
      for (;;) {
        let open: string | undefined
        await render(<DashboardApp data={data} indexes={indexes} onOpen={(id) => (open = id)} {...(cursor === undefined ? {} : {initialInstitution: cursor})} />).waitUntilExit()
        const month = data.monthsPaid.at(-1)
        if (open === undefined || month === undefined) break
        cursor = open
        await reviewScreen(db, month, {institution: open, back: 'dashboard'})
      }
      return data
    } finally {
      db.close()
    }
  }
}
