/**
 * `yb cases check` as a person reads it: what was checked by which rules, per institution the
 * pass rate and its most failed rules, per rule its cases, and the first flagged cases.
 */
import type {CasesCheckResult} from '../app/cases-check.js'
import {renderTable} from '../io/table.js'

const SEVERITY: Record<string, string> = {error: '错误', warning: '警告'}

export function casesCheckText(r: CasesCheckResult): string {
  const what = r.month !== null ? `month ${r.month}` : `file ${r.file}`
  const lines = [
    `质控 ${what}: ${r.cases} cases checked by ${r.rules.ref} (${r.rules.name}, ${r.rules.count} rules)${r.scheme === null ? '' : `; codes against ${r.scheme}`}`,
    `${r.passed} passed (通过率 ${r.passRate || '—'}), ${r.withErrors} with errors, ${r.warningsOnly} with warnings only`,
  ]
  if (r.file !== null) {
    lines.push(`${r.recordsRead} records read = ${r.cases} checked + ${r.unreadable} unreadable + ${r.skipped} blank${r.outside > 0 ? ` + ${r.outside} of other institutions` : ''}`)
  }
  for (const error of r.unreadableErrors.slice(0, 5)) lines.push(`  unreadable ${error.file}:${error.row}${error.column === '' ? '' : ` ${error.column}`}: ${error.message}`)
  if (r.unreadable > 5) lines.push(`  … ${r.unreadable - 5} more unreadable rows (see --json)`)
  for (const rule of r.notRun) lines.push(`not run: ${rule.id} ${rule.message}: ${rule.reason}`)
  lines.push('')
  lines.push(
    renderTable(
      ['机构编码', '病例数', '通过', '通过率', '有错误', '仅警告', '主要问题'],
      r.byInstitution.map((i) => [i.institutionId, String(i.cases), String(i.passed), i.passRate, String(i.withErrors), String(i.warningsOnly), i.topRules.map((t) => `${t.id}×${t.cases}`).join(' ')]),
      {right: [1, 2, 3, 4, 5], keyColumns: 1},
    ),
  )
  const failing = r.byRule.filter((rule) => rule.cases > 0)
  if (failing.length > 0) {
    lines.push('')
    lines.push(renderTable(['规则', '级别', '病例数', '说明'], failing.map((rule) => [rule.id, SEVERITY[rule.severity]!, String(rule.cases), rule.message]), {right: [2], keyColumns: 1}))
  }
  if (r.examples.length > 0) {
    lines.push('', `first flagged cases${r.flagged > r.examples.length ? ` (${r.examples.length} of ${r.flagged}; all in --out)` : ''}:`)
    for (const c of r.examples.slice(0, 10)) lines.push(`  ${c.settlementId} ${c.institutionId}${c.line === null ? '' : ` line ${c.line}`}: ${c.rules.map((rule) => `${rule.id} (${rule.evidence})`).join('; ')}`)
  }
  if (r.out !== null) lines.push('', `flagged cases → ${r.out} (a row per case and rule)`)
  return lines.join('\n')
}
