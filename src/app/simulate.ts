/**
 * `yb simulate`: what a draft policy would pay a stored month, beside what its current run paid,
 * without recording anything. The draft is stored as the year's newest policy and the month paid
 * by the same engine as `yb pay` (src/app/pay.ts), inside a transaction that is rolled back
 * (store/db.ts undone): a closed month is opened for it and closed again by the rollback, and the
 * workspace is as it was, byte for byte, after.
 *
 *   await runSimulate(db, {policyFile: 'draft.yaml', policyText, month: '2025-03'})
 *   → {month: '2025-03', currentRunId: 4, lines: [{institutionId: 'H001', pool: '职工', current: {payYuan: …}, draft: {…}, change: {…}}], standards: {cases: 1408, changed: 1408, minRatio: '1.0999', maxRatio: '1.1001'}, …}
 */
import {globalBudget} from '../clearing/cycle.js'
import {budgetToDateYuan, usedPercent} from '../clearing/indicators.js'
import {parseDecimal} from '../clearing/money.js'
import {type Policy, parsePolicy} from '../clearing/policy.js'
import {change, standardRatios} from '../clearing/simulation.js'
import {inputError, InputErrors} from '../errors.js'
import {type Db, undone} from '../store/db.js'
import {openForSimulation, periodInfo} from '../store/periods.js'
import {saveDraftPolicy} from '../store/policies.js'
import {importWeights} from '../store/settlement-data.js'
import {dropWeightsForSimulation} from '../store/weights.js'
import {runResult} from '../store/run-lines.js'
import {sharedStandards} from '../store/runs.js'
import {type PayInstitution, type PayResult, runPay} from './pay.js'
import type {PoolRateJson} from './payment-method.js'

export interface SimulatedLine {
  readonly institutionId: string
  readonly name: string
  readonly pool: string
  readonly current: {readonly cases: number; readonly fundDueYuan: string; readonly payYuan: string; readonly withheldYuan: string} | null
  readonly draft: {readonly cases: number; readonly fundDueYuan: string; readonly payYuan: string; readonly withheldYuan: string}
  /** Draft − current of 统筹基金应支付 and 本月拨付, with the share of the current (2 dp, %). */
  readonly change: {readonly fundDueYuan: string; readonly fundDuePercent: string; readonly payYuan: string; readonly payPercent: string} | null
}

export interface SimulateResult {
  readonly month: string
  readonly policyFile: string
  readonly currentRunId: number | null
  readonly rates: {readonly current: readonly PoolRateJson[]; readonly draft: readonly PoolRateJson[]}
  readonly lines: readonly SimulatedLine[]
  readonly totals: {readonly current: {readonly fundDueYuan: string; readonly payYuan: string} | null; readonly draft: {readonly fundDueYuan: string; readonly payYuan: string}; readonly change: {readonly fundDueYuan: string; readonly fundDuePercent: string; readonly payYuan: string; readonly payPercent: string} | null}
  /** The month's share of the draft's available budget (a twelfth) and how much of it each run's fund due uses (%, 1 dp). */
  readonly budget: {readonly monthYuan: string; readonly currentUsedPercent: string; readonly draftUsedPercent: string}
  /** The cases both runs paid by their group: how many payment standards moved, and the range of draft ÷ current. */
  readonly standards: {readonly cases: number; readonly changed: number; readonly minRatio: string; readonly maxRatio: string} | null
  readonly warnings: readonly string[]
}

const figures = (line: PayInstitution) => ({cases: line.cases, fundDueYuan: line.fundDueYuan, payYuan: line.payYuan, withheldYuan: line.withheldYuan})

function changes(current: {fundDueYuan: string; payYuan: string}, draft: {fundDueYuan: string; payYuan: string}) {
  const due = change(current.fundDueYuan, draft.fundDueYuan)
  const pay = change(current.payYuan, draft.payYuan)
  return {fundDueYuan: due.differenceYuan, fundDuePercent: due.percent, payYuan: pay.differenceYuan, payPercent: pay.percent}
}

function draftPolicy(file: string, text: string): Policy {
  const {policy, errors} = parsePolicy(file, text)
  if (policy === undefined) throw new InputErrors(errors)
  return policy
}

