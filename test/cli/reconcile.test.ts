// Proves `yb reconcile` and `yb reconcile verify` end to end on a small region paid here: the
// .xlsx opened with the SheetJS xlsx library has the four sheets, their headers, and totals equal
// to the payment run; the CSVs (UTF-8 with BOM, or GB18030) re-parse to the same figures; the
// manifest's SHA-256 are those of the files; a closed period gives identical bytes twice; an
// edited total makes the 校验 fail; a returned file with one changed amount, one missing and one
// extra case is reported with exactly those three differences.
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'
import * as XLSX from 'xlsx'
import {parseCsvText} from '../../src/io/csv-reader.js'
import {paidRegion} from './region.js'
import {closeMonths, yb, ybAll} from './run.js'

const BASE = (id: string) => `230100_${id}_DRG_2025-03_月度预结算_v1`
const sheetRows = (wb: XLSX.WorkBook, name: string) => XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, {header: 1, raw: true, defval: ''})
const csvRows = (bytes: Buffer) => parseCsvText(bytes.toString('utf8')).rows.map((r) => r.fields)
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('yb reconcile', () => {
  it('writes per institution an .xlsx with 汇总, 明细, 参数 and 校验 whose totals are the payment run', async () => {
    const {dir, pay} = await paidRegion()
    const run = await yb(dir, ['reconcile', '--month', '2025-03', '--out', 'out', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({kind: 'pay', period: '2025-03', runId: pay.runId, statementVersion: 1, closed: true, institutions: 2, checks: {failed: 0}})
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(
      ['H001', 'H003'].flatMap((id) => [`${BASE(id)}.xlsx`, `${BASE(id)}_明细.csv`, `${BASE(id)}_汇总.csv`]).concat('manifest.csv').sort(),
    )
    const wb = XLSX.read(readFileSync(join(dir, 'out', `${BASE('H001')}.xlsx`)))
    expect(wb.SheetNames).toEqual(['汇总', '明细', '参数', '校验'])
    const [summaryHeader, ...summary] = sheetRows(wb, '汇总') as string[][]
    expect(summaryHeader!.slice(0, 11)).toEqual(['统筹区', '机构编码', '机构名称', '医院等级', '付费方式', '险种', '结算期间', '清算类型', '结算批次号', '制单时间', '出院人次'])
    const col = (name: string) => summaryHeader!.indexOf(name)
    // One row per pool, each with the run's figures for that institution and pool.
    for (const row of summary) {
      const line = pay.institutions.find((i) => i.institutionId === 'H001' && i.pool === row[col('险种')])!
      expect([row[col('出院人次')], row[col('病例基金合计')], row[col('统筹基金应支付')], row[col('本期拨付')], row[col('预留')]]).toEqual([
        line.cases,
        Number(line.casesFundYuan),
        Number(line.fundDueYuan),
        Number(line.payYuan),
        Number(line.withheldYuan),
      ])
    }
    const [detailHeader, ...details] = sheetRows(wb, '明细') as unknown[][]
    expect(detailHeader!.slice(0, 5)).toEqual(['结算流水号', '病案号', '机构编码', '机构名称', '险种'])
    expect(details.map((d) => d[0])).toEqual(['S1', 'S4', 'S5'])
    const fundCol = detailHeader!.indexOf('统筹基金应支付')
    // S1 12126.67 and S5 5600.00 (职工), S4 15960.00 (居民): the hand-computed amounts of test/cli/pay.test.ts.
    expect(details.map((d) => d[fundCol])).toEqual([12126.67, 15960, 5600])
    const parameters = sheetRows(wb, '参数') as string[][]
    expect(parameters).toContainEqual(['职工 费率', 11111.11, 'policy 2025 v1: drg.rate_yuan_per_weight.职工'])
    expect(parameters).toContainEqual(['drg.high.threshold.tiers.1.times', 2, 'policy 2025 v1: drg.high.threshold.tiers.1.times'])
    const checks = sheetRows(wb, '校验') as string[][]
    // Seven equations per pool: the five of every statement, paid + withheld + taken = due, and taken + carried out = deducted + carried in.
    expect(checks.length).toBe(1 + 2 * 7)
    expect(checks.slice(1).every((c) => c[3] === '通过')).toBe(true)
    expect(wb.Sheets['校验']!.D2!.f).toBe('IF(ROUND(B2-C2,2)=0,"通过","不通过")')
    expect(wb.Sheets['校验']!.C5!.f).toMatch(/^SUMIF\('明细'!\$E\$2:\$E\$4,"居民",'明细'!\$X\$2:\$X\$4\)$/)
  })

  it('writes CSVs that re-parse to the same figures, UTF-8 with BOM or GB18030, and a manifest with each file hash', async () => {
    const {dir} = await paidRegion()
    await ybAll(dir, [
      ['reconcile', '--month', '2025-03', '--out', 'utf8'],
      ['reconcile', '--month', '2025-03', '--out', 'gb', '--encoding', 'gb18030'],
    ])
    const utf8 = readFileSync(join(dir, 'utf8', `${BASE('H003')}_明细.csv`))
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const gb = readFileSync(join(dir, 'gb', `${BASE('H003')}_明细.csv`))
    expect(gb.subarray(0, 3).equals(utf8.subarray(0, 3))).toBe(false)
    expect(iconv.decode(gb, 'gb18030')).toBe(utf8.toString('utf8').slice(1))
    const [header, ...rows] = csvRows(utf8)
    const wb = XLSX.read(readFileSync(join(dir, 'utf8', `${BASE('H003')}.xlsx`)))
    const [, ...xlsxRows] = sheetRows(wb, '明细') as unknown[][]
    const amounts = ['支付标准', '结算金额', '医疗总费用', '统筹基金记账', '个人负担', '统筹基金应支付', '差额'].map((h) => header!.indexOf(h))
    for (const [k, row] of rows.entries()) {
      for (const a of amounts) {
        // Exactly 2 decimals, no thousands separators; the same number as the xlsx cell.
        expect(row[a]).toMatch(/^-?[0-9]+\.[0-9]{2}$/)
        expect(Number(row[a])).toBe(xlsxRows[k]![a])
      }
    }
    // S9: 结算金额 5111.11 − 医疗总费用 5000.00 = 111.11; S8: 19533.33 − 36000.00 = -16466.67 (a minus sign, no brackets).
    expect(rows.map((r) => [r[0], r[header!.indexOf('差额')]])).toEqual([['S7', '-666.67'], ['S8', '-16466.67'], ['S9', '111.11']])
    const manifest = csvRows(readFileSync(join(dir, 'utf8', 'manifest.csv')))
    expect(manifest[0]).toEqual(['文件', '机构编码', '文件类型', '行数', '出院人次', '统筹基金应支付', '本期拨付', 'SHA-256'])
    for (const row of manifest.slice(1, -1)) expect(row[7]).toBe(sha(readFileSync(join(dir, 'utf8', row[0]!))))
    // The regional line: 2 institutions, 6 cases; H001 17726.67 + 15960.00 and H003 29901.10 (test/cli/pay.test.ts).
    expect(manifest.at(-1)!.slice(0, 6)).toEqual(['合计', '2 家机构', '', '', '6', '63587.77'])
  })

  it('gives identical bytes for a closed period, and v2 after a reopened month is paid again', async () => {
    const {dir} = await paidRegion()
    await ybAll(dir, [
      ['reconcile', '--month', '2025-03', '--out', 'a'],
      ['reconcile', '--month', '2025-03', '--out', 'b'],
    ])
    const files = readdirSync(join(dir, 'a')).sort()
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(files)
    for (const file of files) expect(sha(readFileSync(join(dir, 'b', file))), file).toBe(sha(readFileSync(join(dir, 'a', file))))
    await ybAll(dir, [
      ['period', 'reopen', '--month', '2025-03', '--reason', '机构申诉'],
      ['pay', '--month', '2025-03', '--force'],
      ['reconcile', '--month', '2025-03', '--institution', 'H003', '--out', 'c'],
    ])
    expect(readdirSync(join(dir, 'c')).sort()).toEqual([`230100_H003_DRG_2025-03_月度预结算_v2.xlsx`, `230100_H003_DRG_2025-03_月度预结算_v2_明细.csv`, `230100_H003_DRG_2025-03_月度预结算_v2_汇总.csv`, 'manifest.csv'])
  })

  it('writes the year-end clearing with its lines and 本期应补应扣 as the clearing run has them', async () => {
    const {dir} = await paidRegion()
    await ybAll(dir, [closeMonths()])
    const clear = await yb(dir, ['clear', '--year', '2025', '--json'])
    expect(clear.exitCode, clear.stderr).toBe(0)
    const cleared = JSON.parse(clear.stdout) as {institutions: {institutionId: string; pool: string; balanceYuan: string; lines: {label: string; amountYuan: string}[]}[]}
    const run = await yb(dir, ['reconcile', '--year', '2025', '--out', 'year', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const wb = XLSX.read(readFileSync(join(dir, 'year', '230100_H003_DRG_2025_年度清算_v1.xlsx')))
    const [header, row] = sheetRows(wb, '汇总') as unknown[][]
    const h003 = cleared.institutions.find((i) => i.institutionId === 'H003')!
    expect(row![header!.indexOf('本期应补应扣')]).toBe(Number(h003.balanceYuan))
    expect(row![header!.indexOf('已预结算合计')]).toBe(Number(h003.lines.find((l) => l.label === '已预结算合计')!.amountYuan))
    const checks = sheetRows(wb, '校验') as string[][]
    expect(checks.at(-1)![0]).toMatch(/^职工 本期应补应扣 = 结余留用\/超支分担后应支付 − /)
    expect(checks.slice(1).map((c) => c[3])).toEqual(Array(6).fill('通过'))
  })

  it('fails the 校验 loudly when a total in the returned .xlsx is edited', async () => {
    const {dir} = await paidRegion()
    await ybAll(dir, [['reconcile', '--month', '2025-03', '--out', 'out']])
    const path = join(dir, 'out', `${BASE('H003')}.xlsx`)
    const clean = await yb(dir, ['reconcile', 'verify', path, '--month', '2025-03', '--json'])
    expect(clean.exitCode, clean.stderr).toBe(0)
    expect(JSON.parse(clean.stdout)).toMatchObject({ok: true, matched: 3, casesInRun: 3})
    const wb = XLSX.read(readFileSync(path))
    const header = (sheetRows(wb, '汇总') as string[][])[0]!
    const cell = `${XLSX.utils.encode_col(header.indexOf('病例基金合计'))}2`
    wb.Sheets['汇总']![cell] = {t: 'n', v: 29999.1}
    XLSX.writeFile(wb, join(dir, 'edited.xlsx'))
    const edited = await yb(dir, ['reconcile', 'verify', 'edited.xlsx', '--month', '2025-03'])
    expect(edited.exitCode).toBe(4)
    expect(edited.stdout).toContain('✗ H003 职工 病例基金合计 = Σ 明细统筹基金应支付: 29999.10 ≠ 29901.10')
    expect(edited.stdout).toContain('✗ H003 职工 统筹基金应支付 = 病例基金合计 (逐例取整): 29901.10 ≠ 29999.10')
  })

  it('writes a case changed outside yb to hold a control character with its values in their columns', async () => {
    const {dir} = await paidRegion()
    await ybAll(dir, [['reconcile', '--month', '2025-03', '--out', 'before']])
    // The statements read a case's values joined by ␟; a value that holds one is read again a value per column.
    const db = new Database(join(dir, 'yibao.db'))
    db.prepare("UPDATE settlement_case SET dx_codes = 'I63.900' || char(31) || 'X' WHERE settlement_id = 'S7'").run()
    db.close()
    // The month is closed: the statements are written, and reported as differing from those first recorded.
    const again = await yb(dir, ['reconcile', '--month', '2025-03', '--out', 'after'])
    expect(again.exitCode, again.stderr).toBe(4)
    const [header, ...before] = csvRows(readFileSync(join(dir, 'before', `${BASE('H003')}_明细.csv`)))
    const after = csvRows(readFileSync(join(dir, 'after', `${BASE('H003')}_明细.csv`))).slice(1)
    const dx = header!.indexOf('主诊断编码')
    const expected = before.map((row) => (row[0] === 'S7' ? row.map((cell, k) => (k === dx ? 'I63.900\u001fX' : cell)) : row))
    expect(after).toEqual(expected)
    expect(before.find((row) => row[0] === 'S7')![dx]).toBe('I63.900')
  })

  it('refuses statements that would not show every stored case of the run', async () => {
    // An open month (a closed one's seal would refuse the changed run first): a case row of the run
    // whose discharge is not stored has no line in any statement, and reconcile says so.
    const {dir} = await paidRegion([], false)
    const db = new Database(join(dir, 'yibao.db'))
    const paid = db.prepare('SELECT COUNT(*) FROM run_case').pluck().get() as number
    db.prepare("INSERT INTO run_case SELECT run_id, 'S999', institution_id, pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps, points, special, seq + 100 FROM run_case WHERE settlement_id = 'S1'").run()
    db.close()
    const run = await yb(dir, ['reconcile', '--month', '2025-03', '--out', 'out', '--json'])
    expect(run.exitCode).toBe(70)
    expect(JSON.parse(run.stdout).error.message).toMatch(new RegExp(`the statements show ${paid} of the run's ${paid + 1} stored cases`))
    expect(readdirSync(join(dir, 'out'))).toEqual([])
    const one = await yb(dir, ['reconcile', '--month', '2025-03', '--institution', 'H003', '--out', 'one', '--json'])
    expect(one.exitCode, one.stderr).toBe(0)
  })

  it('reports exactly one changed amount, one missing case and one extra case in a returned detail file, in either encoding', async () => {
    const {dir} = await paidRegion()
    await ybAll(dir, [['reconcile', '--month', '2025-03', '--out', 'out']])
    const [header, ...rows] = csvRows(readFileSync(join(dir, 'out', `${BASE('H003')}_明细.csv`)))
    const fund = header!.indexOf('统筹基金应支付')
    const s7 = rows.find((r) => r[0] === 'S7')!
    s7[fund] = '10993.30'
    const extra = [...s7]
    extra[0] = 'S99'
    const returned = [header!, s7, rows.find((r) => r[0] === 'S9')!, extra].map((r) => r.join(',')).join('\n')
    writeFileSync(join(dir, 'back.csv'), returned)
    writeFileSync(join(dir, 'back-gb.csv'), iconv.encode(returned, 'gb18030'))
    for (const file of ['back.csv', 'back-gb.csv']) {
      const run = await yb(dir, ['reconcile', 'verify', file, '--month', '2025-03', '--json'])
      expect(run.exitCode, run.stderr).toBe(4)
      const result = JSON.parse(run.stdout)
      expect(result.institutions).toEqual(['H003'])
      expect(result.differences).toEqual([
        {settlementId: 'S7', kind: 'changed', field: '统筹基金应支付', workspace: '10993.33', file: '10993.30', row: 2},
        {settlementId: 'S99', kind: 'extra', field: '', workspace: '', file: '10993.30', row: 4},
        {settlementId: 'S8', kind: 'missing', field: '', workspace: '14563.33', file: '', row: 0},
      ])
      expect(result).toMatchObject({matched: 1, counts: {changed: 1, extra: 1, missing: 1, repeated: 0}, ok: false})
    }
    const text = await yb(dir, ['reconcile', 'verify', 'back.csv', '--month', '2025-03'])
    expect(text.stdout).toContain('differences: 1 missing, 1 extra, 1 changed')
  })
})
