/**
 * One stored discharge explained, as lines a person reads (yb case show, and the case screen of
 * yb review): codes with names, the grouping trace, the price build-up beside what the run stored.
 */
import type {CaseExplanation} from '../app/explain-case.js'
import {groupedYuan} from './pay-text.js'

export function caseText(c: CaseExplanation): string {
  const g = c.grouping
  const pay = c.payment
  return [
    `结算流水号 ${c.settlementId}  ${c.month}  ${c.institution.id} ${c.institution.name} (${c.institution.level}, 系数 ${c.institution.coefficient})  ${c.pool}`,
    `医疗总费用 ${groupedYuan(c.totalCostYuan)}  统筹基金记账 ${groupedYuan(c.fundRecordedYuan)}`,
    '',
    '诊断:',
    ...c.dx.map((d, k) => `  ${k === 0 ? '主' : '  '} ${d.code}  ${d.name}`),
    '手术操作:',
    ...(c.px.length === 0 ? ['  (无)'] : c.px.map((p, k) => `  ${k === 0 ? '主' : '  '} ${p.code}  ${p.name}`)),
    '',
    `分组: ${g.status}  ${g.drg} ${g.drgName}${g.reason ? `  (${g.reason})` : ''}`,
    ...g.trace.map((line) => `  ${line}`),
    '',
    `支付: ${pay.payment}${pay.outlier === 'normal' ? '' : ` (${pay.outlier})`}, 费率 ${groupedYuan(pay.rateYuanPerWeight)} from ${pay.rateFrom}${pay.weight ? `, 权重 ${pay.weight}` : ''}`,
    ...pay.steps.map((line) => `  ${line}`),
    pay.paidInRun === null ? '  (no payment run has priced this case yet)' : `  run ${pay.paidInRun.runId} stored 基金 ${groupedYuan(pay.paidInRun.fundYuan)}${pay.paidInRun.fundYuan === pay.fundYuan ? ' (the same)' : ` — differs from ${groupedYuan(pay.fundYuan)} recomputed now: the inputs changed since`}`,
  ].join('\n')
}
