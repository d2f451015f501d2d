/**
 * The year-end clearing as a person reads it: one row per institution and pool with the main
 * lines and the balance, what the table cannot show (deductions by where they were taken, a
 * prepayment refunded on its own line, an entitlement floored at 0, the 特例单议 cap), the
 * totals, and the check equations.
 */
import type {ClearResult} from '../app/clear.js'
import {renderTable} from '../io/table.js'
import {groupedYuan, ratesText} from './pay-text.js'

type Institution = ClearResult['institutions'][number]

const amountOf = (i: Institution, key: string): string => i.lines.find((l) => l.key === key)?.amountYuan ?? '0.00'

export function clearText(result: ClearResult): string {
  const amount = (i: Institution, key: string) => groupedYuan(amountOf(i, key))
  const refund = result.prepaymentRecovery === 'REFUND'
  const balances = result.checks.filter((c) => c.name.includes('(balance = its lines)'))
  const identities = result.checks.filter((c) => c.name.includes('(every 分 once)') && !c.name.startsWith('统筹区'))
  const others = result.checks.filter((c) => !balances.includes(c) && !identities.includes(c))
  const lines = [
    `年终清算 ${result.year} — run ${result.runId}${(result.supersededRunId ?? null) === null ? '' : ` (supersedes run ${result.supersededRunId})`}, final ${ratesText(result.rates)}, money rounded per ${result.roundingStage === 'CASE' ? 'case' : 'institution'}`,
    ...(result.assessment === 'default-100' ? ['no assessment given: every institution scores 100 (pass --assessment <file>)'] : []),
    ...(result.monthsWithoutPayment.length > 0 ? [`months without a payment run: ${result.monthsWithoutPayment.join(', ')}`] : []),
    '',
    renderTable(
      ['机构编码', '机构名称', '险种', '出院人次', '统筹基金应支付', '尾差', '实际记账', '分担后应支付', '保证金扣除', '特例单议追加', '扣款合计', '已预结算', refund ? '预付金退还' : '预付金冲抵', '本期应补应扣'],
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
        amount(i, refund ? 'prepaymentRefund' : 'prepaymentOffset'),
        groupedYuan(i.balanceYuan),
      ]),
      {right: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], keyColumns: 3},
    ),
    ...notes(result),
    '',
    `合计: 统筹基金应支付 ${groupedYuan(result.totals.entitledYuan)}, 年度应支付合计 ${groupedYuan(result.totals.finalEntitledYuan)}, 扣款合计 ${groupedYuan(result.totals.deductionsYuan)}, 已预结算 ${groupedYuan(result.totals.monthlyPaidYuan)}, 本期应补应扣 ${groupedYuan(result.totals.balanceYuan)}${refund ? `, 预付金退还 ${groupedYuan(result.totals.prepaymentRefundYuan)}` : ''}`,
    '校验:',
    ...others.map((c) => `  ${c.holds ? '✓' : '✗'} ${c.name}: ${c.left} = ${c.right}`),
    `  ${balances.every((c) => c.holds) ? '✓' : '✗'} 每个机构: 本期应补应扣 = Σ 各行 (${balances.length} balances)`,
    `  ${identities.every((c) => c.holds) ? '✓' : '✗'} 每个机构: 预付金 + Σ 月度拨付 + 本期应补应扣 − 预付金退还 = 年度应支付合计 − Σ 扣款 + 预付金未收回 (${identities.length} institution-pools)`,
    ...capitationText(result),
  ]
  return lines.join('\n')
}

function notes(result: ClearResult): string[] {
  const out: string[] = []
  for (const i of result.institutions) {
    const taken = amountOf(i, 'deductionsMonthly')
    const outstanding = amountOf(i, 'deductionsOutstanding')
    if (amountOf(i, 'deductions') !== '0.00') {
      out.push(`${i.institutionId} ${i.pool}: 扣款合计 ${groupedYuan(amountOf(i, 'deductions'))} = 月度拨付已扣 ${groupedYuan(taken)} + 月度未扣 ${groupedYuan(outstanding)} + 年终扣款 ${groupedYuan(amountOf(i, 'deductionsYearEnd'))} (已预结算 is net of what the months took)`)
    }
    if (amountOf(i, 'priorYearCorrections') !== '0.00') out.push(`${i.institutionId} ${i.pool}: 以前年度病例冲正补退 ${groupedYuan(amountOf(i, 'priorYearCorrections'))} (corrections paid this year of cases settled in an earlier year) is part of 年度应支付合计`)
    if (amountOf(i, 'fundDue').startsWith('-')) out.push(`${i.institutionId} ${i.pool}: 统筹基金应支付(计算值) ${groupedYuan(amountOf(i, 'fundDue'))} is below 0: cleared on 0.00`)
  }
  for (const row of result.special.rows) {
    if (row.approved > 0 || !row.within) out.push(`特例单议 ${row.scope} ${row.period}: ${row.approved} approved of ${row.discharges} discharges (${row.sharePercent}%, cap ${row.capShare}: at most ${row.limitCases})${row.within ? '' : ' — beyond the cap, allowed by the policy'}`)
  }
  if (result.missingWeights.cases > 0) out.push(`无权重: ${result.missingWeights.cases} of ${result.missingWeights.groupedCases} grouped cases (${result.missingWeights.sharePercent}%) are in DRGs without a weight, paid by their items`)
  return out.length === 0 ? [] : ['', ...out]
}

/** 按人头付费 and 门特 packages cleared beside the cases: each line of each institution, pool and category. */
function capitationText(result: ClearResult): string[] {
  const c = result.capitation ?? null
  if (c === null || c.institutions.length === 0) return []
  const amount = (i: (typeof c.institutions)[number], key: string) => groupedYuan(i.lines.find((l) => l.key === key)!.amountYuan)
  return [
    '',
    '按人头付费 / 门特包干 年终清算:',
    renderTable(
      ['机构编码', '险种', '类别', '月数', '年度人头预算', '实际支出', '分担后应支付', '保证金扣除', '年度应支付合计', '已预结算', '本期应补应扣'],
      c.institutions.map((i) => [i.institutionId, i.pool, i.name, String(i.monthsPaid), amount(i, 'budget'), amount(i, 'spending'), amount(i, 'dueAfterBand'), amount(i, 'depositForfeited'), amount(i, 'finalEntitled'), amount(i, 'monthlyPaid'), groupedYuan(i.balanceYuan)]),
      {right: [3, 4, 5, 6, 7, 8, 9, 10], keyColumns: 3},
    ),
    `  ✓ 每个类别: Σ 月度拨付 + 本期应补应扣 = 年度应支付合计 (${c.institutions.length}); 合计 本期应补应扣 ${groupedYuan(c.totals.balanceYuan)}`,
  ]
}