/** A month's share of the policy's available budget (a twelfth), and the share of it a fund due uses. */
function monthBudget(policy: Policy, currentDueYuan: string | undefined, draftDueYuan: string): SimulateResult['budget'] {
  const p = policy.file
  const {availableYuan} = globalBudget({baseYuan: p.budget.base_yuan, growth: p.budget.growth, reserveRate: p.budget.reserve_rate, carveOutsYuan: p.budget.carve_outs_yuan}, policy.roundingMode)
  const month = budgetToDateYuan(availableYuan, 1, policy.roundingMode)
  return {monthYuan: month.toFixed(2), currentUsedPercent: currentDueYuan === undefined ? '' : usedPercent(parseDecimal(currentDueYuan), month, policy.roundingMode), draftUsedPercent: usedPercent(parseDecimal(draftDueYuan), month, policy.roundingMode)}
}

/**
 * Runs `work` with the draft as the year's newest policy and `scope` open, inside a transaction
 * that is rolled back: the draft is checked as yb policy check does, and must be of the year.
 */
export async function underDraft<T>(db: Db, scope: {readonly month: string} | {readonly year: number}, draft: {readonly file: string; readonly text: string; readonly weights?: string}, work: () => Promise<T>): Promise<T> {
  const year = 'month' in scope ? Number(scope.month.slice(0, 4)) : scope.year
  const policy = draftPolicy(draft.file, draft.text)
  if (policy.file.year !== year) throw new InputErrors([inputError(draft.file, 0, 'year', 'value_not_allowed', `the draft is a policy for ${policy.file.year}, not for ${'month' in scope ? `${scope.month}'s year ` : ''}${year}`)])
  return undone(db, async () => {
    openForSimulation(db, scope)
    saveDraftPolicy(db, year, draft.text, `yb simulate: ${draft.file}`)
    if (draft.weights !== undefined) {
      // The draft weights take the year's place whole, checked as yb weights import checks them.
      dropWeightsForSimulation(db, year)
      const imported = await importWeights(db, year, {file: draft.weights, encoding: 'utf-8', replace: true})
      if (imported.rejected > 0) throw new InputErrors([inputError(draft.weights, 0, '', 'value_not_allowed', `${imported.rejected} rows of the draft weights were rejected`)])
    }
    return work()
  })
}

export async function runSimulate(db: Db, options: {readonly policyFile: string; readonly policyText: string; readonly month: string; readonly weights?: string}): Promise<SimulateResult> {
  const {month} = options
  const currentRunId = periodInfo(db, 'pay', month).runId
  const current = currentRunId === null ? undefined : runResult<PayResult>(db, currentRunId)
  const {draft, standards} = await underDraft(db, {month}, {file: options.policyFile, text: options.policyText, ...(options.weights === undefined ? {} : {weights: options.weights})}, async () => {
    const paid = await runPay(db, {month, force: true, acceptRateDeviation: true})
    return {draft: paid, standards: currentRunId === null ? null : standardRatios(sharedStandards(db, currentRunId, paid.runId))}
  })
  const key = (line: {institutionId: string; pool: string}) => `${line.institutionId}\t${line.pool}`
  const before = new Map((current?.institutions ?? []).map((line) => [key(line), line]))
  const lines = draft.institutions.map((line): SimulatedLine => {
    const was = before.get(key(line))
    return {institutionId: line.institutionId, name: line.name, pool: line.pool, current: was === undefined ? null : figures(was), draft: figures(line), change: was === undefined ? null : changes(was, line)}
  })
  return {
    month,
    policyFile: options.policyFile,
    currentRunId,
    rates: {current: current?.rates ?? [], draft: draft.rates},
    lines,
    totals: {current: current === undefined ? null : {fundDueYuan: current.totals.fundDueYuan, payYuan: current.totals.payYuan}, draft: {fundDueYuan: draft.totals.fundDueYuan, payYuan: draft.totals.payYuan}, change: current === undefined ? null : changes(current.totals, draft.totals)},
    budget: monthBudget(draftPolicy(options.policyFile, options.policyText), current?.totals.fundDueYuan, draft.totals.fundDueYuan),
    standards,
    warnings: draft.warnings,
  }
}
