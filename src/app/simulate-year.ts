/**
 * `yb simulate --year`: what a draft policy would clear a year to, beside its current clearing,
 * with the same engine as `yb clear` in a transaction that is rolled back (store/db.ts undone).
 * The assessment scores the current clearing used are used again, so that only the policy differs.
 *
 *   await runSimulateYear(db, {policyFile: 'draft.yaml', policyText, year: 2025}) → {year: 2025, currentRunId: 14, lines: […], totals: {…}}
 */
import {change} from '../clearing/simulation.js'
import type {Db} from '../store/db.js'
import {periodInfo} from '../store/periods.js'
import {runResult} from '../store/run-lines.js'
import {type ClearInstitution, type ClearResult, runClear} from './clear.js'
import type {PoolRateJson} from './payment-method.js'
import {underDraft} from './simulate.js'

export interface ClearFigures {
  readonly cases: number
  /** 统筹基金应支付, 年度应支付合计 and 本期应补应扣. */
  readonly entitledYuan: string
  readonly finalEntitledYuan: string
  readonly balanceYuan: string
}

export interface SimulatedClearLine {
  readonly institutionId: string
  readonly name: string
  readonly pool: string
  readonly current: ClearFigures | null
  readonly draft: ClearFigures
  readonly change: {readonly finalEntitledYuan: string; readonly finalEntitledPercent: string; readonly balanceYuan: string; readonly balancePercent: string} | null
}

export interface SimulateYearResult {
  readonly year: number
  readonly policyFile: string
  readonly currentRunId: number | null
  readonly rates: {readonly current: readonly PoolRateJson[]; readonly draft: readonly PoolRateJson[]}
  readonly lines: readonly SimulatedClearLine[]
  readonly totals: {readonly current: {readonly finalEntitledYuan: string; readonly balanceYuan: string} | null; readonly draft: {readonly finalEntitledYuan: string; readonly balanceYuan: string}}
  readonly warnings: readonly string[]
}

const amount = (line: ClearInstitution, key: string) => line.lines.find((l) => l.key === key)?.amountYuan ?? '0.00'
const figures = (line: ClearInstitution): ClearFigures => ({cases: line.cases, entitledYuan: amount(line, 'entitled'), finalEntitledYuan: amount(line, 'finalEntitled'), balanceYuan: line.balanceYuan})

export async function runSimulateYear(db: Db, options: {readonly policyFile: string; readonly policyText: string; readonly year: number; readonly weights?: string}): Promise<SimulateYearResult> {
  const {year} = options
  const currentRunId = periodInfo(db, 'clear', String(year)).runId
  const current = currentRunId === null ? undefined : runResult<ClearResult>(db, currentRunId)
  // The current clearing's assessment, so that only the policy differs.
  const assessment = current?.assessment === 'imported' ? new Map(current.institutions.map((i) => [i.institutionId, {value: i.assessmentScore, row: 0, file: `run ${currentRunId}`}])) : undefined
  const draft = await underDraft(db, {year}, {file: options.policyFile, text: options.policyText, ...(options.weights === undefined ? {} : {weights: options.weights})}, () => runClear(db, {year, acceptRateDeviation: true, ...(assessment === undefined ? {} : {assessment})}))
  const key = (line: {institutionId: string; pool: string}) => `${line.institutionId}\t${line.pool}`
  const before = new Map((current?.institutions ?? []).map((line) => [key(line), line]))
  const lines = draft.institutions.map((line): SimulatedClearLine => {
    const was = before.get(key(line))
    const now = figures(line)
    if (was === undefined) return {institutionId: line.institutionId, name: line.name, pool: line.pool, current: null, draft: now, change: null}
    const old = figures(was)
    const entitled = change(old.finalEntitledYuan, now.finalEntitledYuan)
    const balance = change(old.balanceYuan, now.balanceYuan)
    return {institutionId: line.institutionId, name: line.name, pool: line.pool, current: old, draft: now, change: {finalEntitledYuan: entitled.differenceYuan, finalEntitledPercent: entitled.percent, balanceYuan: balance.differenceYuan, balancePercent: balance.percent}}
  })
  return {
    year,
    policyFile: options.policyFile,
    currentRunId,
    rates: {current: current?.rates ?? [], draft: draft.rates},
    lines,
    totals: {current: current === undefined ? null : {finalEntitledYuan: current.totals.finalEntitledYuan, balanceYuan: current.totals.balanceYuan}, draft: {finalEntitledYuan: draft.totals.finalEntitledYuan, balanceYuan: draft.totals.balanceYuan}},
    warnings: draft.warnings,
  }
}
