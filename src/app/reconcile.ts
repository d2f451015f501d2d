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
import {createHash} from 'node:crypto'
import {mkdirSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {parseDocument} from 'yaml'
import {sumUnitsText} from '../clearing/units.js'
import {differenceText, negatedText, sumAmountTexts} from '../clearing/ledger.js'
import {assert, inputError, InputErrors} from '../errors.js'
import {csvField, type TextEncoding} from '../io/text-stream.js'
import {columnName, writeXlsx, type XlsxCell, type XlsxSheet} from '../io/xlsx.js'
import type {Db} from '../store/db.js'
import {institutionRows} from '../store/institutions.js'
import {periodInfo} from '../store/periods.js'
import {assertClosedPeriodIntact, matchRecordedStatements} from './closed-statements.js'
import {periodState, type RunKind, type SettlementPeriod} from '../store/runs.js'
import type {PoolRateJson} from './payment-method.js'
import {CORRECTION_LINES} from '../clearing/equations.js'
import {DETAIL_AMOUNTS, DETAIL_HEADERS, LINE_TYPES, type Equation, equations, evaluate, type EvaluatedCheck, MONTHLY_AMOUNTS, type StatementKind, SUMMARY_LEAD, type Term} from './statement.js'

export interface ReconcileOptions {
  readonly period: SettlementPeriod
  readonly institution?: string
  readonly outDir: string
  readonly encoding: TextEncoding
  readonly onProgress?: (done: number, total: number) => void
}

export interface ManifestFile {
  readonly file: string
  readonly institutionId: string
  readonly kind: 'xlsx' | 'summary_csv' | 'detail_csv'
  readonly rows: number
  readonly cases: number
  /** Σ 统筹基金应支付 of the file's institution (all pools). */
  readonly fundDueYuan: string
  /** Σ 本期拨付 (monthly) or 本期应补应扣 (yearly). */
  readonly balanceYuan: string
  readonly sha256: string
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
  readonly statementsRecorded: {readonly recorded: string; readonly matches: boolean} | null
  readonly totals: {readonly cases: number; readonly fundDueYuan: string; readonly balanceYuan: string}
  /** Every 汇总 row's check equations held (a failure is a bug: the run's own figures disagree). */
  readonly checks: {readonly evaluated: number; readonly failed: number}
}

interface RunRow {
  started_at: string
  result_json: string
}

interface Institution {
  institution_id: string
  name: string
  level: string
}

const STATUS_TEXT: Record<string, string> = {grouped: '入组', qy: '歧义组(QY)', ungroupable: '未入组(0000)', invalid: '待更正', per_diem: '床日', items: '按项目'}
const OUTLIER_TEXT: Record<string, string> = {normal: '正常', high: '高倍率', low: '低倍率', mid_low: '中低倍率', extreme: '极端异常'}
const SPECIAL_TEXT: Record<string, string> = {approved: '通过', rejected: '不通过', pending: '待审'}

// A case is shown as the run priced it: its latest correction up to the period's end, if any (the clearing prices that one).
const CASE_QUERY = `
  SELECT r.settlement_id, COALESCE(x.case_no, c.case_no), r.institution_id, r.pool, COALESCE(x.insured_region, c.insured_region), COALESCE(x.admit_date, c.admit_date),
         COALESCE(x.discharge_date, c.discharge_date), COALESCE(x.los_days, c.los_days), COALESCE(x.discharge_mode, c.discharge_mode),
         COALESCE(x.dx_codes, c.dx_codes), COALESCE(x.px_codes, c.px_codes), r.status, r.drg, r.weight, r.points, r.payment, r.outlier, r.standard_yuan, r.adjusted_yuan,
         COALESCE(x.total_cost, c.total_cost), COALESCE(x.fund_recorded, c.fund_recorded), r.fund_yuan, r.special, c.month, COALESCE(x.month, '')
  FROM run_case r JOIN settlement_case c USING (settlement_id)
  LEFT JOIN case_correction x ON x.settlement_id = r.settlement_id AND x.month = (SELECT MAX(month) FROM case_correction y WHERE y.settlement_id = r.settlement_id AND y.month <= ?)
  WHERE r.run_id = ? AND (? = '' OR r.institution_id = ?)
  ORDER BY r.institution_id, r.settlement_id`

type CaseValues = [string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string]

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
  if (closed) assertClosedPeriodIntact(db, kind === 'pay' ? 'pay' : 'clear', period, runId)
  const run = db.prepare('SELECT started_at, result_json FROM run WHERE run_id = ?').get(runId) as RunRow
  const result = JSON.parse(run.result_json) as {policy?: {year: number; version: number; sha256: string}; rates: PoolRateJson[]; roundingStage: 'CASE' | 'INSTITUTION'}
  const statementVersion = (db.prepare('SELECT COUNT(*) AS n FROM run WHERE kind = ? AND period = ? AND run_id <= ?').get(kind, period, runId) as {n: number}).n
  const policyRef = result.policy ?? (JSON.parse((db.prepare('SELECT inputs_json FROM run WHERE run_id = ?').get(runId) as {inputs_json: string}).inputs_json) as {policy: {year: number; version: number; sha256: string}}).policy
  const policyRow = db.prepare('SELECT text, sha256 FROM policy_version WHERE year = ? AND version = ?').get(policyRef.year, policyRef.version) as {text: string; sha256: string}
  const policyValues = parseDocument(policyRow.text, {schema: 'failsafe'}).toJS() as PolicyTree
  const region = {code: text(policyValues, 'region.code'), name: text(policyValues, 'region.name')}
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
  if (institution !== '' && !linesByInstitution.has(institution)) {
    throw new InputErrors([inputError(period, 0, 'institution', 'reference_unknown', `institution ${institution} is not in ${kind} run ${runId} of ${period}`)])
  }
  const totalCases = (db.prepare("SELECT COUNT(*) AS n FROM run_case WHERE run_id = ? AND (? = '' OR institution_id = ?)").get(runId, institution, institution) as {n: number}).n
  const clearLines = kind === 'clear' ? clearLineHeaders(linesByInstitution) : []
  const summaryHeaders = [...SUMMARY_LEAD, ...(kind === 'pay' ? MONTHLY_AMOUNTS : clearLines.map((l) => l.label)), ...(kind === 'clear' ? ['本期应补应扣'] : [])]
  const rowEquations = equations(statementKind, result.roundingStage, clearLines)
  const settlementType = kind === 'pay' ? '月度预结算' : '年度清算'
  const context: StatementContext = {
    kind,
    period,
    runId,
    runAt: run.started_at,
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
  const files: ManifestFile[] = []
  let checksEvaluated = 0
  let checksFailed = 0
  let done = 0
  let current: InstitutionBuffer | undefined
  const names = new Map<string, string>([...institutions].map(([id, i]) => [id, i.name]))
  const flush = (): void => {
    if (current === undefined) return
    current.details.push(...(corrections.get(current.institutionId) ?? []))
    const written = writeInstitution(options.outDir, context, current, institutions.get(current.institutionId), linesByInstitution.get(current.institutionId) ?? new Map(), statementVersion)
    files.push(...written.files)
    checksEvaluated += written.checks.length
    checksFailed += written.checks.filter((c) => !c.holds).length
    current = undefined
  }
  const periodEnd = kind === 'pay' ? period : `${period}-12`
  const corrections = kind === 'pay' ? correctionDetails(db, runId, period, institution, names, method) : new Map<string, string[][]>()
  for (const values of db.prepare(CASE_QUERY).raw(true).iterate(periodEnd, runId, institution, institution) as IterableIterator<CaseValues>) {
    const institutionId = values[2]
    if (current?.institutionId !== institutionId) {
      flush()
      current = {institutionId, details: []}
    }
    current.details.push(detailRow(values, names.get(institutionId) ?? '', method))
    if (++done % 20_000 === 0) options.onProgress?.(done, totalCases)
  }
  flush()
  // Institutions with lines but no case of the run (e.g. a deduction only) still get their statement.
  for (const id of linesByInstitution.keys()) {
    if ((institution === '' || id === institution) && !files.some((f) => f.institutionId === id)) {
      current = {institutionId: id, details: []}
      flush()
    }
  }
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
  const manifestSha = writeAtomic(join(options.outDir, 'manifest.csv'), encodeCsv(manifestRows, options.encoding))
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
}

type PolicyTree = {readonly [key: string]: PolicyTree | string | readonly (PolicyTree | string)[]}

function text(tree: PolicyTree, path: string): string {
  let node: unknown = tree
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key]
  return typeof node === 'string' ? node : ''
}

