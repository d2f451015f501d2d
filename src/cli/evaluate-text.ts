/**
 * `yb evaluate`'s table: one row per institution and the region's, the indicators in their
 * Chinese names; the risk bands and their bounds under it.
 */
import type {EvaluateResult} from '../app/evaluate.js'
import type {UnitIndicators} from '../clearing/evaluation.js'
import {renderTable} from '../io/table.js'

const HEADERS = ['机构编码', '机构名称', '出院人次', '入组率', 'DRG组数', '总权重', 'CMI', '费用消耗指数', '时间消耗指数', '低风险组死亡率', '中低风险组死亡率']

function cells(u: UnitIndicators, id: string, name: string): string[] {
  return [id, name, String(u.cases), u.groupedRate || '—', String(u.drgCount), u.totalWeight, u.cmi || '—', u.costIndex || '—', u.timeIndex || '—', u.lowRiskMortality || '—', u.midLowRiskMortality || '—']
}

/** The table as CSV rows (the header first): what --out writes. */
/** The headers: the unit, and under DIP the score's names for the group count, the weight and CMI. */
function headersOf(r: EvaluateResult): string[] {
  const unit = r.by === 'institution' ? HEADERS.slice(0, 1) : [r.by === 'department' ? '机构 科室' : '机构 医师']
  const rest = HEADERS.slice(1).map((h) => (r.method === 'DIP' ? ({DRG组数: '病种组数', 总权重: '总分值', CMI: '平均分值'} as Record<string, string>)[h] ?? h : h))
  return [...unit, ...rest]
}

export function evaluateRows(r: EvaluateResult): string[][] {
  const headers = headersOf(r)
  return [headers, ...r.units.map((u) => cells(u, u.unit, r.names[u.unit.split(' ')[0]!] ?? '')), cells(r.region, '全统筹区', '')]
}

export function evaluateText(r: EvaluateResult): string {
  const bands = r.riskBands
  return [
    `评价 ${r.period} — runs ${r.runs.map((run) => `${run.month}: ${run.runId}`).join(', ')}`,
    '',
    renderTable(headersOf(r), [...r.units.map((u) => cells(u, u.unit, r.names[u.unit.split(' ')[0]!] ?? '')), cells(r.region, '全统筹区', '')], {right: [2, 3, 4, 5, 6, 7, 8, 9, 10], keyColumns: 2}),
    '',
    `低风险组 (ln 死亡率 < 均值 ${bands.lnMortalityMean || '—'} − 标准差 ${bands.lnMortalitySd || '—'}, or no death): ${bands.lowRisk.length} groups; 中低风险组: ${bands.midLowRisk.length} groups (${bands.midLowRisk.slice(0, 12).join(' ')}${bands.midLowRisk.length > 12 ? ' …' : ''})`,
    '费用/时间消耗指数 = Σ 各组(本机构均值 ÷ 全统筹区均值) × 本机构该组例数 ÷ 本机构入组例数; 1.0000 is the region\'s level',
  ].join('\n')
}
