/**
 * The case screen of `yb review`: one stored discharge explained as lines. A DRG year's grouped
 * case gets `yb case show`'s explanation (codes with names, grouping trace, price build-up); a
 * DIP year's case, or a per-diem or item-paid one, gets its codes and the build-up its year's
 * method gives at the month's payment rates (the DIP grouping trace is part of it).
 *
 *   reviewCaseView(db, 'S4') → {lines: ['结算流水号 S4  2025-03 …', …], special: 'pending'}
 */
import {caseText} from '../cli/case-text.js'
import {inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {specialCase} from '../store/special-cases.js'
import {casePaths} from './case-paths.js'
import {storedCase} from '../store/cases.js'
import {paidRates} from './paid-rates.js'
import {explainStoredCase} from './explain-case.js'
import {loadMethod} from './method.js'
import {type DrgContext, loadDrgContext} from './drg-method.js'
import type {PaymentMethod} from './payment-method.js'

export interface CaseView {
  readonly lines: readonly string[]
  /** '' or the 特例单议 decision of the case. */
  readonly special: string
}

/**
 * The case screen of a review session: the year's method (policy, scheme compiled, weights,
 * institutions) is loaded the first time a case of that year is opened and kept for the session,
 * so that opening a case costs its own explanation only.
 */
export function reviewCaseViewer(db: Db): (settlementId: string) => CaseView {
  const methods = new Map<number, PaymentMethod>()
  const contexts = new Map<number, DrgContext>()
  const methodOf = (year: number) => methods.get(year) ?? methods.set(year, loadMethod(db, year)).get(year)!
  const contextOf = (year: number) => contexts.get(year) ?? contexts.set(year, loadDrgContext(db, year)).get(year)!
  return (settlementId) => reviewCaseView(db, settlementId, methodOf, contextOf)
}

export function reviewCaseView(db: Db, settlementId: string, methodOf = (year: number) => loadMethod(db, year), contextOf = (year: number) => loadDrgContext(db, year)): CaseView {
  const special = specialCase(db, settlementId)?.decision ?? ''
  const row = storedCase(db, settlementId)
  if (row === undefined) throw new InputErrors([inputError(settlementId, 0, 'settlement_id', 'reference_unknown', `no stored discharge ${settlementId}`)])
  const year = Number(row.month.slice(0, 4))
  const method = methodOf(year)
  if (method.method === 'DRG' && casePaths(method.policy).pathOf(row) === 'grouped') return {lines: caseText(explainStoredCase(db, settlementId, contextOf)).split('\n'), special}
  const run = paidRates(db, row.month)
  const {record} = method.rowPricer(run?.rates ?? method.rates(db, [row.month]), true)(row)
  return {
    special,
    lines: [
      `结算流水号 ${settlementId}  ${row.month}  ${row.institution_id}  ${row.insurance_type}${row.payment_method === '' ? '' : `  付费方式 ${row.payment_method}`}`,
      `医疗总费用 ${row.total_cost}  统筹基金记账 ${row.fund_recorded}  住院天数 ${row.los_days}`,
      '',
      `诊断: ${row.dx_codes.split('|').join(' ') || '(无)'}`,
      `手术操作: ${row.px_codes.split('|').join(' ') || '(无)'}`,
      '',
      `${method.method} ${record.status} ${record.drg}${record.weight === '' ? '' : ` (${record.weight})`} → ${record.payment}${record.outlier === 'normal' ? '' : ` ${record.outlier}`}, 基金 ${record.fundYuan}${run === undefined ? ' (provisional: the month is not paid yet)' : ` at the rates of run ${run.runId}`}`,
      ...record.steps.split('\n').filter(Boolean).map((line) => `  ${line}`),
    ],
  }
}
