/** `yb simulate`'s report: per institution and pool the current run, the draft and the change, then the totals and the standards. */
import type {SimulateResult} from '../app/simulate.js'
import type {SimulateYearResult} from '../app/simulate-year.js'
import {renderTable} from '../io/table.js'
import {groupedYuan} from './pay-text.js'

const rateText = (rates: SimulateResult['rates']['draft']) => rates.map((r) => `${r.pool} ${'pointValueYuan' in r ? `点值 ${r.pointValueYuan}` : `费率 ${r.rateYuanPerWeight}`}`).join(', ')
const percent = (text: string) => (text === '' ? '—' : `${text}%`)

export function simulateText(r: SimulateResult): string {
  const rows = r.lines.map((l) => [
    l.institutionId,
    l.name,
    l.pool,
    l.current === null ? '—' : groupedYuan(l.current.fundDueYuan),
    groupedYuan(l.draft.fundDueYuan),
    l.change === null ? '—' : groupedYuan(l.change.fundDueYuan),
    l.change === null ? '—' : percent(l.change.fundDuePercent),
    l.current === null ? '—' : groupedYuan(l.current.payYuan),
    groupedYuan(l.draft.payYuan),
    l.change === null ? '—' : groupedYuan(l.change.payYuan),
  ])
  const t = r.totals
  return [
    `模拟 ${r.month} under ${r.policyFile} — nothing recorded; compared with ${r.currentRunId === null ? 'no current run' : `run ${r.currentRunId}`}`,
    `rates: current ${rateText(r.rates.current) || '—'}; draft ${rateText(r.rates.draft)}`,
    '',
    renderTable(['机构编码', '机构名称', '险种', '基金应付(现行)', '基金应付(草案)', '差额', '变化', '本月拨付(现行)', '本月拨付(草案)', '拨付差额'], rows, {right: [3, 4, 5, 6, 7, 8, 9], keyColumns: 3}),
    '',
    `合计: 基金应付 ${t.current === null ? '—' : groupedYuan(t.current.fundDueYuan)} → ${groupedYuan(t.draft.fundDueYuan)}${t.change === null ? '' : ` (${groupedYuan(t.change.fundDueYuan)}, ${percent(t.change.fundDuePercent)})`}; 本月拨付 ${t.current === null ? '—' : groupedYuan(t.current.payYuan)} → ${groupedYuan(t.draft.payYuan)}${t.change === null ? '' : ` (${groupedYuan(t.change.payYuan)}, ${percent(t.change.payPercent)})`}`,
    `预算: 本月 ${groupedYuan(r.budget.monthYuan)} (可用预算 ÷ 12), 基金应付占 ${r.budget.currentUsedPercent === '' ? '—' : `${r.budget.currentUsedPercent}%`} → ${r.budget.draftUsedPercent === '' ? '—' : `${r.budget.draftUsedPercent}%`}`,
    r.standards === null ? '' : `支付标准: ${r.standards.changed.toLocaleString('en-US')} of ${r.standards.cases.toLocaleString('en-US')} group-paid cases changed; draft ÷ current from ${r.standards.minRatio || '—'} to ${r.standards.maxRatio || '—'}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ]
    .filter((line, k, all) => line !== '' || (k > 0 && all[k - 1] !== ''))
    .join('\n')
}

export function simulateYearText(r: SimulateYearResult): string {
  const rows = r.lines.map((l) => [
    l.institutionId,
    l.name,
    l.pool,
    l.current === null ? '—' : groupedYuan(l.current.finalEntitledYuan),
    groupedYuan(l.draft.finalEntitledYuan),
    l.change === null ? '—' : percent(l.change.finalEntitledPercent),
    l.current === null ? '—' : groupedYuan(l.current.balanceYuan),
    groupedYuan(l.draft.balanceYuan),
    l.change === null ? '—' : groupedYuan(l.change.balanceYuan),
  ])
  const t = r.totals
  return [
    `模拟清算 ${r.year} under ${r.policyFile} — nothing recorded; compared with ${r.currentRunId === null ? 'no current clearing' : `run ${r.currentRunId}`}`,
    `rates: current ${rateText(r.rates.current) || '—'}; draft ${rateText(r.rates.draft)}`,
    '',
    renderTable(['机构编码', '机构名称', '险种', '年度应支付(现行)', '年度应支付(草案)', '变化', '应补应扣(现行)', '应补应扣(草案)', '差额'], rows, {right: [3, 4, 5, 6, 7, 8], keyColumns: 3}),
    '',
    `合计: 年度应支付合计 ${t.current === null ? '—' : groupedYuan(t.current.finalEntitledYuan)} → ${groupedYuan(t.draft.finalEntitledYuan)}; 本期应补应扣 ${t.current === null ? '—' : groupedYuan(t.current.balanceYuan)} → ${groupedYuan(t.draft.balanceYuan)}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n')
}

