/**
 * One institution's statement files of a run — the .xlsx (汇总, 明细, 参数, 校验), the 汇总 CSV
 * and the 明细 CSV — written into a staging folder as its 明细 lines arrive, so that memory does
 * not grow with its cases: the lines go straight to the CSV and to the 明细 sheet, deflated as
 * they come; the 汇总 rows and the check equations read the lines' totals (DetailTotals). The
 * bytes are the same as writing the whole workbook at once.
 *
 *   const s = new InstitutionStatement(staging, context, 'H001', institution, lines, 1)
 *   await s.add(row) …; const {files, checks} = await s.finish()
 */
import {join} from 'node:path'
import {DetailTotals} from '../clearing/detail-totals.js'
import {summedColumns} from '../clearing/equations.js'
import {sumAmountTexts} from '../clearing/ledger.js'
import {namePart} from '../io/file-names.js'
import {CsvFile, DeflatedSheet, HashedFile} from '../io/piece-writers.js'
import type {TextEncoding} from '../io/text-stream.js'
import {columnName, columnWidths, decimalCell, isDecimalText, rowXml, SHEET_TAIL, sheetEntryName, sheetHead, sheetXml, WIDTH_ROWS, workbookEntries, type XlsxCell} from '../io/xlsx.js'
import {ZipWriter} from '../io/zip.js'
import type {RunKind} from '../store/runs.js'
import type {PoolRateJson} from './payment-method.js'
import {DETAIL_AMOUNTS, DETAIL_HEADERS, type Equation, type EvaluatedCheck, evaluate, MONTHLY_AMOUNTS, SUMMARY_LEAD, type Term} from './statement.js'

export interface ManifestFile {
  readonly file: string
  readonly institutionId: string
  /** capitation_csv: the region's 按人头付费 statement (src/app/capitation-statement.ts). */
  readonly kind: 'xlsx' | 'summary_csv' | 'detail_csv' | 'capitation_csv'
  readonly rows: number
  readonly cases: number
  /** Σ 统筹基金应支付 of the file's institution (all pools). */
  readonly fundDueYuan: string
  /** Σ 本期拨付 (monthly) or 本期应补应扣 (yearly). */
  readonly balanceYuan: string
  readonly sha256: string
}

export interface Institution {
  institution_id: string
  name: string
  level: string
}

export type PolicyTree = {readonly [key: string]: PolicyTree | string | readonly (PolicyTree | string)[]}

export function text(tree: PolicyTree, path: string): string {
  let node: unknown = tree
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key]
  return typeof node === 'string' ? node : ''
}

export interface StatementContext {
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

const DETAIL_COLUMN = new Map<string, number>(DETAIL_HEADERS.map((h, k) => [h, k]))
const POOL = DETAIL_COLUMN.get('险种')!
/**
 * The 明细 sheet is deflated at level 1: its XML (about 1 KB a case) deflated at level 6 took most
 * of a month's statements' time, for files a fifth smaller. The small sheets stay at level 6.
 */
const DETAIL_LEVEL = 1
const SMALL_LEVEL = 6

/** The base of an institution's file names: ids made safe for a file name (namePart), the original ids stay inside the files. */
export function statementBase(context: StatementContext, institutionId: string, version: number): string {
  return `${namePart(context.region.code)}_${namePart(institutionId)}_${context.method}_${context.period}_${context.settlementType}_v${version}`
}

const amountSummary = (context: StatementContext) => new Set<string>([...MONTHLY_AMOUNTS, '医疗总费用', '统筹基金记账', '个人负担', '本期应补应扣', ...context.summaryHeaders.slice(SUMMARY_LEAD.length)])

/** 明细 columns that hold numbers other than 元: shown with their own decimals (a weight at its scale). */
const DETAIL_NUMBERS: ReadonlySet<string> = new Set(['住院天数', '权重/分值', '病例点数'])

function detailCells(row: readonly string[]): XlsxCell[] {
  return row.map((cell, k) => {
    const header = DETAIL_HEADERS[k]!
    if (cell === '') return null
    if (DETAIL_AMOUNTS.has(header)) return {n: cell}
    return DETAIL_NUMBERS.has(header) && isDecimalText(cell) ? decimalCell(cell) : cell
  })
}

/** One institution's statement, written as its 明细 lines are added (cases in settlement_id order, then correction lines). */
export class InstitutionStatement {
  private readonly staging: string
  private readonly context: StatementContext
  private readonly id: string
  private readonly institution: Institution | undefined
  get institutionId(): string {
    return this.id
  }
  private readonly lines: ReadonlyMap<string, Record<string, unknown>>
  private readonly base: string
  private readonly totals = new Map<string, DetailTotals>()
  private readonly csv: CsvFile
  private readonly summed: readonly string[]
  /** The first lines, held until they size the 明细 columns. */
  private firstRows: XlsxCell[][] = []
  private sheet: DeflatedSheet | undefined
  private count = 0

