// Every statement kind (DRG monthly, DRG year-end, DIP monthly, DIP year-end) opened by two
// readers that are not ours: exceljs (which needs a reference on every row and cell) and
// LibreOffice headless (`soffice --convert-to csv`, every sheet; skipped with a notice where
// LibreOffice is absent). Every figure read back is compared with the run as `yb runs show --json`
// gives it: each pool's 汇总 amounts and counts, the rate or point value, and each case's group,
// weight, standard and fund in 明细. Amounts are number cells shown #,##0.00, counts #,##0, and
// 制单时间 is the run's time in Asia/Shanghai (UTC+8, computed here from the run's UTC time).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import ExcelJS from 'exceljs'
import {beforeAll, describe, expect, it} from 'vitest'
import {parseCsvText} from '../../src/io/csv-reader.js'
import {tempDir, yb} from './run.js'

interface Statement {
  readonly label: string
  readonly xlsx: string
  readonly run: {run: {startedAt: string; kind: string}; result: {institutions: Record<string, unknown>[]}}
  readonly cases: Record<string, string>[]
}

const INSTITUTION = 'H001'
const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((path) => existsSync(path))

async function json(dir: string, db: string, args: string[]): Promise<any> {
  const run = await yb(dir, [...args, '--db', db, '--json'])
  if (run.exitCode !== 0) throw new Error(`yb ${args.join(' ')}: ${run.stderr}${run.stdout}`)
  return JSON.parse(run.stdout)
}

/** Every case result of a run for the institution, page by page. */
async function runCases(dir: string, db: string, runId: number): Promise<Record<string, string>[]> {
  const cases: Record<string, string>[] = []
  let after: string | undefined
  for (;;) {
    const page = await json(dir, db, ['runs', 'show', String(runId), '--cases', '--institution', INSTITUTION, '--limit', '1000', ...(after === undefined ? [] : ['--after', after])])
    cases.push(...page.cases)
    if (page.next === null || page.next === undefined || page.cases.length === 0) return cases
    after = page.next
  }
}

async function statements(dir: string, method: 'DRG' | 'DIP'): Promise<Statement[]> {
  const demo = await yb(dir, ['demo', '--out-dir', method, '--method', method, '--count', '300'])
  if (demo.exitCode !== 0) throw new Error(`yb demo --method ${method}: ${demo.stderr}`)
  const db = join(dir, method, 'demo.db')
  const runs = (await json(dir, db, ['runs', 'list', '--year', '2025'])).runs as {runId: number; kind: string; period: string; current: boolean}[]
  const made: Statement[] = []
  for (const [label, flag, period, kind] of [['monthly', '--month', '2025-03', 'pay'], ['year-end', '--year', '2025', 'clear']] as const) {
    const out = join(method, `out-${kind}`)
    const written = await json(dir, db, ['reconcile', flag, period, '--institution', INSTITUTION, '--out', out])
    const file = (written.files as {file: string; kind: string}[]).find((f) => f.kind === 'xlsx')!.file
    const runId = runs.find((r) => r.kind === kind && r.period === period && r.current)!.runId
    made.push({label: `${method} ${label}`, xlsx: join(dir, out, file), run: await json(dir, db, ['runs', 'show', String(runId)]), cases: await runCases(dir, db, runId)})
  }
  return made
}

