/**
 * `yb prepay --year`: 年初预付 per institution and pool (settlement-rules §5.2): the average
 * monthly fund spending of the previous history years (from the stored discharges, summed in
 * 分) × the policy's months, for pools whose reserve covers the policy's minimum months.
 *
 *   runPrepay(db, {year: 2026, reserveMonths: {职工: '14', 居民: '7'}}) → {runId: 9, institutions: [{institutionId: 'H001', pool: '职工', prepaymentYuan: '8000000.00', …}]}
 */
import {prepaymentYuan} from '../clearing/cycle.js'
import {fenText, yuanOfFen} from '../clearing/fen.js'
import {isDecimalText, parseDecimal, sum} from '../clearing/money.js'
import {parsePolicy} from '../clearing/policy.js'
import {inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {currentPolicy} from '../store/policies.js'
import {institutionRows} from '../store/institutions.js'
import {assertWritable, closedError, periodInfo} from '../store/periods.js'
import {finishRun, runInstitutionWriter, startRun} from '../store/runs.js'
import {fundSpendingFen} from '../store/settlement-data.js'

export interface PrepayLine {
  readonly institutionId: string
  readonly name: string
  readonly pool: string
  /** Fund spending per history year, oldest first ('' for a year without data). */
  readonly spendingYuan: readonly {readonly year: number; readonly yuan: string}[]
  readonly monthlyAverageYuan: string
  readonly prepaymentYuan: string
  readonly eligible: boolean
  readonly reason: string
}

export interface PrepayResult {
  readonly runId: number
  readonly year: number
  readonly supersededRunId: number | null
  readonly policy: {readonly year: number; readonly version: number; readonly sha256: string}
  readonly months: string
  readonly pools: readonly {readonly pool: string; readonly reserveMonths: string; readonly minimumMonths: string; readonly eligible: boolean}[]
  readonly institutions: readonly PrepayLine[]
  readonly totalYuan: string
}

export function runPrepay(db: Db, options: {year: number; reserveMonths: Readonly<Record<string, string>>}): PrepayResult {
  const {year} = options
  const period = String(year)
  assertWritable(db, {year}, `a prepayment run of ${year}`, '', 'reopen')
  const prepaid = periodInfo(db, 'prepay', period)
  if (prepaid.state === 'closed') throw new InputErrors([closedError(prepaid, `a prepayment run of ${year}`, '', 0, '', 'reopen')])
  const stored = currentPolicy(db, year)
  const parsed = parsePolicy(`policy ${year} v${stored.version}`, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  const p = parsed.policy.file
  const pools = p.pools.map((pool) => {
    const given = options.reserveMonths[pool]
    if (given === undefined || !isDecimalText(given)) {
      throw new InputErrors([inputError('--reserve-months', 0, pool, 'parameter_missing', `the reserve of pool ${pool} in months is needed (prepayment eligibility)`, `pass --reserve-months ${pool}=<months>`)])
    }
    const minimum = p.prepay.pool_reserve_months_min[pool]!
    return {pool, reserveMonths: given, minimumMonths: minimum.toString(), eligible: parseDecimal(given).gte(minimum)}
  })
  const historyYears = Array.from({length: p.prepay.history_years}, (_, k) => year - p.prepay.history_years + k)
  const spending = fundSpendingFen(db, historyYears)
  const institutions = institutionRows(db)

  const lines: PrepayLine[] = []
  for (const institution of institutions) {
    for (const pool of institution.pools.split('|').filter((name) => p.pools.includes(name))) {
      const perYear = historyYears.map((y) => ({year: y, fen: spending.get(`${institution.institution_id}\t${pool}\t${y}`)}))
      const known = perYear.filter((entry) => entry.fen !== undefined).map((entry) => yuanOfFen(entry.fen!))
      const poolEligible = pools.find((entry) => entry.pool === pool)!.eligible
      const base = {institutionId: institution.institution_id, name: institution.name, pool, spendingYuan: perYear.map((entry) => ({year: entry.year, yuan: entry.fen === undefined ? '' : fenText(entry.fen)}))}
      if (known.length === 0 || !poolEligible) {
        const reason = !poolEligible ? `pool ${pool} reserve below ${p.prepay.pool_reserve_months_min[pool]!.toString()} months` : `no fund spending in ${historyYears.join(', ')}`
        lines.push({...base, monthlyAverageYuan: '0.00', prepaymentYuan: '0.00', eligible: false, reason})
        continue
      }
      const amount = prepaymentYuan({yearlySpendingYuan: known, months: p.prepay.months}, parsed.policy.roundingMode)
      const partial = known.length < historyYears.length ? `average of the ${known.length} year(s) with data` : ''
      lines.push({...base, monthlyAverageYuan: amount.monthlyAverageYuan.toFixed(2), prepaymentYuan: amount.prepaymentYuan.toFixed(2), eligible: true, reason: partial})
    }
  }
  const totalYuan = sum(lines.map((line) => parseDecimal(line.prepaymentYuan)))
  return db.transaction(() => {
    const inputs = {policy: {year, version: stored.version, sha256: stored.sha256}, historyYears, reserveMonths: options.reserveMonths}
    const runId = startRun(db, 'prepay', period, inputs)
    const store = runInstitutionWriter(db, runId)
    for (const line of lines) store(line.institutionId, line.pool, line)
    const result = {runId, year, policy: inputs.policy, months: p.prepay.months.toString(), pools, institutions: lines, totalYuan: totalYuan.toFixed(2)}
    const supersededRunId = finishRun(db, runId, 'prepay', period, result)
    return {...result, supersededRunId}
  })()
}
