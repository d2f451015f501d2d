/**
 * The year-end clearing as a person reads it: one row per institution and pool with the main
 * lines and the balance, the totals, and the check equations.
 */
import type {ClearResult} from '../app/clear.js'
import {renderTable} from '../io/table.js'
import {groupedYuan, ratesText} from './pay-text.js'

export function clearText(result: ClearResult): string {
  const amount = (i: ClearResult['institutions'][number], key: string) => groupedYuan(i.lines.find((l) => l.key === key)!.amountYuan)
  const lines = [
    `年终清算 ${result.year} — run ${result.runId}${result.supersededRunId === null ? '' : ` (supersedes run ${result.supersededRunId})`}, final ${ratesText(result.rates)}, money rounded per ${result.roundingStage === 'CASE' ? 'case' : 'institution'}`,
    ...(result.assessment === 'default-100' ? ['no assessment given: every institution scores 100 (pass --assessment <file>)'] : []),
    ...(result.monthsWithoutPayment.length > 0 ? [`months without a payment run: ${result.monthsWithoutPayment.join(', ')}`] : []),
    '',
    renderTable(
      ['机构编码', '机构名称', '险种', '出院人次', '统筹基金应支付', '尾差', '实际记账', '分担后应支付', '保证金扣除', '特例单议追加', '违规扣款', '已预结算', '预付金冲抵', '本期应补应扣'],
      result.institutions.map((i) => [
        i.institutionId,
        i.name,
        i.pool,
        String(i.cases),
        amount(i, 'entitled'),
        amount(i, 'roundingResidue'),
        amount(i, 'actual'),
        amount(i, 'dueAfterBand'),
        amount(i, 'depositForfeited'),
        amount(i, 'specialAdditions'),
        amount(i, 'deductions'),
        amount(i, 'monthlyPaid'),
        amount(i, 'prepaymentOffset'),
        groupedYuan(i.balanceYuan),
      ]),
      {right: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]},
    ),
    '',
    `合计: 统筹基金应支付 ${groupedYuan(result.totals.entitledYuan)}, 本期应补应扣 ${groupedYuan(result.totals.balanceYuan)}`,
    '校验:',
    ...result.checks.slice(0, 2).map((c) => `  ${c.holds ? '✓' : '✗'} ${c.name}: ${c.left} = ${c.right}`),
    `  ${result.checks.slice(2).every((c) => c.holds) ? '✓' : '✗'} 每个机构: 本期应补应扣 = Σ 各行 (${result.checks.length - 2} balances)`,
  ]
  return lines.join('\n')
}
