/**
 * The monthly payment as a person reads it: one row per institution and pool, the totals, the
 * rates used, and the check equations with both sides.
 */
import {type PoolRateJson, rateLabel} from '../app/payment-method.js'
import type {PayResult} from '../app/pay.js'
import {renderTable} from '../io/table.js'

/** '1234567.80' → '1,234,567.80' (display only; the figures stay text). */
export function groupedYuan(text: string): string {
  const [whole, fraction] = text.split('.') as [string, string | undefined]
  const sign = whole.startsWith('-') ? '-' : ''
  const digits = sign ? whole.slice(1) : whole
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`
}

export function payText(result: PayResult): string {
  const lines = [
    `按月支付 ${result.month} — run ${result.runId}${(result.supersededRunId ?? null) === null ? '' : ` (supersedes run ${result.supersededRunId})`}`,
    `policy ${result.policy.year} v${result.policy.version}, scheme ${result.scheme.id}@${result.scheme.version}, ${ratesText(result.rates)}, money rounded per ${result.roundingStage === 'CASE' ? 'case' : 'institution'}`,
    '',
    renderTable(
      ['机构编码', '机构名称', '险种', '出院人次', '高倍率', '低倍率', 'QY/0000', '无权重', '床日', '按项目', '待更正', '病例合计', '尾差', '基金应付', '扣款', '实扣', '结转待扣', '本月拨付', '预留'],
      [
        ...result.institutions.map((i) => [
          i.institutionId,
          i.name,
          i.pool,
          String(i.cases),
          String(i.byOutlier.high ?? 0),
          String((i.byOutlier.low ?? 0) + (i.byOutlier.mid_low ?? 0)),
          String(i.byPayment.discounted_items ?? 0),
          String(i.missingWeightCases ?? 0),
          String(i.byPayment.per_diem ?? 0),
          String(i.byPayment.items ?? 0),
          String(i.byPayment.held ?? 0),
          groupedYuan(i.casesFundYuan),
          i.roundingResidueYuan,
          groupedYuan(i.fundDueYuan),
          groupedYuan(i.deductionsYuan),
          groupedYuan(i.deductionsTakenYuan),
          groupedYuan(i.carriedOutYuan),
          groupedYuan(i.payYuan),
          groupedYuan(i.withheldYuan),
        ]),
        ['合计', '', '', String(result.totals.cases), '', '', '', String(result.missingWeights.cases), '', '', '', '', result.totals.roundingResidueYuan, groupedYuan(result.totals.fundDueYuan), groupedYuan(result.totals.deductionsYuan), groupedYuan(result.totals.deductionsTakenYuan), groupedYuan(result.totals.carriedOutYuan), groupedYuan(result.totals.payYuan), groupedYuan(result.totals.withheldYuan)],
      ],
      {right: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], keyColumns: 3},
    ),
    ...notes(result),
    ...capitationText(result),
    ...(result.specialPending > 0 ? ['', `特例单议: ${result.specialPending} case(s) marked and awaiting a decision are paid by their group this month (yb special list)`] : []),
    '',
    '校验:',
    ...result.checks.map((c) => `  ${c.holds ? '✓' : '✗'} ${c.name}: ${c.left} = ${c.right}`),
  ]
  return lines.join('\n')
}

/** 按人头付费 and 门特 packages of the month, beside the cases. */
function capitationText(result: PayResult): string[] {
  const c = result.capitation ?? null
  if (c === null || c.lines.length === 0) return []
  return [
    '',
    '按人头付费 / 门特包干:',
    renderTable(
      ['机构编码', '险种', '类别', '人数', '人头预算', '计入支出', '本月应付', '本月拨付', '预留'],
      [
        ...c.lines.map((l) => [l.institutionId, l.pool, l.name, String(l.persons), groupedYuan(l.budgetYuan), groupedYuan(l.spendingYuan), groupedYuan(l.dueYuan), groupedYuan(l.payYuan), groupedYuan(l.withheldYuan)]),
        ['合计', '', '', String(c.totals.persons), groupedYuan(c.totals.budgetYuan), '', groupedYuan(c.totals.dueYuan), groupedYuan(c.totals.payYuan), groupedYuan(c.totals.withheldYuan)],
      ],
      {right: [3, 4, 5, 6, 7, 8], keyColumns: 3},
    ),
  ]
}

/** "rates 职工 费率 12,165.26 (published), 居民 …" */
export function ratesText(rates: readonly PoolRateJson[]): string {
  return `rates ${rates.map((r) => {
    const {name, value} = rateLabel(r)
    return `${r.pool} ${name} ${groupedYuan(value)} (${r.source})`
  }).join(', ')}`
}

/** What a reader needs beside the table: deductions carried in, dues floored at 0, cases without a weight. */
function notes(result: PayResult): string[] {
  const out: string[] = []
  for (const i of result.institutions) {
    if (i.carriedInYuan !== '0.00') out.push(`${i.institutionId} ${i.pool}: 上月结转待扣 ${groupedYuan(i.carriedInYuan)} (from ${result.carriedFrom?.month ?? 'an earlier month'}) taken with this month's deductions`)
    if (i.fundDueYuan.startsWith('-')) out.push(`${i.institutionId} ${i.pool}: 基金应付 ${groupedYuan(i.fundDueYuan)} is below 0: paid and held back on 0.00 (§3.6 max(0, due))`)
    if (i.carriedOutYuan !== '0.00') out.push(`${i.institutionId} ${i.pool}: 扣款 beyond this payment, ${groupedYuan(i.carriedOutYuan)}, is carried to the next month as 待扣`)
  }
  const late = result.institutions.filter((i) => (i.lateClaims ?? 0) > 0)
  if (late.length > 0) out.push(`跨月: ${late.map((i) => `${i.institutionId} ${i.pool} ${i.lateClaims}`).join(', ')} case(s) discharged in an earlier month and declared in ${result.month}, settled here`)
  for (const c of result.corrections ?? []) {
    out.push(`冲正/补退 ${c.settlementId}: 冲正 ${groupedYuan(c.reverses.fundYuan)} paid by run ${c.reverses.runId} (${c.reverses.institutionId} ${c.reverses.pool}), 补退 ${groupedYuan(c.fundYuan)} as corrected (${c.institutionId} ${c.pool})`)
  }
  const m = result.missingWeights
  if (m.cases > 0) out.push(`无权重: ${m.cases} of ${m.groupedCases} grouped cases (${m.sharePercent}%; the policy allows up to ${m.maxSharePercent}%) are in DRGs without a weight, paid by their items: ${m.groups.slice(0, 8).map((g) => `${g.drg} ${g.cases}`).join(', ')}`)
  return out.length === 0 ? [] : ['', ...out]
}