  constructor(staging: string, context: StatementContext, id: string, institution: Institution | undefined, lines: ReadonlyMap<string, Record<string, unknown>>, version: number) {
    this.staging = staging
    this.context = context
    this.id = id
    this.institution = institution
    this.lines = lines
    this.base = statementBase(context, id, version)
    this.summed = [...new Set([...summedColumns(context.rowEquations), '医疗总费用', '统筹基金记账', '个人负担'])]
    this.csv = new CsvFile(join(staging, `${this.base}_明细.csv`), context.encoding)
    this.csv.row(DETAIL_HEADERS)
  }

  /** Adds a 明细 line; a promise only when the sheet's deflater asks to be waited for. */
  add(row: readonly string[]): Promise<void> | undefined {
    this.count++
    const pool = row[POOL]!
    let totals = this.totals.get(pool)
    if (totals === undefined) {
      totals = this.newTotals()
      this.totals.set(pool, totals)
    }
    totals.add(row)
    this.csv.row(row)
    const cells = detailCells(row)
    if (this.sheet !== undefined) return this.sheet.write(rowXml(cells, this.count + 1))
    this.firstRows.push(cells)
    return this.firstRows.length === WIDTH_ROWS - 1 ? this.startSheet() : undefined
  }

  async finish(): Promise<{files: ManifestFile[]; checks: EvaluatedCheck[]}> {
    if (this.sheet === undefined) await this.startSheet()
    await this.sheet!.write(SHEET_TAIL)
    const detailSheet = await this.sheet!.end(sheetEntryName(1))
    const {context, id, institution} = this
    const pools = [...new Set([...this.lines.keys(), ...this.totals.keys()])].sort()
    const poolTotals = pools.map((pool) => this.totals.get(pool) ?? this.newTotals())
    const summaries = pools.map((pool, r) => summaryRow(context, id, institution, pool, this.lines.get(pool), poolTotals[r]!))
    const checks = summaries.flatMap((summary, r) => {
      const record = Object.fromEntries(context.summaryHeaders.map((h, k) => [h, summary[k]!]))
      return evaluate(context.rowEquations, {summary: record, details: poolTotals[r]!}).map((c) => ({...c, name: `${pools[r]} ${c.name}`}))
    })
    const amounts = amountSummary(context)
    const summaryCells = (row: readonly string[]): XlsxCell[] =>
      row.map((cell, k) => {
        const header = context.summaryHeaders[k]!
        if (cell === '') return null
        if (amounts.has(header)) return {n: cell}
        if (header.endsWith('人次')) return {n: cell, places: 0}
        if ((header === '总点数' || header === '费率/点值') && isDecimalText(cell)) return decimalCell(cell)
        return cell
      })
    const xlsxName = `${this.base}.xlsx`
    const summaryName = `${this.base}_汇总.csv`
    const detailName = `${this.base}_明细.csv`
    const xlsx = new HashedFile(join(this.staging, xlsxName))
    const zip = new ZipWriter((bytes) => xlsx.write(bytes), SMALL_LEVEL)
    for (const entry of workbookEntries(['汇总', '明细', '参数', '校验'])) zip.add(entry.name, entry.data)
    zip.add(sheetEntryName(0), Buffer.from(sheetXml({name: '汇总', rows: [context.summaryHeaders, ...summaries.map(summaryCells)]})))
    zip.addDeflated(detailSheet)
    detailSheet.remove()
    zip.add(sheetEntryName(2), Buffer.from(sheetXml({name: '参数', rows: [['参数', '值', '来源'], ...parameterRows(context, id, institution, pools)]})))
    zip.add(sheetEntryName(3), Buffer.from(sheetXml({name: '校验', rows: [['校验项', '左边', '右边', '结果'], ...checkRows(context, pools, this.count, checks)]})))
    zip.end()
    const xlsxSha = xlsx.close()
    const summaryCsv = new CsvFile(join(this.staging, summaryName), context.encoding)
    for (const row of [context.summaryHeaders, ...summaries]) summaryCsv.row(row)
    const summarySha = summaryCsv.close()
    const detailSha = this.csv.close()
    const balanceHeader = context.kind === 'pay' ? '本期拨付' : '本期应补应扣'
    const column = (header: string) => summaries.map((row) => row[context.summaryHeaders.indexOf(header)]!)
    const figures = {institutionId: id, cases: this.count, fundDueYuan: sumAmountTexts(column('统筹基金应支付')), balanceYuan: sumAmountTexts(column(balanceHeader))}
    return {
      checks,
      files: [
        {...figures, file: xlsxName, kind: 'xlsx', rows: this.count, sha256: xlsxSha},
        {...figures, file: summaryName, kind: 'summary_csv', rows: summaries.length, sha256: summarySha},
        {...figures, file: detailName, kind: 'detail_csv', rows: this.count, sha256: detailSha},
      ],
    }
  }