interface StatementContext {
  readonly kind: RunKind
  readonly period: string
  readonly runId: number
  readonly runAt: string
  readonly settlementType: string
  readonly method: string
  readonly region: {readonly code: string; readonly name: string}
  readonly rates: readonly PoolRateJson[]
  readonly summaryHeaders: readonly string[]
  readonly rowEquations: readonly Equation[]
  readonly policy: {readonly year: number; readonly version: number; readonly sha256: string; readonly values: PolicyTree}
  readonly encoding: TextEncoding
}

interface InstitutionBuffer {
  readonly institutionId: string
  readonly details: string[][]
}

/** The clearing's lines in their order (the same for every institution of a run). */
function clearLineHeaders(lines: ReadonlyMap<string, ReadonlyMap<string, Record<string, unknown>>>): {key: string; label: string; sign: number}[] {
  // The 病例合计 line goes by the statement's own name for it, which the check equations use.
  const label = (l: {key: string; label: string}) => (l.key === 'casesFund' ? '病例基金合计' : l.label)
  for (const pools of lines.values()) for (const line of pools.values()) return (line.lines as {key: string; label: string; sign: number}[]).map((l) => ({key: l.key, label: label(l), sign: l.sign}))
  return []
}

function detailRow(v: CaseValues, institutionName: string, method: string): string[] {
  const [settlementId, caseNo, institutionId, pool, insuredRegion, admit, discharge, los, dischargeMode, dx, px, status, group, weight, points, payment, outlier, standard, adjusted, cost, recorded, fund, special, month, correctedIn] = v
  const late = discharge !== '' && discharge.slice(0, 7) < month
  const type = correctedIn !== '' ? LINE_TYPES.corrected : late ? LINE_TYPES.late : LINE_TYPES.normal
  const note = [late ? `出院 ${discharge.slice(0, 7)}, ${month} 申报` : '', correctedIn !== '' ? `${correctedIn} 更正` : ''].filter(Boolean).join('; ')
  return [
    settlementId,
    caseNo,
    institutionId,
    institutionName,
    pool,
    insuredRegion,
    admit,
    discharge,
    los,
    dischargeMode,
    dx.split('|')[0] ?? '',
    px.split('|')[0] ?? '',
    status === 'per_diem' ? '床日' : status === 'items' ? '项目' : method,
    group,
    STATUS_TEXT[status] ?? status,
    weight,
    points,
    payment === 'drg' ? (OUTLIER_TEXT[outlier] ?? outlier) : '',
    standard,
    adjusted,
    cost,
    recorded,
    differenceText(cost, recorded),
    fund,
    differenceText(adjusted, cost),
    SPECIAL_TEXT[special] ?? special,
    type,
    note,
  ]
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

/** Points are stored at the policy's score scale (4 dp by default; up to 10). */
const POINT_PLACES = 10

const DETAIL_COLUMN = new Map<string, number>(DETAIL_HEADERS.map((h, k) => [h, k]))
const POOL = DETAIL_COLUMN.get('险种')!

function writeInstitution(
  outDir: string,
  context: StatementContext,
  buffer: InstitutionBuffer,
  institution: Institution | undefined,
  lines: ReadonlyMap<string, Record<string, unknown>>,
  version: number,
): {files: ManifestFile[]; checks: EvaluatedCheck[]} {
  const id = buffer.institutionId
  const base = `${context.region.code}_${id}_${context.method}_${context.period}_${context.settlementType}_v${version}`
  const pools = [...new Set([...lines.keys(), ...buffer.details.map((d) => d[POOL]!)])].sort()
  // Each pool's cases, split once: its 汇总 row and its check equations read the same rows.
  const poolDetails = pools.map((pool) => buffer.details.filter((d) => d[POOL] === pool))
  const summaries = pools.map((pool, r) => summaryRow(context, id, institution, pool, lines.get(pool), poolDetails[r]!))
  const checks = summaries.flatMap((summary, r) => {
    const record = Object.fromEntries(context.summaryHeaders.map((h, k) => [h, summary[k]!]))
    const details = poolDetails[r]!.map((d) => Object.fromEntries(DETAIL_HEADERS.map((h, k) => [h, d[k]!])))
    return evaluate(context.rowEquations, {summary: record, details}).map((c) => ({...c, name: `${pools[r]} ${c.name}`}))
  })

  const amountSummary = new Set<string>([...MONTHLY_AMOUNTS, '医疗总费用', '统筹基金记账', '个人负担', '本期应补应扣', ...context.summaryHeaders.slice(SUMMARY_LEAD.length)])
  const summaryCells = (row: readonly string[]): XlsxCell[] =>
    row.map((cell, k) => {
      const header = context.summaryHeaders[k]!
      if (cell === '') return null
      if (amountSummary.has(header)) return {n: cell}
      if (header === '总点数') return {n: cell, places: 4}
      if (header.endsWith('人次')) return {n: cell, places: 0}
      return cell
    })
  const detailCells = (row: readonly string[]): XlsxCell[] =>
    row.map((cell, k) => {
      const header = DETAIL_HEADERS[k]!
      if (cell === '') return null
      return DETAIL_AMOUNTS.has(header) ? {n: cell} : header === '病例点数' ? {n: cell, places: 4} : cell
    })
  const sheets: XlsxSheet[] = [
    {name: '汇总', rows: [context.summaryHeaders, ...summaries.map(summaryCells)]},
    {name: '明细', rows: [DETAIL_HEADERS, ...buffer.details.map(detailCells)]},
    {name: '参数', rows: [['参数', '值', '来源'], ...parameterRows(context, id, institution, pools)]},
    {name: '校验', rows: [['校验项', '左边', '右边', '结果'], ...checkRows(context, pools, buffer.details.length, checks)]},
  ]
  const xlsxName = `${base}.xlsx`
  const summaryName = `${base}_汇总.csv`
  const detailName = `${base}_明细.csv`
  const balanceHeader = context.kind === 'pay' ? '本期拨付' : '本期应补应扣'
  const column = (header: string) => summaries.map((row) => row[context.summaryHeaders.indexOf(header)]!)
  const figures = {institutionId: id, cases: buffer.details.length, fundDueYuan: sumAmountTexts(column('统筹基金应支付')), balanceYuan: sumAmountTexts(column(balanceHeader))}
  return {
    checks,
    files: [
      {...figures, file: xlsxName, kind: 'xlsx', rows: buffer.details.length, sha256: writeAtomic(join(outDir, xlsxName), writeXlsx(sheets, buffer.details.length > 20_000 ? 1 : 6))},
      {...figures, file: summaryName, kind: 'summary_csv', rows: summaries.length, sha256: writeAtomic(join(outDir, summaryName), encodeCsv([context.summaryHeaders, ...summaries], context.encoding))},
      {...figures, file: detailName, kind: 'detail_csv', rows: buffer.details.length, sha256: writeAtomic(join(outDir, detailName), encodeCsv([DETAIL_HEADERS, ...buffer.details], context.encoding))},
    ],
  }
}

function summaryRow(context: StatementContext, id: string, institution: Institution | undefined, pool: string, line: Record<string, unknown> | undefined, details: readonly string[][]): string[] {
  const count = (column: string, values: readonly string[]) => String(details.filter((d) => values.includes(d[DETAIL_COLUMN.get(column)!]!)).length)
  const sumFen = (column: string) => sumAmountTexts(details.map((d) => d[DETAIL_COLUMN.get(column)!]!))
  const rate = context.rates.find((r) => r.pool === pool)
  const pointsColumn = DETAIL_COLUMN.get('病例点数')!
  const hasPoints = details.some((d) => d[pointsColumn] !== '')
  const points = hasPoints ? sumPoints(details.map((d) => d[pointsColumn]!)) : ''
  const lead: Record<(typeof SUMMARY_LEAD)[number], string> = {
    统筹区: context.region.code,
    机构编码: id,
    机构名称: institution?.name ?? '',
    医院等级: institution?.level ?? '',
    付费方式: context.method,
    险种: pool,
    结算期间: context.period,
    清算类型: context.settlementType,
    结算批次号: String(context.runId),
    制单时间: context.runAt,
    出院人次: String(details.filter((d) => !CORRECTION_LINES.has(d[DETAIL_COLUMN.get('结算类型')!]!)).length),
    入组人次: count('入组状态', ['入组']),
    未入组人次: count('入组状态', ['歧义组(QY)', '未入组(0000)']),
    高倍率人次: count('偏差类型', ['高倍率', '极端异常']),
    低倍率人次: count('偏差类型', ['低倍率', '中低倍率']),
    床日人次: count('入组状态', ['床日']),
    按项目人次: count('入组状态', ['按项目']),
    待更正人次: count('入组状态', ['待更正']),
    特例单议人次: count('特例单议', ['通过', '不通过', '待审']),
    医疗总费用: sumFen('医疗总费用'),
    统筹基金记账: sumFen('统筹基金记账'),
    个人负担: sumFen('个人负担'),
    总点数: points,
    '费率/点值': rate === undefined ? '' : 'pointValueYuan' in rate ? rate.pointValueYuan : rate.rateYuanPerWeight,
  }
  const head = SUMMARY_LEAD.map((h) => lead[h])
  if (context.kind === 'pay') {
    const l = (line ?? {}) as Record<string, string>
    return [
      ...head,
      l.casesFundYuan ?? '0.00',
      l.roundingResidueYuan ?? '0.00',
      l.fundDueYuan ?? '0.00',
      l.deductionsYuan ?? '0.00',
      l.carriedInYuan ?? '0.00',
      // Runs before carry-forward took every deduction of their month.
      l.deductionsTakenYuan ?? l.deductionsYuan ?? '0.00',
      l.carriedOutYuan ?? '0.00',
      l.payYuan ?? '0.00',
      l.withheldYuan ?? '0.00',
    ]
  }
  const lines = ((line?.lines ?? []) as {label: string; amountYuan: string}[]).map((l) => l.amountYuan)
  return [...head, ...lines, (line?.balanceYuan as string | undefined) ?? '0.00']
}

/** Σ of the cases' point texts, exactly: at least 4 places (§6.3: scores have 4 dp), more only where a score scale gives them. */
function sumPoints(values: readonly string[]): string {
  return sumUnitsText(values.filter((v) => v !== ''), POINT_PLACES, 4)
}

/** 参数: the rates or point values used, the institution's coefficient, and every policy value the payment reads, each with its path in the policy. */
function parameterRows(context: StatementContext, id: string, institution: Institution | undefined, pools: readonly string[]): XlsxCell[][] {
  const source = (path: string) => `policy ${context.policy.year} v${context.policy.version}: ${path}`
  const rows: XlsxCell[][] = [['政策版本', `${context.policy.year} v${context.policy.version}`, `sha256 ${context.policy.sha256}`], ['结算批次号', String(context.runId), `${context.kind} run, ${context.runAt}`]]
  for (const rate of context.rates) {
    if (!pools.includes(rate.pool)) continue
    const points = 'pointValueYuan' in rate
    const value = points ? rate.pointValueYuan : rate.rateYuanPerWeight
    const path = context.method === 'DIP' ? `dip.point_value_yuan.${rate.pool}` : points ? `drg.point_value_yuan.${rate.pool}` : `drg.rate_yuan_per_weight.${rate.pool}`
    rows.push([`${rate.pool} ${points ? '点值' : '费率'}`, {n: value, places: 4}, rate.source === 'published' ? source(path) : `computed by run ${context.runId} from budget.* (${path}: computed)`])
  }
  const level = institution?.level ?? ''
  const byInstitution = text(context.policy.values, `coefficients.by_institution.${id}`)
  rows.push(['机构系数', byInstitution || text(context.policy.values, `coefficients.by_level.${level}`), byInstitution ? source(`coefficients.by_institution.${id}`) : `institution file, else ${source(`coefficients.by_level.${level}`)}`])
  const sections = ['budget', 'reimbursement_ratio', context.method === 'DIP' ? 'dip' : 'drg', 'per_diem', 'coefficients.exempt_groups', 'monthly', ...(context.kind === 'clear' ? ['quality_deposit', 'assessment', 'band', 'prepay'] : []), 'rounding']
  for (const section of sections) {
    let node: unknown = context.policy.values
    for (const key of section.split('.')) node = (node as Record<string, unknown> | undefined)?.[key]
    for (const [path, value] of flatten(section, node)) rows.push([path, value, source(path)])
  }
  return rows
}

function flatten(path: string, node: unknown): [string, string][] {
  if (node === undefined || node === null) return []
  if (typeof node === 'string') return [[path, node]]
  if (Array.isArray(node)) return node.length === 0 ? [[path, '[]']] : node.flatMap((item, k) => flatten(`${path}.${k}`, item))
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => flatten(`${path}.${key}`, value))
}

