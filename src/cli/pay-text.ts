/**
 * The monthly payment as a person reads it: one row per institution and pool, the totals, the
 * rates used, and the check equations with both sides.
 */
import {type PoolRateJson, rateLabel} from '../app/drg-context.js'
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
    `按月支付 ${result.month} — run ${result.runId}${result.supersededRunId === null ? '' : ` (supersedes run ${result.supersededRunId})`}`,
    `policy ${result.policy.year} v${result.policy.version}, scheme ${result.scheme.id}@${result.scheme.version}, ${ratesText(result.rates)}, money rounded per ${result.roundingStage === 'CASE' ? 'case' : 'institution'}`,
    '',
    renderTable(
      ['机构编码', '机构名称', '险种', '出院人次', '高倍率', '低倍率', 'QY/0000', '床日', '按项目', '待更正', '病例合计', '尾差', '基金应付', '扣款', '本月拨付', '预留'],
      [
        ...result.institutions.map((i) => [
          i.institutionId,
          i.name,
          i.pool,
          String(i.cases),
          String(i.byOutlier.high ?? 0),
          String((i.byOutlier.low ?? 0) + (i.byOutlier.mid_low ?? 0)),
          String(i.byPayment.discounted_items ?? 0),
          String(i.byPayment.per_diem ?? 0),
          String(i.byPayment.items ?? 0),
          String(i.byPayment.held ?? 0),
          groupedYuan(i.casesFundYuan),
          i.roundingResidueYuan,
          groupedYuan(i.fundDueYuan),
          groupedYuan(i.deductionsYuan),
          groupedYuan(i.payYuan),
          groupedYuan(i.withheldYuan),
        ]),
        ['合计', '', '', String(result.totals.cases), '', '', '', '', '', '', '', result.totals.roundingResidueYuan, groupedYuan(result.totals.fundDueYuan), groupedYuan(result.totals.deductionsYuan), groupedYuan(result.totals.payYuan), groupedYuan(result.totals.withheldYuan)],
      ],
      {right: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]},
    ),
    ...(result.specialPending > 0 ? ['', `特例单议: ${result.specialPending} case(s) marked and awaiting a decision are paid by their group this month (yb special list)`] : []),
    '',
    '校验:',
    ...result.checks.map((c) => `  ${c.holds ? '✓' : '✗'} ${c.name}: ${c.left} = ${c.right}`),
  ]
  return lines.join('\n')
}

/** "rates 职工 费率 12,165.26 (published), 居民 …" */
export function ratesText(rates: readonly PoolRateJson[]): string {
  return `rates ${rates.map((r) => {
    const {name, value} = rateLabel(r)
    return `${r.pool} ${name} ${groupedYuan(value)} (${r.source})`
  }).join(', ')}`
}
