import {yearFlag} from '../../cli/flags.js'
import {type AuditResult, auditVerify} from '../../app/audit.js'
import {dbFlag, EXIT_DIFFERENCES, YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'

export default class AuditVerify extends YbCommand {
  static override summary = 'Check that the workspace is what yb wrote: rows, runs, closed months, no case paid twice (exit 4 on any finding)'
  static override description =
    'Recomputes every imported row (cases, corrections, deductions, 特例单议, institutions, weights) against the hash its import recorded, every run against the seal over what it wrote, and every closed month against what its run read; and checks that no case is paid in two current runs of a year except through a recorded correction (冲正/补退). Lists each finding; exit 0 when there is none, 4 when there is any. Reads only.'
  static override examples = ['<%= config.bin %> audit verify --year 2025', '<%= config.bin %> audit verify --json']
  static override enableJsonFlag = true
  static override flags = {year: yearFlag({description: 'only this year (default: everything)'}), db: dbFlag}

  async run(): Promise<AuditResult> {
    const {flags} = await this.parse(AuditVerify)
    return this.reading(flags.db, (db) => {
      const result = auditVerify(db, flags.year === undefined ? {} : {year: flags.year})
      const c = result.checked
      this.log(`audit ${result.year ?? 'all years'}: ${c.rowTables} tables of rows, ${c.runs} runs (${c.unsealedRuns} from before runs were sealed), ${c.closedMonths} closed months`)
      this.log(result.ok ? '✓ everything is as yb wrote it' : renderTable(['发现', '位置', '说明'], result.findings.map((f) => [f.kind, f.where, f.message])))
      if (!result.ok) process.exitCode = EXIT_DIFFERENCES
      return result
    })
  }
}