/** 校验: each equation with its two sides as formulas over 汇总 and 明细 (cached with the values found now) and 通过/不通过. */
function checkRows(context: StatementContext, pools: readonly string[], detailRows: number, checks: readonly EvaluatedCheck[]): XlsxCell[][] {
  const lastDetail = detailRows + 1
  const detailRange = (header: string) => `'明细'!$${columnName(DETAIL_COLUMN.get(header)!)}$2:$${columnName(DETAIL_COLUMN.get(header)!)}$${Math.max(2, lastDetail)}`
  const poolRange = detailRange('险种')
  const rows: XlsxCell[][] = []
  pools.forEach((pool, r) => {
    const summaryRowNumber = r + 2
    const termFormula = (term: Term): string => {
      if ('cell' in term) return `'汇总'!$${columnName(context.summaryHeaders.indexOf(term.cell))}$${summaryRowNumber}`
      if ('detailCount' in term) return `COUNTIFS(${poolRange},"${pool}",${detailRange('结算类型')},"<>冲正",${detailRange('结算类型')},"<>补退")`
      return `SUMIF(${poolRange},"${pool}",${detailRange(term.detailSum)})`
    }
    const sideFormula = (terms: Equation['left']): string => terms.map((t, k) => `${k === 0 ? (t.sign < 0 ? '-' : '') : t.sign < 0 ? '-' : '+'}${termFormula(t.term)}`).join('')
    context.rowEquations.forEach((equation, e) => {
      const check = checks[r * context.rowEquations.length + e]!
      const rowNumber = rows.length + 2
      const right = sideFormula(equation.right)
      const count = equation.name.startsWith('出院人次')
      rows.push([
        check.name,
        {f: sideFormula(equation.left), cached: {n: check.left, places: count ? 0 : 2}},
        {f: equation.rightFloor0 === true ? `MAX(0,${right})` : right, cached: {n: check.right, places: count ? 0 : 2}},
        {f: `IF(ROUND(B${rowNumber}-C${rowNumber},2)=0,"通过","不通过")`, cached: check.holds ? '通过' : '不通过'},
      ])
    })
  })
  return rows
}

/** CSV text with a BOM (UTF-8) or in GB18030, CRLF-free, every field quoted only when it must be. */
function encodeCsv(rows: readonly (readonly string[])[], encoding: TextEncoding): Buffer {
  let body = ''
  for (const row of rows) body += `${row.map(csvField).join(',')}\n`
  return encoding === 'utf-8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]) : iconv.encode(body, 'gb18030')
}

/** Writes through a temporary name; returns the content's SHA-256. */
function writeAtomic(path: string, bytes: Buffer): string {
  writeFileSync(`${path}.partial`, bytes)
  renameSync(`${path}.partial`, path)
  return createHash('sha256').update(bytes).digest('hex')
}
