/**
 * `yb reconcile` and `yb reconcile verify` as a person reads them: the files written with their
 * totals, and the differences found, one per line.
 */
import type {ReconcileResult} from '../app/reconcile.js'
import type {VerifyResult} from '../app/reconcile-verify.js'
import {formatCount, renderTable} from '../io/table.js'
import {groupedYuan} from './pay-text.js'

const KIND_LABEL: Record<string, string> = {missing: '缺失 (missing)', extra: '多出 (extra)', changed: '不一致 (changed)', repeated: '重复 (repeated)'}

export function reconcileText(r: ReconcileResult): string {
  const xlsx = r.files.filter((f) => f.kind === 'xlsx')
  const balance = r.kind === 'pay' ? '本期拨付' : '本期应补应扣'
  return [
    `对账单 ${r.period} ${r.kind === 'pay' ? '月度预结算' : '年度清算'} — run ${r.runId} (v${r.statementVersion}, ${r.closed ? 'closed' : 'open: a rerun would change these files'}), ${r.method}, ${r.region.code} ${r.region.name}`,
    '',
    renderTable(
      ['机构编码', '文件', '出院人次', '统筹基金应支付', balance],
      xlsx.map((f) => [f.institutionId, f.file, formatCount(f.cases), groupedYuan(f.fundDueYuan), groupedYuan(f.balanceYuan)]),
      {right: [2, 3, 4]},
    ),
    '',
    `${formatCount(r.institutions)} institutions, ${formatCount(r.files.length)} files (.xlsx, 汇总 and 明细 CSV in ${r.encoding}) in ${r.outDir}`,
    `合计: ${formatCount(r.totals.cases)} cases, 统筹基金应支付 ${groupedYuan(r.totals.fundDueYuan)}, ${balance} ${groupedYuan(r.totals.balanceYuan)}`,
    `manifest.csv sha256 ${r.manifest.sha256}; ${r.checks.evaluated} check equations, ${r.checks.failed} failed`,
  ].join('\n')
}

export function verifyText(r: VerifyResult): string {
  const failed = r.fileChecks.filter((c) => !c.holds)
  const lines = [
    `${r.file} against ${r.kind} run ${r.runId} of ${r.period} (${r.institutions.join(', ')}): ${formatCount(r.casesInFile)} cases in the file, ${formatCount(r.casesInRun)} in the run, ${formatCount(r.matched)} match`,
  ]
  if (r.differences.length > 0) {
    lines.push(
      '',
      renderTable(
        ['差异', '结算流水号', '字段', '工作区', '文件', '行'],
        r.differences.map((d) => [KIND_LABEL[d.kind] ?? d.kind, d.settlementId, d.field, d.workspace, d.file, d.row === 0 ? '' : String(d.row)]),
        {right: [5]},
      ),
    )
  }
  if (r.fileChecks.length > 0) {
    lines.push('', `校验 (the file's own figures): ${r.fileChecks.length - failed.length} of ${r.fileChecks.length} hold`)
    for (const c of failed) lines.push(`  ✗ ${c.name}: ${c.left} ≠ ${c.right}`)
  }
  const counts = Object.entries(r.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`)
  lines.push('', r.ok ? 'the file matches the workspace' : `differences: ${[...counts, ...(failed.length > 0 ? [`${failed.length} failed check(s)`] : [])].join(', ')}`)
  return lines.join('\n')
}
