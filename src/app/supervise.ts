/**
 * `yb audit --month | --year`: the supervision signals of src/quality/signals.ts over the cases of
 * the period's current payment runs, each with its evidence and the comparison it rests on,
 * recorded as an audit (audit_run) with its raised signals and their cases. It reads paid cases
 * and writes only its own record: it changes no case, run or money, in an open or closed period.
 *
 *   runSupervision(db, {period: '2025', months: ['2025-01', …]}) → {auditId: 3, raised: 4, splitAdmissions: […], institutions: […]}
 */
import {cheapBelowFen} from '../clearing/supervision.js'
import {inputError, InputErrors} from '../errors.js'
import {type AuditOptions, type InstitutionSignal, institutionSignals, SIGNAL_NAMES, type SignalKind, type SplitAdmission, splitAdmissions, type StratumCount} from '../quality/signals.js'
import type {Db} from '../store/db.js'
import {institutionRows} from '../store/institutions.js'
import {periodState} from '../store/runs.js'
import {groupCosts, groupCounts, institutionCases, qyCounts, readmissionCandidates, saveAudit, severityCounts, shortStays, type StoredSignal} from '../store/supervision.js'
import {upcodingDrivers} from './upcoding-drivers.js'
import {yearPolicy} from './year-policy.js'

/** Planned readmissions that are not split admissions: 放疗、化疗 sessions (Z51). */
const EXEMPT_DX_PREFIXES = ['Z51']

export interface SuperviseResult {
  readonly auditId: number
  readonly period: string
  readonly runs: readonly {readonly month: string; readonly runId: number}[]
  readonly options: AuditOptions
  readonly method: 'DRG' | 'DIP'
  readonly splitAdmissions: readonly SplitAdmission[]
  /** Every institution's value for each institution signal; `raised` where it passes the threshold. */
  readonly institutions: readonly InstitutionSignal[]
  /** 高套: for each raised institution, the secondary diagnoses that made its cases MCC/CC most often. */
  readonly upcodingDrivers: Readonly<Record<string, readonly {readonly code: string; readonly level: 'CC' | 'MCC'; readonly cases: number}[]>>
  readonly raised: {readonly total: number} & Readonly<Record<SignalKind, number>>
  readonly casesFlagged: number
}