/** The 汇总 figures a run gives for one pool: header → exact text. */
function expectedSummary(statement: Statement, pool: string): Map<string, string> {
  const line = statement.run.result.institutions.find((i) => i.institutionId === INSTITUTION && i.pool === pool) as any
  const figures = new Map<string, string>([['出院人次', String(line.cases)]])
  const rate = line.rate ?? (statement.run.result as any).rates?.find((r: any) => r.pool === pool)
  if (rate !== undefined) figures.set('费率/点值', rate.pointValueYuan ?? rate.rateYuanPerWeight)
  if (statement.run.run.kind === 'pay') {
    const keys = {病例基金合计: 'casesFundYuan', 尾差: 'roundingResidueYuan', 统筹基金应支付: 'fundDueYuan', 本月审核扣减: 'deductionsYuan', 上月结转待扣: 'carriedInYuan', 本月实扣: 'deductionsTakenYuan', 结转下月待扣: 'carriedOutYuan', 本期拨付: 'payYuan', 预留: 'withheldYuan'}
    for (const [header, key] of Object.entries(keys)) figures.set(header, line[key])
  } else {
    // The statement names the 病例合计 line 病例基金合计, as its check equations do (src/app/reconcile.ts).
    for (const l of line.lines as {key: string; label: string; amountYuan: string}[]) figures.set(l.key === 'casesFund' ? '病例基金合计' : l.label, l.amountYuan)
    figures.set('本期应补应扣', line.balanceYuan)
  }
  return figures
}

/** A number read back, as text with the decimals the run gave it (exact for amounts below 2^53 分). */
const asText = (value: unknown, like: string): string => (typeof value === 'number' ? value.toFixed(like.split('.')[1]?.length ?? 0) : String(value))

/** 制单时间 expected: the run's UTC time + 8 hours, as YYYY-MM-DD HH:MM:SS. */
function shanghai(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19)
}

/** Checks one workbook's sheets, given as rows of cells (numbers or text), against the run. */
function checkAgainstRun(statement: Statement, sheets: Map<string, unknown[][]>, reader: string): void {
  const what = `${statement.label} (${reader})`
  const [summaryHeader, ...summary] = sheets.get('汇总')!
  const col = (name: string) => (summaryHeader as string[]).indexOf(name)
  expect(summary.length, what).toBeGreaterThan(0)
  for (const row of summary) {
    const pool = String(row[col('险种')])
    for (const [header, text] of expectedSummary(statement, pool)) expect(asText(row[col(header)], text), `${what} 汇总 ${pool} ${header}`).toBe(text)
    expect(row[col('制单时间')], what).toBe(shanghai(statement.run.run.startedAt))
  }
  const [detailHeader, ...details] = sheets.get('明细')!
  const d = (name: string) => (detailHeader as string[]).indexOf(name)
  const byId = new Map(statement.cases.map((c) => [c.settlementId, c]))
  const caseRows = details.filter((row) => byId.has(String(row[d('结算流水号')])))
  expect(caseRows.length, `${what}: every case of the run is a 明细 line`).toBe(statement.cases.length)
  for (const row of caseRows) {
    const expected = byId.get(String(row[d('结算流水号')]))!
    const pairs: [string, string][] = [['病组编码', expected.drg ?? expected.dipGroup ?? ''], ['支付标准', expected.standardYuan], ['结算金额', expected.adjustedYuan], ['统筹基金应支付', expected.fundYuan]]
    for (const [header, text] of pairs) if (text !== undefined && text !== '') expect(asText(row[d(header)], text), `${what} 明细 ${expected.settlementId} ${header}`).toBe(text)
    const measure = expected.weight !== '' ? ['权重/分值', expected.weight] : ['病例点数', expected.points]
    if (measure[1] !== undefined && measure[1] !== '') expect(asText(row[d(measure[0]!)], measure[1]!), `${what} 明细 ${expected.settlementId} ${measure[0]}`).toBe(measure[1])
  }
  const checks = sheets.get('校验')!.slice(1)
  expect(checks.length, what).toBeGreaterThan(0)
  expect(checks.filter((c) => c[3] !== '通过'), `${what}: every 校验 holds`).toEqual([])
}

async function readWithExcelJs(path: string): Promise<{sheets: Map<string, unknown[][]>; formats: Map<string, string>}> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const sheets = new Map<string, unknown[][]>()
  const formats = new Map<string, string>()
  workbook.eachSheet((sheet) => {
    const rows: unknown[][] = []
    sheet.eachRow({includeEmpty: true}, (row, rowNumber) => {
      const cells: unknown[] = []
      row.eachCell({includeEmpty: true}, (cell, column) => {
        const value = cell.value as unknown
        cells[column - 1] = value !== null && typeof value === 'object' && 'result' in (value as object) ? (value as {result: unknown}).result : value
        if (rowNumber === 2) formats.set(`${sheet.name}!${String(rows[0]?.[column - 1] ?? '')}`, cell.numFmt ?? '')
      })
      rows[rowNumber - 1] = Array.from({length: cells.length}, (_, k) => cells[k] ?? '')
    })
    sheets.set(sheet.name, rows)
  })
  return {sheets, formats}
}

