/**
 * The statements of a set of institutions of one run, written into the staging folder: the part
 * of `yb reconcile` that grows with the cases, so that it can run in two worker threads at once,
 * each over its own institutions and its own read of the workspace (src/app/statement-worker.ts).
 * What a batch writes does not depend on which batch writes it: the same bytes either way.
 *
 *   await writeStatements(db, batch, (n) => …) → {files, checksEvaluated, checksFailed}
 */
import {differenceText} from '../clearing/ledger.js'
import type {Db} from '../store/db.js'
import {joinedFields, splitFields} from '../store/joined-fields.js'
import {LINE_TYPES} from './statement.js'
import {type Institution, InstitutionStatement, type ManifestFile, type StatementContext} from './statement-files.js'

export interface StatementBatch {
  readonly staging: string
  readonly context: StatementContext
  readonly runId: number
  /** The last month whose corrections a case may show (the period's month, or December). */
  readonly periodEnd: string
  readonly statementVersion: number
  /** The institutions of this batch, or null for every institution of the run. */
  readonly institutionIds: readonly string[] | null
  readonly institutions: ReadonlyMap<string, Institution>
  readonly lines: ReadonlyMap<string, ReadonlyMap<string, Record<string, unknown>>>
  readonly corrections: ReadonlyMap<string, readonly (readonly string[])[]>
  /** Cases per institution as the run's lines recorded them: how the institutions are shared between the workers. */
  readonly caseCounts: ReadonlyMap<string, number>
}

export interface BatchResult {
  readonly files: ManifestFile[]
  readonly checksEvaluated: number
  readonly checksFailed: number
}

const STATUS_TEXT: Record<string, string> = {grouped: '入组', qy: '歧义组(QY)', ungroupable: '未入组(0000)', invalid: '待更正', per_diem: '床日', items: '按项目'}
export const OUTLIER_TEXT: Record<string, string> = {normal: '正常', high: '高倍率', low: '低倍率', mid_low: '中低倍率', extreme: '极端异常'}
const SPECIAL_TEXT: Record<string, string> = {approved: '通过', rejected: '不通过', pending: '待审'}

// A case is shown as the run priced it: its latest correction up to the period's end, if any (the clearing prices that one).
const CASE_VALUES = [
  'r.settlement_id', 'COALESCE(x.case_no, c.case_no)', 'r.institution_id', 'r.pool', 'COALESCE(x.insured_region, c.insured_region)', 'COALESCE(x.admit_date, c.admit_date)',
  'COALESCE(x.discharge_date, c.discharge_date)', 'COALESCE(x.los_days, c.los_days)', 'COALESCE(x.discharge_mode, c.discharge_mode)',
  'COALESCE(x.dx_codes, c.dx_codes)', 'COALESCE(x.px_codes, c.px_codes)', 'r.status', 'r.drg', 'r.weight', 'r.points', 'r.payment', 'r.outlier', 'r.standard_yuan', 'r.adjusted_yuan',
  'COALESCE(x.total_cost, c.total_cost)', 'COALESCE(x.fund_recorded, c.fund_recorded)', 'r.fund_yuan', 'r.special', 'c.month', "COALESCE(x.month, '')",
]
const CASE_FROM = `
  FROM run_case r JOIN settlement_case c USING (settlement_id)
  LEFT JOIN case_correction x ON x.settlement_id = r.settlement_id AND x.month = (SELECT MAX(month) FROM case_correction y WHERE y.settlement_id = r.settlement_id AND y.month <= ?)
  WHERE r.run_id = ?`
// A case crosses as its id and one string of its values (store/joined-fields.ts): a quarter less
// time than 25 values. A row that does not split is read again by its id, a value per column.
const CASE_QUERY = `SELECT r.settlement_id, ${joinedFields(CASE_VALUES)} ${CASE_FROM} AND (? = 'all' OR r.institution_id IN (SELECT value FROM json_each(?)))
  ORDER BY r.institution_id, r.settlement_id`
const ONE_CASE_QUERY = `SELECT ${CASE_VALUES.join(', ')} ${CASE_FROM} AND r.settlement_id = ?`

type CaseValues = [string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string, string]

/** Writes the batch's statements (cases in institution, settlement_id order, then each institution's correction lines). */
export async function writeStatements(db: Db, batch: StatementBatch, onCase?: (done: number) => void): Promise<BatchResult> {
  const {context} = batch
  const files: ManifestFile[] = []
  let checksEvaluated = 0
  let checksFailed = 0
  let done = 0
  let current: InstitutionStatement | undefined
  const open = (id: string): InstitutionStatement =>
    new InstitutionStatement(batch.staging, context, id, batch.institutions.get(id), batch.lines.get(id) ?? new Map(), batch.statementVersion)
  const finish = async (): Promise<void> => {
    if (current === undefined) return
    for (const row of batch.corrections.get(current.institutionId) ?? []) await current.add(row)
    const written = await current.finish()
    files.push(...written.files)
    checksEvaluated += written.checks.length
    checksFailed += written.checks.filter((c) => !c.holds).length
    current = undefined
  }
  const ids = batch.institutionIds
  const rows = db.prepare(CASE_QUERY).raw(true).iterate(batch.periodEnd, batch.runId, ids === null ? 'all' : 'some', JSON.stringify(ids ?? [])) as IterableIterator<[string, string]>
  const oneCase = db.prepare(ONE_CASE_QUERY).raw(true)
  for (const [settlementId, joined] of rows) {
    const values = (splitFields(joined, CASE_VALUES.length) ?? oneCase.get(batch.periodEnd, batch.runId, settlementId)) as CaseValues
    const institutionId = values[2]
    if (current?.institutionId !== institutionId) {
      await finish()
      current = open(institutionId)
    }
    const added = current.add(detailRow(values, batch.institutions.get(institutionId)?.name ?? '', context.method))
    if (added !== undefined) await added
    if (++done % 20_000 === 0) onCase?.(done)
  }
  await finish()
  // Institutions with lines but no case of the run (e.g. a deduction only) still get their statement.
  const written = new Set(files.map((f) => f.institutionId))
  for (const id of ids ?? [...batch.lines.keys()]) {
    if (batch.lines.has(id) && !written.has(id)) {
      current = open(id)
      await finish()
    }
  }
  return {files, checksEvaluated, checksFailed}
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
