/**
 * The summary a person reads after grouping: counts by status, then cases per MDC.
 *
 *   groupSummaryText(result) → 'grouped 4,870 cases with demo …\n状态 …\nMDC  名称 …'
 */
import type {GroupFileResult} from '../grouper/group-file.js'
import {formatCount, renderTable} from '../io/table.js'

const STATUS_NAMES: Record<string, string> = {grouped: '入组', qy: '歧义组 QY', ungroupable: '无法入组 0000', invalid: '数据错误 invalid'}

export function groupSummaryText(result: GroupFileResult, mdcNames: ReadonlyMap<string, string> = new Map()): string {
  const lines: string[] = []
  const using = [result.scheme === null ? '' : result.scheme.id, result.dip === null ? '' : `DIP catalog ${result.dip.id}`].filter(Boolean).join(' and ')
  lines.push(`grouped ${formatCount(result.casesWritten)} cases with ${using} → ${result.output === '-' ? 'stdout' : result.output}`)
  lines.push(
    `${formatCount(result.rowsRead)} rows read = ${formatCount(result.casesWritten)} grouped + ${formatCount(result.rowsRejected)} rejected + ${formatCount(result.rowsSkipped)} blank skipped`,
  )
  if (result.scheme !== null) {
    lines.push('')
    lines.push(
      renderTable(
        ['status', '状态', 'cases'],
        (['grouped', 'qy', 'ungroupable', 'invalid'] as const).map((status) => [status, STATUS_NAMES[status]!, formatCount(result.byStatus[status])]),
        {right: [2]},
      ),
    )
  }
  if (result.dip !== null) {
    lines.push('')
    lines.push(
      renderTable(
        ['DIP', '病种', 'cases'],
        [
          ['core', '核心病种', formatCount(result.byDipType.core ?? 0)],
          ['basic', '基层病种', formatCount(result.byDipType.basic ?? 0)],
          ['comprehensive', '综合病种', formatCount(result.byDipType.comprehensive ?? 0)],
          ['ungroupable', '无法入组', formatCount(result.byDipStatus.ungroupable)],
          ['invalid', '数据错误', formatCount(result.byDipStatus.invalid)],
        ],
        {right: [2]},
      ),
    )
  }
  const mdcs = Object.entries(result.byMdc).filter(([, count]) => count > 0)
  if (mdcs.length > 0) {
    lines.push('')
    lines.push(renderTable(['MDC', '名称', 'cases'], mdcs.map(([mdc, count]) => [mdc, mdcNames.get(mdc) ?? '', formatCount(count)]), {right: [2]}))
  }
  if (result.rowsRejected > 0) {
    lines.push('')
    lines.push(`${formatCount(result.rowsRejected)} malformed rows written to ${result.rejects} with their reasons`)
  }
  return lines.join('\n')
}
