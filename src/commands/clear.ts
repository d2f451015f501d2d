import {readFileSync} from 'node:fs'
import {Flags} from '@oclif/core'
import {z} from 'zod'
import {type ClearResult, runClear} from '../app/clear.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {groupedYuan} from '../cli/pay-text.js'
import {parseDecimal} from '../clearing/money.js'
import {InputErrors} from '../errors.js'
import {readTable} from '../io/csv-table.js'
import {renderTable} from '../io/table.js'
import {openWorkspace, workspacePath} from '../store/db.js'

const assessmentRow = z.object({
  institution_id: z.string().min(1),
  score: z.string().regex(/^(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)$/, 'must be a score from 0 to 100'),
})

export default class Clear extends YbCommand {
  static override summary = '年终清算: the year-end clearing per institution and pool, line by line'
  static override description = "Prices every discharge of the year again at the final rate (published, or the year's budget over its weights), then per institution and pool: 统筹基金应支付 against the actual spending in the policy's band rule (结余留用/超支分担), the quality deposit released by the assessment score, deductions, the months already paid and the prepayment offset. The balance is the signed sum of the printed lines: 应补 when positive, 应扣 when negative. Without --assessment every institution scores 100 (said in the output)."
  static override examples = ['<%= config.bin %> clear --year 2025 --assessment assessment-2025.csv', '<%= config.bin %> clear --year 2025 --json > clear-2025.json']
  static override enableJsonFlag = true
  static override flags = {
    year: Flags.integer({required: true, min: 2000, max: 2100, description: 'the year cleared'}),
    assessment: Flags.file({exists: true, description: 'CSV of institution_id,score (0–100): the share of the quality deposit released', helpValue: '<file>'}),
    db: dbFlag,
  }

  async run(): Promise<ClearResult> {
    const {flags} = await this.parse(Clear)
    let assessment: Map<string, ReturnType<typeof parseDecimal>> | undefined
    if (flags.assessment !== undefined) {
      const table = readTable(flags.assessment, readFileSync(flags.assessment, 'utf8'), ['institution_id', 'score'], assessmentRow)
      if (table.errors.length > 0) throw new InputErrors(table.errors)
      assessment = new Map(table.rows.map((row) => [row.value.institution_id, parseDecimal(row.value.score)]))
    }
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      const result = await runClear(db, {year: flags.year, ...(assessment === undefined ? {} : {assessment})})
      this.log(clearText(result))
      return result
    } finally {
      db.close()
    }
  }
}

function clearText(result: ClearResult): string {
  const amount = (i: ClearResult['institutions'][number], key: string) => groupedYuan(i.lines.find((l) => l.key === key)!.amountYuan)
  const lines = [
    `年终清算 ${result.year} — run ${result.runId}${result.supersededRunId === null ? '' : ` (supersedes run ${result.supersededRunId})`}, final rates ${result.rates.map((r) => `${r.pool} ${groupedYuan(r.rateYuanPerWeight)} (${r.source})`).join(', ')}`,
    ...(result.assessment === 'default-100' ? ['no assessment given: every institution scores 100 (pass --assessment <file>)'] : []),
    ...(result.monthsWithoutPayment.length > 0 ? [`months without a payment run: ${result.monthsWithoutPayment.join(', ')}`] : []),
    '',
    renderTable(
      ['机构编码', '机构名称', '险种', '出院人次', '统筹基金应支付', '实际记账', '分担后应支付', '保证金扣除', '违规扣款', '已预结算', '预付金冲抵', '本期应补应扣'],
      result.institutions.map((i) => [
        i.institutionId,
        i.name,
        i.pool,
        String(i.cases),
        amount(i, 'entitled'),
        amount(i, 'actual'),
        amount(i, 'dueAfterBand'),
        amount(i, 'depositForfeited'),
        amount(i, 'deductions'),
        amount(i, 'monthlyPaid'),
        amount(i, 'prepaymentOffset'),
        groupedYuan(i.balanceYuan),
      ]),
      {right: [3, 4, 5, 6, 7, 8, 9, 10, 11]},
    ),
    '',
    `合计: 统筹基金应支付 ${groupedYuan(result.totals.entitledYuan)}, 本期应补应扣 ${groupedYuan(result.totals.balanceYuan)}`,
    '校验:',
    ...result.checks.slice(0, 1).map((c) => `  ${c.holds ? '✓' : '✗'} ${c.name}: ${c.left} = ${c.right}`),
    `  ${result.checks.slice(1).every((c) => c.holds) ? '✓' : '✗'} 每个机构: 本期应补应扣 = Σ 各行 (${result.checks.length - 1} balances)`,
  ]
  return lines.join('\n')
}
