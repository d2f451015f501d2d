/**
 * The prepayment as a person reads it: the pools' eligibility, one row per institution and pool
 * with its spending history, monthly average and prepayment, and the total.
 */
import type {PrepayResult} from '../app/prepay.js'
import {renderTable} from '../io/table.js'
import {groupedYuan} from './pay-text.js'

export function prepayText(result: PrepayResult): string {
  return [
    `年初预付 ${result.year} — run ${result.runId}${(result.supersededRunId ?? null) === null ? '' : ` (supersedes run ${result.supersededRunId})`}, ${result.months} month(s) of average spending`,
    `${result.pools.map((p) => `  pool ${p.pool}: reserve ${p.reserveMonths} months (minimum ${p.minimumMonths}) → ${p.eligible ? 'eligible' : 'not eligible'}`).join('\n')}\n`,
    renderTable(
      ['机构编码', '机构名称', '险种', ...(result.institutions[0]?.spendingYuan.map((s) => `${s.year}基金支出`) ?? []), '月均', '预付金', '说明'],
      result.institutions.map((line) => [line.institutionId, line.name, line.pool, ...line.spendingYuan.map((s) => (s.yuan ? groupedYuan(s.yuan) : '—')), groupedYuan(line.monthlyAverageYuan), groupedYuan(line.prepaymentYuan), line.reason]),
      {right: [3, 4, 5, 6, 7]},
    ),
    `\n预付金合计 ${groupedYuan(result.totalYuan)}`,
  ].join('\n')
}
