import {Args} from '@oclif/core'
import {type CaseExplanation, explainStoredCase} from '../../app/explain-case.js'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {groupedYuan} from '../../cli/pay-text.js'
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
      const g = c.grouping
      const pay = c.payment
      this.log(
        [
          `结算流水号 ${c.settlementId}  ${c.month}  ${c.institution.id} ${c.institution.name} (${c.institution.level}, 系数 ${c.institution.coefficient})  ${c.pool}`,
          `医疗总费用 ${groupedYuan(c.totalCostYuan)}  统筹基金记账 ${groupedYuan(c.fundRecordedYuan)}`,
          '',
          '诊断:',
          ...c.dx.map((d, k) => `  ${k === 0 ? '主' : '  '} ${d.code}  ${d.name}`),
          '手术操作:',
          ...(c.px.length === 0 ? ['  (无)'] : c.px.map((p, k) => `  ${k === 0 ? '主' : '  '} ${p.code}  ${p.name}`)),
          '',
          `分组: ${g.status}  ${g.drg} ${g.drgName}${g.reason ? `  (${g.reason})` : ''}`,
          ...g.trace.map((line) => `  ${line}`),
          '',
          `支付: ${pay.payment}${pay.outlier === 'normal' ? '' : ` (${pay.outlier})`}, 费率 ${groupedYuan(pay.rateYuanPerWeight)} from ${pay.rateFrom}${pay.weight ? `, 权重 ${pay.weight}` : ''}`,
          ...pay.steps.map((line) => `  ${line}`),
          pay.paidInRun === null ? '  (no payment run has priced this case yet)' : `  run ${pay.paidInRun.runId} stored 基金 ${groupedYuan(pay.paidInRun.fundYuan)}${pay.paidInRun.fundYuan === pay.fundYuan ? ' (the same)' : ` — differs from ${groupedYuan(pay.fundYuan)} recomputed now: the inputs changed since`}`,
        ].join('\n'),
      )
      return c
    } finally {
      db.close()
    }
  }
}
