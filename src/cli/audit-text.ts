/**
 * `yb audit` as the 稽核 team reads it: the signals raised, each with the comparison it rests on.
 */
import type {SuperviseResult} from '../app/supervise.js'
import {INSTITUTION_HEADER, institutionRow, SPLIT_HEADER, splitRow} from '../app/supervise-out.js'
import {SIGNAL_NAMES} from '../quality/signals.js'
import {renderTable} from '../io/table.js'

export function superviseText(r: SuperviseResult): string {
  const o = r.options
  const raised = r.institutions.filter((s) => s.raised)
  const counts = (['split_admission', 'upcoding', 'low_standard', 'low_outlier', 'qy_ungroupable'] as const).map((k) => `${SIGNAL_NAMES[k]} ${r.raised[k]}`).join(', ')
  const lines = [
    `监管 ${r.period} — audit ${r.auditId} over runs ${r.runs.map((run) => `${run.month}: ${run.runId}`).join(', ')}`,
    `an institution is raised at z ≥ ${o.zMin} against its peers of the same level, with at least ${o.casesMin} cases; 分解住院: the same person back within ${o.readmissionDays} days; 低标入院: ≤ ${o.shortStayDays} days below ${o.cheapShare} × the group's mean cost`,
    `raised: ${r.raised.total} signals (${counts}); ${r.casesFlagged} cases flagged. No signal changes money: decide through yb deductions import or yb special import.`,
  ]
  if (r.splitAdmissions.length > 0) {
    lines.push('', `分解住院 (${r.splitAdmissions.length}):`, renderTable(SPLIT_HEADER, r.splitAdmissions.slice(0, 30).map(splitRow), {right: [5], keyColumns: 2}))
    if (r.splitAdmissions.length > 30) lines.push(`… ${r.splitAdmissions.length - 30} more (all in --json and --out)`)
  }
  if (raised.length > 0) {
    lines.push('', '机构预警 (z against the other institutions of its level, group by group):', renderTable(INSTITUTION_HEADER, raised.map(institutionRow), {right: [2, 3, 4, 5, 6, 7], keyColumns: 2}))
    for (const [institutionId, drivers] of Object.entries(r.upcodingDrivers)) {
      if (drivers.length > 0) lines.push(`高套 ${institutionId}: most counted complications ${drivers.map((d) => `${d.code} ${d.level}×${d.cases}`).join(', ')}`)
    }
  }
  const checked = new Set(r.institutions.map((s) => s.institutionId)).size
  lines.push('', `${checked} institutions compared; every institution's values are in --json and the .xlsx of --out`)
  return lines.join('\n')
}
