import {Args} from '@oclif/core'
import {type CaseExplanation, explainStoredCase} from '../../app/explain-case.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {caseText} from '../../cli/case-text.js'
import {openWorkspace, workspacePath} from '../../store/db.js'

export default class CaseShow extends YbCommand {
  static override summary = 'Explain one stored discharge: codes, grouping trace and price build-up'
  static override description = "Shows the case's diagnoses and procedures with their names, which MDC, ADRG and DRG rules matched through which lists and codes (and the CC/MCC decisions), and how its fund amount is built at the rate its month was paid with, beside what the payment run stored."
  static override examples = ['<%= config.bin %> case show S0001-0000042', '<%= config.bin %> case show S0001-0000042 --json']
  static override enableJsonFlag = true
  static override args = {settlementId: Args.string({required: true, description: 'settlement_id (结算流水号)'})}
  static override flags = {db: dbFlag}

  async run(): Promise<CaseExplanation> {
    const {args, flags} = await this.parse(CaseShow)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const c = explainStoredCase(db, args.settlementId)
      this.log(caseText(c))
      return c
    } finally {
      db.close()
    }
  }
}