describe('statements open in exceljs and LibreOffice with every figure of the run', () => {
  let all: Statement[] = []
  beforeAll(async () => {
    const dir = tempDir()
    all = [...(await statements(dir, 'DRG')), ...(await statements(dir, 'DIP'))]
  }, 240_000)

  it('exceljs reads every sheet of every kind, amounts as formatted numbers, 制单时间 in Asia/Shanghai', async () => {
    expect(all.map((s) => s.label)).toEqual(['DRG monthly', 'DRG year-end', 'DIP monthly', 'DIP year-end'])
    for (const statement of all) {
      const {sheets, formats} = await readWithExcelJs(statement.xlsx)
      expect([...sheets.keys()]).toEqual(['汇总', '明细', '参数', '校验'])
      checkAgainstRun(statement, sheets, 'exceljs')
      // Number cells, with thousands separators and their own decimals.
      const summary = sheets.get('汇总')!
      const header = summary[0] as string[]
      expect(typeof summary[1]![header.indexOf('统筹基金应支付')]).toBe('number')
      expect(typeof summary[1]![header.indexOf('费率/点值')]).toBe('number')
      expect(formats.get('汇总!统筹基金应支付')).toBe('#,##0.00')
      expect(formats.get('汇总!出院人次')).toBe('#,##0')
      expect(formats.get('明细!统筹基金应支付')).toBe('#,##0.00')
      expect(formats.get('明细!住院天数')).toBe('#,##0')
    }
  })

  it('LibreOffice headless converts every sheet to CSV with the same figures, shown with thousands separators', (context) => {
    if (soffice === undefined) {
      console.log('notice: LibreOffice (soffice) is absent, skipping the LibreOffice statement test (apt-get install libreoffice-calc-nogui)')
      context.skip()
    }
    const out = tempDir()
    mkdirSync(join(out, 'profile'))
    // Filter options: comma, double quote, UTF-8, from line 1, …, cells as shown, every sheet (-1) to its own file.
    const run = spawnSync(soffice!, [`-env:UserInstallation=file://${join(out, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', out, ...all.map((s) => s.xlsx)], {encoding: 'utf8', timeout: 180_000})
    expect(run.status, run.stderr).toBe(0)
    const files = readdirSync(out)
    for (const statement of all) {
      const base = statement.xlsx.split('/').at(-1)!.replace(/\.xlsx$/, '')
      const sheets = new Map<string, unknown[][]>()
      for (const name of ['汇总', '明细', '参数', '校验']) {
        const file = files.find((f) => f === `${base}-${name}.csv`)
        expect(file, `${statement.label}: LibreOffice wrote sheet ${name} (files: ${files.join(', ')})`).toBeDefined()
        sheets.set(name, parseCsvText(readFileSync(join(out, file!), 'utf8')).rows.map((r) => r.fields))
      }
      const summary = sheets.get('汇总')!
      const header = summary[0] as string[]
      // As shown: 1,234,567.89. Read back without the separators, every figure is the run's.
      expect(summary.slice(1).some((row) => /^-?[0-9]{1,3}(,[0-9]{3})+\.[0-9]{2}$/.test(String(row[header.indexOf('统筹基金应支付')]))), statement.label).toBe(true)
      const plain = new Map([...sheets].map(([name, rows]) => [name, rows.map((row, r) => (r === 0 ? row : row.map((cell) => (/^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/.test(String(cell)) ? String(cell).replace(/,/g, '') : cell))))]))
      checkAgainstRun(statement, plain, 'LibreOffice')
    }
  }, 240_000)
})