export function runSupervision(db: Db, request: {readonly period: string; readonly months: readonly string[]; readonly institution?: string}): SuperviseResult {
  const runs = request.months.flatMap((month) => {
    const {runId} = periodState(db, 'pay', month)
    return runId === null ? [] : [{month, runId}]
  })
  if (runs.length === 0) throw new InputErrors([inputError(request.period, 0, '', 'reference_unknown', `${request.period} has no payment run to audit`, 'run `yb pay --month …` first')])
  const policy = yearPolicy(db, Number(request.period.slice(0, 4))).policy
  const a = policy.file.audit
  const options: AuditOptions = {
    readmissionDays: a?.readmission_days ?? 15,
    zMin: a?.z_min.toString() ?? '3',
    casesMin: a?.cases_min ?? 30,
    shortStayDays: a?.short_stay_days ?? 2,
    cheapShare: a?.cheap_share.toString() ?? '0.3',
  }
  const runIds = runs.map((r) => r.runId)
  const keep = <T extends {institutionId: string}>(rows: readonly T[]): T[] => (request.institution === undefined ? [...rows] : rows.filter((r) => r.institutionId === request.institution))

  const splits = keep(splitAdmissions(readmissionCandidates(db, runIds, options.readmissionDays), options, EXEMPT_DX_PREFIXES))
  const groups = groupCounts(db, runIds)
  const {counts: lowStandard, cases: cheapCases} = lowStandardCounts(db, runIds, options, groups)
  const levels = new Map(institutionRows(db).map((i) => [i.institution_id, i.level]))
  const peerOf = (institutionId: string): string => levels.get(institutionId) ?? ''
  const institutions = keep([
    ...(policy.file.method === 'DRG' ? institutionSignals('upcoding', severityCounts(db, runIds), options, peerOf) : []),
    ...institutionSignals('low_standard', lowStandard, options, peerOf),
    ...institutionSignals('low_outlier', groups.map((g) => ({institutionId: g.institutionId, stratum: g.drg, cases: g.cases, flagged: g.low})), options, peerOf),
    ...institutionSignals('qy_ungroupable', qyCounts(db, runIds), options, peerOf),
  ])
  if (request.institution !== undefined && institutions.length === 0 && splits.length === 0) {
    throw new InputErrors([inputError(request.period, 0, 'institution', 'reference_unknown', `institution ${request.institution} has no paid case in ${request.period}`)])
  }
  const raised = institutions.filter((s) => s.raised)
  const drivers: Record<string, {code: string; level: 'CC' | 'MCC'; cases: number}[]> = {}
  const stored: StoredSignal[] = splits.map((s) => ({kind: 'split_admission', institutionId: s.institutionId, subject: `${s.first.settlementId} → ${s.second.settlementId}`, evidence: s, cases: [s.first.settlementId, s.second.settlementId]}))
  for (const s of raised) {
    const cases = s.kind === 'low_standard' ? (cheapCases.get(s.institutionId) ?? []) : institutionCases(db, runIds, s.institutionId, s.kind === 'upcoding' ? 'severe' : s.kind === 'low_outlier' ? 'low_outlier' : 'qy')
    if (s.kind === 'upcoding') drivers[s.institutionId] = upcodingDrivers(db, Number(request.period.slice(0, 4)), cases)
    stored.push({kind: s.kind, institutionId: s.institutionId, subject: SIGNAL_NAMES[s.kind], evidence: {...s, ...(s.kind === 'upcoding' ? {drivers: drivers[s.institutionId]} : {})}, cases})
  }
  const count = (kind: SignalKind): number => (kind === 'split_admission' ? splits.length : raised.filter((s) => s.kind === kind).length)
  const kinds: SignalKind[] = ['split_admission', 'upcoding', 'low_standard', 'low_outlier', 'qy_ungroupable']
  const raisedCounts = {total: splits.length + raised.length, ...(Object.fromEntries(kinds.map((k) => [k, count(k)])) as Record<SignalKind, number>)}
  const casesFlagged = new Set(stored.flatMap((s) => s.cases)).size
  const inputs = {months: request.months, runs, options, institution: request.institution ?? null}
  const auditId = saveAudit(db, request.period, inputs, {raised: raisedCounts, casesFlagged}, stored)
  return {auditId, period: request.period, runs, options, method: policy.file.method, splitAdmissions: splits, institutions, upcodingDrivers: drivers, raised: raisedCounts, casesFlagged}
}

/** 低标入院 per institution and group: its grouped cases, and its short stays costing below cheapShare × the group's mean in the region. */
function lowStandardCounts(db: Db, runIds: readonly number[], options: AuditOptions, groups: ReturnType<typeof groupCounts>): {counts: StratumCount[]; cases: Map<string, string[]>} {
  const bounds = new Map<string, number>()
  for (const [drg, g] of groupCosts(db, runIds)) bounds.set(drg, cheapBelowFen(options.cheapShare, g.costFen, g.cases))
  const cheap = new Map<string, number>()
  const cases = new Map<string, string[]>()
  for (const [institutionId, drg, settlementId, costFen] of shortStays(db, runIds, options.shortStayDays)) {
    if (!(costFen < bounds.get(drg)!)) continue
    const key = `${institutionId}\t${drg}`
    cheap.set(key, (cheap.get(key) ?? 0) + 1)
    const own = cases.get(institutionId) ?? []
    own.push(settlementId)
    cases.set(institutionId, own)
  }
  return {counts: groups.map((g) => ({institutionId: g.institutionId, stratum: g.drg, cases: g.cases, flagged: cheap.get(`${g.institutionId}\t${g.drg}`) ?? 0})), cases}
}
