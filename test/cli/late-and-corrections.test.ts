// Proves late claims and corrections end to end (issue 12): a case of closed March declared in
// May is paid in May as 跨月; a March case corrected in May shows a 冲正 of what March paid and a
// 补退 of the corrected case in May, each naming the run; March's statement files are
// byte-identical before and after; the clearing prices the corrected case once, no case is paid
// in two current runs, and every 分 is paid once over the year.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import XLSX from 'xlsx'
import {describe, expect, it} from 'vitest'
import {closeMonths, yb, ybAll} from './run.js'
import {CASE_HEADER, type ClearJson, json, lineOf, stroke, yearRegion} from './year-region.js'

const withDischarge = (row: string, date: string) => {
  const header = `${CASE_HEADER},discharge_date`
  return {header, row: `${row},${date}`}
}

async function files(dir: string, out: string): Promise<Record<string, string>> {
  await ybAll(dir, [['reconcile', '--month', '2025-03', '--out', out]])
  return Object.fromEntries(readdirSync(join(dir, out)).sort().map((f) => [f, readFileSync(join(dir, out, f)).toString('base64')]))
}

describe('a late claim and a correction of a closed month', () => {
  it('are settled in May, leave March as it was, and the year pays every case once', async () => {
    // March: S1 and S2, 15,000.00 each to the fund; paid 28,500.00 (p = 0.95), closed.
    const dir = await yearRegion({cases: {'2025-03': [stroke('S1', 'H001'), stroke('S2', 'H001', '16000.00')]}})
    await ybAll(dir, [['pay', '--month', '2025-03'], ['period', 'close', '--month', '2025-03', '--reason', '拨付完成']])
    const march = await files(dir, 'before')

    // L1 was discharged on 20 March and declared in May: imported into May, as 跨月.
    const late = withDischarge(stroke('L1', 'H001'), '2025-03-20')
    writeFileSync(join(dir, 'may.csv'), [late.header, late.row].join('\n'))
    await ybAll(dir, [['cases', 'import', '--month', '2025-05', 'may.csv']])
    // S1's cost was 36,000.00, not 14,000.00: a correction, into May (a high outlier: 15,000 + (36,000 − 20,000) × 0.7 = 26,200.00).
    writeFileSync(join(dir, 'corr.csv'), [CASE_HEADER, stroke('S1', 'H001', '36000.00')].join('\n'))
    const refused = await yb(dir, ['cases', 'import', '--month', '2025-05', 'corr.csv', '--replace'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('moving case S1 from 2025-03 to 2025-05: month 2025-03 is closed')
    const corrected = await yb(dir, ['cases', 'import', '--month', '2025-05', 'corr.csv', '--correct'])
    expect(corrected.exitCode, corrected.stderr).toBe(0)
    expect(corrected.stdout).toContain('1 rows read, 1 new')

    const may = await json<{institutions: {lateClaims: number; corrections: number; cases: number; casesFundYuan: string; payYuan: string}[]; corrections: {settlementId: string; reverses: {runId: number; fundYuan: string}; fundYuan: string}[]; checks: {holds: boolean}[]}>(dir, ['pay', '--month', '2025-05'])
    // L1 15,000.00 + (26,200.00 − 15,000.00) = 26,200.00 due, paid 24,890.00.
    expect(may.institutions[0]).toMatchObject({cases: 1, lateClaims: 1, corrections: 2, casesFundYuan: '26200.00', payYuan: '24890.00'})
    expect(may.corrections).toEqual([expect.objectContaining({settlementId: 'S1', reverses: {runId: 1, institutionId: 'H001', pool: '职工', fundYuan: '15000.00'}, fundYuan: '26200.00'})])
    expect(may.checks.every((c) => c.holds)).toBe(true)
    const text = (await yb(dir, ['pay', '--month', '2025-05'])).stdout
    expect(text).toContain('冲正/补退 S1: 冲正 15,000.00 paid by run 1 (H001 职工), 补退 26,200.00 as corrected (H001 职工)')
    expect(text).toContain('跨月: H001 职工 1 case(s) discharged in an earlier month and declared in 2025-05')

    // May's statement: L1 as 跨月, S1's two lines, and its own equations hold.
    const run = await json<{checks: {failed: number}}>(dir, ['reconcile', '--month', '2025-05', '--out', 'may'])
    expect(run.checks.failed).toBe(0)
    const wb = XLSX.read(readFileSync(join(dir, 'may', readdirSync(join(dir, 'may')).find((f) => f.endsWith('.xlsx'))!)))
    const [header, ...rows] = XLSX.utils.sheet_to_json(wb.Sheets['明细']!, {header: 1, raw: false}) as string[][]
    const col = (name: string) => header!.indexOf(name)
    // As a spreadsheet shows them (raw: false): number cells with thousands separators.
    expect(rows.map((r) => [r[0], r[col('结算类型')], r[col('统筹基金应支付')]])).toEqual([
      ['L1', '跨月', '15,000.00'],
      ['S1', '冲正', '-15,000.00'],
      ['S1', '补退', '26,200.00'],
    ])
    const [summaryHeader, summary] = XLSX.utils.sheet_to_json(wb.Sheets['汇总']!, {header: 1, raw: false}) as string[][]
    expect(summary![summaryHeader!.indexOf('出院人次')]).toBe('1')
    // A returned May file is verified as it was sent: the correction lines are not taken for extra cases.
    const detailCsv = readdirSync(join(dir, 'may')).find((f) => f.endsWith('_明细.csv'))!
    expect((await yb(dir, ['reconcile', 'verify', join('may', detailCsv), '--month', '2025-05'])).exitCode).toBe(0)

    // March: not one byte changed.
    expect(await files(dir, 'after')).toEqual(march)

    // The year: S1 is cleared as corrected, once: 26,200 + 15,000 (S2) + 15,000 (L1) = 56,200.00; paid 28,500 + 24,890 = 53,390.00.
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    expect([lineOf(clear, 'H001', 'entitled'), lineOf(clear, 'H001', 'monthlyPaid')]).toEqual(['56200.00', '53390.00'])
    expect(clear.institutions[0]!.balanceYuan).toBe('2810.00')
    expect(clear.checks.every((c) => c.holds)).toBe(true)
  })

  it('refuses a correction of a case whose month is still open, and of a case it does not know', async () => {
    const dir = await yearRegion({cases: {'2025-03': [stroke('S1', 'H001')]}})
    writeFileSync(join(dir, 'corr.csv'), [CASE_HEADER, stroke('S1', 'H001', '36000.00'), stroke('NOPE', 'H001')].join('\n'))
    const run = await yb(dir, ['cases', 'import', '--month', '2025-05', 'corr.csv', '--correct'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(
      [
        'error: corr.csv:2 settlement_id: case S1 is settled in 2025-03, which is still open: change it there (yb cases import --month 2025-03 --replace)',
        'error: corr.csv:3 settlement_id: case NOPE is not in the workspace: a new case is imported without --correct',
        '',
      ].join('\n'),
    )
    // A month whose cases changed since its run does not close on that run.
    await ybAll(dir, [['pay', '--month', '2025-03']])
    writeFileSync(join(dir, 'again.csv'), [CASE_HEADER, stroke('S1', 'H001', '15000.00')].join('\n'))
    await ybAll(dir, [['cases', 'import', '--month', '2025-03', 'again.csv', '--replace']])
    const close = await yb(dir, ['period', 'close', '--month', '2025-03'])
    expect(close.exitCode).toBe(1)
    expect(close.stderr).toBe('error: 2025-03: month 2025-03 changed since its run 1 (its cases): closing it would close a payment of other inputs (pay it again first: yb pay --month 2025-03)\n')
  })
})
