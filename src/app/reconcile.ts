/**
 * `yb reconcile`: every institution's statement of a recorded payment or clearing run — one
 * .xlsx (汇总, 明细, 参数, 校验) and the 汇总 and 明细 as CSV — and a manifest.csv listing every
 * file with its rows, totals and SHA-256, and the regional totals. Everything comes from the
 * period's current run as stored (its cases, lines, rates and policy snapshot); nothing is
 * recomputed, and nothing but the run's recorded time is dated, so a closed period gives the
 * same bytes every time.
 *
 *   await reconcile(db, {period: {kind: 'pay', period: '2025-03'}, outDir: 'out', encoding: 'utf-8'})
 *   → {runId: 7, files: [{file: '230100_H001_DRG_2025-03_月度预结算_v1.xlsx', sha256: '…'}, …], totals: {…}}
 */
import {mkdirSync, mkdtempSync, renameSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {parseDocument} from 'yaml'
import {differenceText, negatedText, sumAmountTexts} from '../clearing/ledger.js'
import {assert, inputError, InputErrors} from '../errors.js'
import {fileInside} from '../io/file-names.js'
import type {TextEncoding} from '../io/text-stream.js'
import type {Db} from '../store/db.js'
import {institutionRows} from '../store/institutions.js'
import {periodInfo} from '../store/periods.js'
import {assertClosedPeriodIntact, matchRecordedStatements, type RecordedStatements} from './closed-statements.js'
import {periodState, runCaseCount, type RunKind, type SettlementPeriod} from '../store/runs.js'
import type {PoolRateJson} from './payment-method.js'
import {equations, LINE_TYPES, MONTHLY_AMOUNTS, type StatementKind, SUMMARY_LEAD} from './statement.js'
import {CsvFile} from '../io/piece-writers.js'
import {DEFAULT_TIME_ZONE, localTime} from '../io/local-time.js'
import {type Institution, type ManifestFile, type PolicyTree, type StatementContext, text} from './statement-files.js'
import {OUTLIER_TEXT, type StatementBatch} from './statement-batch.js'
import {writeAllStatements} from './statement-workers.js'
import {writeCapitationStatement} from './capitation-statement.js'
import type {CapitationYearResult} from './capitation-clear.js'
import type {CapitationMonthResult} from './capitation-pay.js'

export type {ManifestFile} from './statement-files.js'

export interface ReconcileOptions {
  readonly period: SettlementPeriod
  readonly institution?: string
  readonly outDir: string
  readonly encoding: TextEncoding
  readonly onProgress?: (done: number, total: number) => void
}

export interface ReconcileResult {
  readonly kind: RunKind
  readonly period: string
  readonly runId: number
  readonly runAt: string
  readonly statementVersion: number
  /** Closed periods are final; an open one may still be rerun (its statements would then change). */
  readonly closed: boolean
  readonly method: string
  readonly region: {readonly code: string; readonly name: string}
  readonly outDir: string
  readonly encoding: TextEncoding
  readonly institutions: number
  readonly files: readonly ManifestFile[]
  readonly manifest: {readonly file: string; readonly sha256: string}
  /** A closed period's full UTF-8 statements: the manifest hash first recorded, and whether these match it (null otherwise). */
  readonly statementsRecorded: RecordedStatements | null
  readonly totals: {readonly cases: number; readonly fundDueYuan: string; readonly balanceYuan: string}
  /** Every 汇总 row's check equations held (a failure is a bug: the run's own figures disagree). */
  readonly checks: {readonly evaluated: number; readonly failed: number}
}

interface RunRow {
  started_at: string
  result_json: string
}

/** A payment run's correction lines (冲正 / 补退) with the corrected case they settle. */
const CORRECTION_QUERY = `
  SELECT r.settlement_id, r.reverses_run_id, r.reversed_institution_id, r.reversed_pool, r.reversed_fund_yuan, r.institution_id, r.pool,
         x.case_no, x.insured_region, x.admit_date, x.discharge_date, x.los_days, x.discharge_mode, x.dx_codes, x.px_codes,
         r.status, r.drg, r.weight, r.points, r.payment, r.outlier, r.standard_yuan, r.adjusted_yuan, x.total_cost, x.fund_recorded, r.fund_yuan, x.original_month
  FROM run_correction r JOIN case_correction x ON x.settlement_id = r.settlement_id AND x.month = ?
  WHERE r.run_id = ? AND (? = '' OR r.institution_id = ? OR r.reversed_institution_id = ?)
  ORDER BY r.settlement_id`

export async function reconcile(db: Db, options: ReconcileOptions): Promise<ReconcileResult> {
  const {kind, period} = options.period
  const statementKind: StatementKind = kind === 'pay' ? 'monthly' : 'yearly'
  const state = periodState(db, kind, period)
  if (state.runId === null) {
    throw new InputErrors([inputError(period, 0, '', 'reference_unknown', `${kind} ${period} has no run to reconcile`, `run \`yb ${kind} --${kind === 'pay' ? 'month' : 'year'} ${period}\` first`)])
  }
  const runId = state.runId
  const closed = periodInfo(db, kind, period).state === 'closed'
  const run = db.prepare('SELECT started_at, result_json FROM run WHERE run_id = ?').get(runId) as RunRow
  const result = JSON.parse(run.result_json) as {policy?: {year: number; version: number; sha256: string}; rates: PoolRateJson[]; roundingStage: 'CASE' | 'INSTITUTION'; capitation?: CapitationMonthResult | CapitationYearResult | null}
  const statementVersion = (db.prepare('SELECT COUNT(*) AS n FROM run WHERE kind = ? AND period = ? AND run_id <= ?').get(kind, period, runId) as {n: number}).n
  const policyRef = result.policy ?? (JSON.parse((db.prepare('SELECT inputs_json FROM run WHERE run_id = ?').get(runId) as {inputs_json: string}).inputs_json) as {policy: {year: number; version: number; sha256: string}}).policy
  const policyRow = db.prepare('SELECT text, sha256 FROM policy_version WHERE year = ? AND version = ?').get(policyRef.year, policyRef.version) as {text: string; sha256: string}
  const policyValues = parseDocument(policyRow.text, {schema: 'failsafe'}).toJS() as PolicyTree
  const region = {code: text(policyValues, 'region.code'), name: text(policyValues, 'region.name')}
  const timeZone = text(policyValues, 'region.time_zone') || DEFAULT_TIME_ZONE
  const method = text(policyValues, 'method')
  const linesByInstitution = new Map<string, Map<string, Record<string, unknown>>>()
  for (const row of db.prepare('SELECT institution_id, pool, lines_json FROM run_institution WHERE run_id = ? ORDER BY institution_id, pool').all(runId) as {institution_id: string; pool: string; lines_json: string}[]) {
    const pools = linesByInstitution.get(row.institution_id) ?? new Map<string, Record<string, unknown>>()
    pools.set(row.pool, JSON.parse(row.lines_json) as Record<string, unknown>)
    linesByInstitution.set(row.institution_id, pools)
  }
  // Names and levels as the run recorded them: a later change to an institution never changes a closed period's statement.
  const table = new Map(institutionRows(db).map((i) => [i.institution_id, i]))
  const institutions = new Map<string, Institution>()
  for (const [id, pools] of linesByInstitution) {
    const line = [...pools.values()][0] as {name?: string; level?: string}
    institutions.set(id, {institution_id: id, name: line.name ?? table.get(id)?.name ?? '', level: line.level ?? table.get(id)?.level ?? ''})
  }
  const institution = options.institution ?? ''
  const capitationIds = new Set(result.capitation === null || result.capitation === undefined ? [] : 'lines' in result.capitation ? result.capitation.lines.map((l) => l.institutionId) : result.capitation.institutions.map((i) => i.institutionId))
  if (institution !== '' && !linesByInstitution.has(institution) && !capitationIds.has(institution)) {
    throw new InputErrors([inputError(period, 0, 'institution', 'reference_unknown', `institution ${institution} is not in ${kind} run ${runId} of ${period}`)])
  }
  // The cases per institution as the run's lines recorded them: enough to share the institutions
  // between the workers and to show progress, without a pass over a million case rows before the
  // first statement. That the statements hold every stored case is checked after they are written.
  const recordedCases = new Map([...linesByInstitution].map(([id, pools]) => [id, [...pools.values()].reduce((n, line) => n + (typeof line.cases === 'number' ? line.cases : 0), 0)]))
  const totalCases = institution === '' ? [...recordedCases.values()].reduce((a, b) => a + b, 0) : (recordedCases.get(institution) ?? 0)
  const clearLines = kind === 'clear' ? clearLineHeaders(linesByInstitution) : []
  const summaryHeaders = [...SUMMARY_LEAD, ...(kind === 'pay' ? MONTHLY_AMOUNTS : clearLines.map((l) => l.label)), ...(kind === 'clear' ? ['本期应补应扣'] : [])]
  const rowEquations = equations(statementKind, result.roundingStage, clearLines)
  const settlementType = kind === 'pay' ? '月度预结算' : '年度清算'
  const context: StatementContext = {
    kind,
    period,
    runId,
    // 制单时间: the run's time in the region's zone, as the office reads its clock.
    runAt: localTime(run.started_at, timeZone),
    settlementType,
    method,
    region,
    rates: result.rates,
    summaryHeaders,
    rowEquations,
    policy: {year: policyRef.year, version: policyRef.version, sha256: policyRow.sha256, values: policyValues},
    encoding: options.encoding,
  }

  mkdirSync(options.outDir, {recursive: true})
  // Everything is written into a staging folder and moved into place once complete, the manifest
  // last: a reconcile that fails leaves the folder's earlier statements and manifest as they were.
  const staging = mkdtempSync(join(options.outDir, '.yb-reconcile-'))
  try {
    const periodEnd = kind === 'pay' ? period : `${period}-12`
    const names = new Map<string, string>([...institutions].map(([id, i]) => [id, i.name]))
    const corrections = kind === 'pay' ? correctionDetails(db, runId, period, institution, names, method) : new Map<string, string[][]>()
    const batch: StatementBatch = {staging, context, runId, periodEnd, statementVersion, institutionIds: institution === '' ? null : [institution], institutions, lines: linesByInstitution, corrections, caseCounts: recordedCases}
    // A closed period's rows are checked against its run's seal while the statement workers write into the staging folder
    // (about 3 s for a million cases, which would otherwise come first): a changed row is refused before any file leaves it.
    const stop = new AbortController()
    const writing = writeAllStatements(db.name, db, batch, totalCases, options.onProgress, stop.signal)
    let storedCases: number
    try {
      if (closed) assertClosedPeriodIntact(db, kind === 'pay' ? 'pay' : 'clear', period, runId)
      storedCases = runCaseCount(db, runId, institution === '' ? undefined : institution)
    } catch (error) {
      stop.abort()
      await writing.catch(() => undefined)
      throw error
    }
    const {files, checksEvaluated, checksFailed} = await writing
    // Every stored case of the run is a 明细 line of one statement, beside the correction lines.
    const detailLines = files.filter((f) => f.kind === 'xlsx').reduce((n, f) => n + f.rows - (corrections.get(f.institutionId)?.length ?? 0), 0)
    assert(detailLines === storedCases, `reconcile run ${runId}: the statements show ${detailLines} of the run's ${storedCases} stored cases`)
    const capitationFile = writeCapitationStatement(staging, {kind, regionCode: region.code, period, settlementType, statementVersion, encoding: options.encoding, institution}, result.capitation)
    if (capitationFile !== undefined) files.push(capitationFile)
    files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    assert(checksFailed === 0, `reconcile run ${runId}: ${checksFailed} check equation(s) fail on the run's own figures`)

    const xlsx = files.filter((f) => f.kind === 'xlsx')
    const totals = {
      cases: xlsx.reduce((n, f) => n + f.cases, 0),
      fundDueYuan: sumAmountTexts(xlsx.map((f) => f.fundDueYuan)),
      balanceYuan: sumAmountTexts(xlsx.map((f) => f.balanceYuan)),
    }
    const manifestRows = [
      ['文件', '机构编码', '文件类型', '行数', '出院人次', '统筹基金应支付', kind === 'pay' ? '本期拨付' : '本期应补应扣', 'SHA-256'],
      ...files.map((f) => [f.file, f.institutionId, f.kind, String(f.rows), String(f.cases), f.fundDueYuan, f.balanceYuan, f.sha256]),
      ['合计', `${xlsx.length} 家机构`, '', '', String(totals.cases), totals.fundDueYuan, totals.balanceYuan, ''],
    ]
    const manifest = new CsvFile(join(staging, 'manifest.csv'), options.encoding)
    for (const row of manifestRows) manifest.row(row)
    const manifestSha = manifest.close()
    for (const f of files) renameSync(join(staging, f.file), fileInside(options.outDir, f.file))
    renameSync(join(staging, 'manifest.csv'), fileInside(options.outDir, 'manifest.csv'))
    // The statements of a closed period are facts too: the first full set is recorded, the next ones must be the same bytes.
    const recorded = closed && institution === '' && options.encoding === 'utf-8' ? matchRecordedStatements(db, kind === 'pay' ? 'pay' : 'clear', period, manifestSha) : undefined
    return {
      statementsRecorded: recorded === undefined ? null : recorded,
      kind,
      period,
      runId,
      runAt: run.started_at,
      statementVersion,
      closed: state.state === 'closed',
      method,
      region,
      outDir: options.outDir,
      encoding: options.encoding,
      institutions: xlsx.length,
      files,
      manifest: {file: 'manifest.csv', sha256: manifestSha},
      totals,
      checks: {evaluated: checksEvaluated, failed: checksFailed},
    }
  } finally {
    rmSync(staging, {recursive: true, force: true})
  }
}

/** The clearing's lines in their order (the same for every institution of a run). */
function clearLineHeaders(lines: ReadonlyMap<string, ReadonlyMap<string, Record<string, unknown>>>): {key: string; label: string; sign: number}[] {
  // The 病例合计 line goes by the statement's own name for it, which the check equations use.
  const label = (l: {key: string; label: string}) => (l.key === 'casesFund' ? '病例基金合计' : l.label)
  for (const pools of lines.values()) for (const line of pools.values()) return (line.lines as {key: string; label: string; sign: number}[]).map((l) => ({key: l.key, label: label(l), sign: l.sign}))
  return []
}

/**
 * A payment run's corrections as 明细 lines by institution: 冲正 (what was paid for the case comes
 * back, naming the run that paid it) at the institution paid then, and 补退 (the corrected case as
 * priced now) at the institution paid now.
 */
function correctionDetails(db: Db, runId: number, month: string, institution: string, names: ReadonlyMap<string, string>, method: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>()
  const push = (id: string, row: string[]) => out.set(id, [...(out.get(id) ?? []), row])
  const rows = db.prepare(CORRECTION_QUERY).raw(true).all(month, runId, institution, institution, institution) as string[][]
  for (const [settlementId, reversesRunId, reversedInstitution, reversedPool, reversedFund, institutionId, pool, caseNo, region, admit, discharge, los, mode, dx, px, status, group, weight, points, payment, outlier, standard, adjusted, cost, recorded, fund, originalMonth] of rows as string[][] as [string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string][]) {
    if (institution === '' || reversedInstitution === institution) {
      const zero = '0.00'
      push(reversedInstitution, [settlementId, caseNo, reversedInstitution, names.get(reversedInstitution) ?? '', reversedPool, region, admit, discharge, los, mode, dx.split('|')[0] ?? '', px.split('|')[0] ?? '', method, '', LINE_TYPES.reversal, '', '', '', zero, zero, zero, zero, zero, negatedText(reversedFund), zero, '', LINE_TYPES.reversal, `冲正 run ${reversesRunId} (${originalMonth} 结算) 已付 ${reversedFund}`])
    }
    if (institution === '' || institutionId === institution) {
      push(institutionId, [settlementId, caseNo, institutionId, names.get(institutionId) ?? '', pool, region, admit, discharge, los, mode, dx.split('|')[0] ?? '', px.split('|')[0] ?? '', status === 'per_diem' ? '床日' : status === 'items' ? '项目' : method, group, LINE_TYPES.correction, weight, points, payment === 'drg' ? (OUTLIER_TEXT[outlier] ?? outlier) : '', standard, adjusted, cost, recorded, differenceText(cost, recorded), fund, differenceText(adjusted, cost), '', LINE_TYPES.correction, `补退 (更正 ${originalMonth} 结算, 冲正 run ${reversesRunId})`])
    }
  }
  return out
}
