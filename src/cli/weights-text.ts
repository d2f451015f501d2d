/** `yb weights build`'s report: the groups (the first 40 by cases, and those not built from their own cases), and the grouping's figures. */
import type {WeightsBuildResult} from '../app/weights-build.js'
import {renderTable} from '../io/table.js'

const SOURCE: Record<string, string> = {built: '测算', reference: '参考权重(调整)', adrg: 'ADRG', none: '无'}

export function weightsBuildText(r: WeightsBuildResult): string {
  const byCases = [...r.groups].sort((a, b) => b.cases - a.cases)
  const shown = [...byCases.slice(0, 40), ...byCases.slice(40).filter((g) => g.source !== 'built')]
  const trim = r.trim.method === 'percentile' ? `percentiles ${r.trim.low}–${r.trim.high}` : r.trim.method === 'sd' ? `mean ± ${r.trim.k} SD` : r.trim.method === 'iqr' ? `${r.trim.k} × IQR` : 'none'
  return [
    `${r.out}: ${r.groups.filter((g) => g.weight !== '').length} DRG weights of scheme ${r.scheme} from ${r.cases.toLocaleString('en-US')} grouped cases (${r.notGrouped.toLocaleString('en-US')} not grouped left out), years ${r.history.join(', ')} weighted ${r.yearWeights.join(':')}; trimming ${trim}: ${r.trimmed.toLocaleString('en-US')} cases`,
    `全部病例均值 ${r.allMeanYuan} 元 · RIV ${r.riv || '—'} · CV > 1: ${r.cvAboveOneShare || '—'} of the groups · normalisation × ${r.normalisationFactor}`,
    '',
    renderTable(['DRG', '例数', '裁剪', '均值', 'CV', '权重', '来源', '较参考'], shown.map((g) => [g.drg, String(g.cases), String(g.trimmed), g.meanYuan || '—', g.cv || '—', g.weight || '—', SOURCE[g.source] ?? g.source, g.changePercent === '' ? '—' : `${g.changePercent}%`]), {right: [1, 2, 3, 4, 5, 7]}),
    r.groups.length > shown.length ? `(${r.groups.length - shown.length} more groups built from their own cases; --json lists all)` : '',
  ]
    .filter(Boolean)
    .join('\n')
}
