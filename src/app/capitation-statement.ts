/**
 * The 按人头付费 statement of a payment or clearing run, beside the institutions' statements: one
 * CSV for the region, a row per institution, pool and category with the run's figures as stored
 * and its check (本月拨付 + 预留 = 本月应付; 已预结算 + 本期应补应扣 = 年度应支付合计), listed in
 * manifest.csv. Nothing is recomputed.
 *
 *   writeCapitationStatement(staging, {kind: 'pay', …}, capitation) → {file: '230100_按人头_2025-03_月度预结算_v1.csv', rows: 4, …}
 */
import {join} from 'node:path'
import {monthLineHolds, storedYearHolds, sumYuanText} from '../clearing/capitation.js'
import type {TextEncoding} from '../io/text-stream.js'
import {CsvFile} from '../io/piece-writers.js'
import type {CapitationYearResult} from './capitation-clear.js'
import type {CapitationMonthResult} from './capitation-pay.js'
import type {ManifestFile} from './statement-files.js'

export interface CapitationStatementContext {
  readonly kind: 'pay' | 'clear'
  readonly regionCode: string
  readonly period: string
  readonly settlementType: string
  readonly statementVersion: number
  readonly encoding: TextEncoding
  /** Only this institution's rows, when given. */
  readonly institution: string
}

const MONTH_HEADER = ['机构编码', '险种', '类别编码', '类别', '人数', '人头预算', '计入支出', '本月应付', '本月拨付', '预留', '校验']
const YEAR_HEADER = ['机构编码', '险种', '类别编码', '类别', '月数', '考核得分', '年度人头预算', '实际门诊统筹支出', '结余留用/超支分担后应支付', '质量保证金扣除', '年度应支付合计', '已预结算合计', '本期应补应扣', '校验']

export function writeCapitationStatement(staging: string, context: CapitationStatementContext, capitation: CapitationMonthResult | CapitationYearResult | null | undefined): ManifestFile | undefined {
  if (capitation === null || capitation === undefined) return undefined
  const keep = (id: string) => context.institution === '' || id === context.institution
  const file = `${context.regionCode}_按人头_${context.period}_${context.settlementType}_v${context.statementVersion}.csv`
  const csv = new CsvFile(join(staging, file), context.encoding)
  let rows = 0
  let due: string[] = []
  let balance: string[] = []
  if ('lines' in capitation) {
    const lines = capitation.lines.filter((l) => keep(l.institutionId))
    if (lines.length === 0) return undefined
    csv.row(MONTH_HEADER)
    for (const l of lines) csv.row([l.institutionId, l.pool, l.category, l.name, String(l.persons), l.budgetYuan, l.spendingYuan, l.dueYuan, l.payYuan, l.withheldYuan, monthLineHolds(l) ? '通过' : '不通过'])
    rows = lines.length
    due = lines.map((l) => l.dueYuan)
    balance = lines.map((l) => l.payYuan)
  } else {
    const rowsOf = capitation.institutions.filter((i) => keep(i.institutionId))
    if (rowsOf.length === 0) return undefined
    csv.row(YEAR_HEADER)
    const at = (i: (typeof rowsOf)[number], key: string) => i.lines.find((l) => l.key === key)?.amountYuan ?? '0.00'
    for (const i of rowsOf) {
      csv.row([i.institutionId, i.pool, i.category, i.name, String(i.monthsPaid), i.assessmentScore, at(i, 'budget'), at(i, 'spending'), at(i, 'dueAfterBand'), at(i, 'depositForfeited'), at(i, 'finalEntitled'), at(i, 'monthlyPaid'), i.balanceYuan, storedYearHolds(i.lines, i.balanceYuan) ? '通过' : '不通过'])
    }
    rows = rowsOf.length
    due = rowsOf.map((i) => at(i, 'finalEntitled'))
    balance = rowsOf.map((i) => i.balanceYuan)
  }
  const sha256 = csv.close()
  return {file, institutionId: '', kind: 'capitation_csv', rows, cases: 0, fundDueYuan: sumYuanText(due), balanceYuan: sumYuanText(balance), sha256}
}