  private newTotals(): DetailTotals {
    return new DetailTotals(DETAIL_HEADERS, {sums: this.summed, counts: ['入组状态', '偏差类型', '特例单议'], points: '病例点数'})
  }

  private async startSheet(): Promise<void> {
    this.sheet = new DeflatedSheet(join(this.staging, `.${this.base}.明细.deflate`), DETAIL_LEVEL)
    await this.sheet.write(sheetHead(columnWidths([DETAIL_HEADERS, ...this.firstRows])) + rowXml(DETAIL_HEADERS, 1))
    for (const [k, row] of this.firstRows.entries()) await this.sheet.write(rowXml(row, k + 2))
    this.firstRows = []
  }
}

function summaryRow(context: StatementContext, id: string, institution: Institution | undefined, pool: string, line: Record<string, unknown> | undefined, details: DetailTotals): string[] {
  const count = (column: string, values: readonly string[]) => String(details.countOf(column, values))
  const sumFen = (column: string) => details.sumText(column)
  const rate = context.rates.find((r) => r.pool === pool)
  const points = details.pointsText()
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
    出院人次: String(details.discharges),
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

/** 参数: the rates or point values used, the institution's coefficient, and every policy value the payment reads, each with its path in the policy. */
function parameterRows(context: StatementContext, id: string, institution: Institution | undefined, pools: readonly string[]): XlsxCell[][] {
  const source = (path: string) => `policy ${context.policy.year} v${context.policy.version}: ${path}`
  const rows: XlsxCell[][] = [['政策版本', `${context.policy.year} v${context.policy.version}`, `sha256 ${context.policy.sha256}`], ['结算批次号', String(context.runId), `${context.kind} run, ${context.runAt}`]]
  for (const rate of context.rates) {
    if (!pools.includes(rate.pool)) continue
    const points = 'pointValueYuan' in rate
    const value = points ? rate.pointValueYuan : rate.rateYuanPerWeight
    const path = context.method === 'DIP' ? `dip.point_value_yuan.${rate.pool}` : points ? `drg.point_value_yuan.${rate.pool}` : `drg.rate_yuan_per_weight.${rate.pool}`
    rows.push([`${rate.pool} ${points ? '点值' : '费率'}`, decimalCell(value), rate.source === 'published' ? source(path) : `computed by run ${context.runId} from budget.* (${path}: computed)`])
  }
  const level = institution?.level ?? ''
  const byInstitution = text(context.policy.values, `coefficients.by_institution.${id}`)
  rows.push(['机构系数', valueCell(byInstitution || text(context.policy.values, `coefficients.by_level.${level}`)), byInstitution ? source(`coefficients.by_institution.${id}`) : `institution file, else ${source(`coefficients.by_level.${level}`)}`])
  const sections = ['budget', 'reimbursement_ratio', context.method === 'DIP' ? 'dip' : 'drg', 'per_diem', 'coefficients.exempt_groups', 'monthly', ...(context.kind === 'clear' ? ['quality_deposit', 'assessment', 'band', 'prepay'] : []), 'rounding']
  for (const section of sections) {
    let node: unknown = context.policy.values
    for (const key of section.split('.')) node = (node as Record<string, unknown> | undefined)?.[key]
    for (const [path, value] of flatten(section, node)) rows.push([path, valueCell(value), source(path)])
  }
  return rows
}

/** A policy value as a cell: a number cell when it is a plain decimal (a ratio, an amount), else its text. */
function valueCell(value: string): XlsxCell {
  return isDecimalText(value) ? decimalCell(value) : value
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

