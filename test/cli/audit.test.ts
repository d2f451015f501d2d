// Proves tamper evidence (issue 12): a hand edit of the workspace file (a case amount, a run's
// result) is found by `yb audit verify` (exit 4, naming the row or run), and `yb reconcile`
// refuses to write the statements of a closed month whose rows no longer match its run. The
// first statements of a closed month are recorded; writing them again gives the same bytes.
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {closeMonths, withEnv, yb, ybAll} from './run.js'
import {stroke, yearRegion} from './year-region.js'

const edit = (dir: string, sql: string) => {
  const db = new Database(join(dir, 'yibao.db'))
  db.prepare(sql).run()
  db.close()
}

describe('yb audit verify', () => {
  it('finds a hand edit of a case and of a run, and reconcile refuses the closed month it touches', async () => {
    const dir = await yearRegion({cases: {'2025-03': [stroke('S1', 'H001'), stroke('S2', 'H001')]}})
    await ybAll(dir, [['pay', '--month', '2025-03'], ['period', 'close', '--month', '2025-03', '--reason', '拨付完成'], ['reconcile', '--month', '2025-03', '--out', 'first']])
    const clean = await yb(dir, ['audit', 'verify', '--year', '2025'])
    expect([clean.exitCode, clean.stdout]).toEqual([0, 'audit 2025: 8 tables of rows, 1 runs (0 from before runs were sealed), 1 closed months\n✓ everything is as yb wrote it\n'])
    // The same statements again: the bytes first recorded.
    expect(JSON.parse((await yb(dir, ['reconcile', '--month', '2025-03', '--out', 'again', '--json'])).stdout).statementsRecorded).toMatchObject({matches: true})

    edit(dir, "UPDATE settlement_case SET total_cost = '140000.00' WHERE settlement_id = 'S1'")
    const found = await yb(dir, ['audit', 'verify', '--year', '2025', '--json'])
    expect(found.exitCode).toBe(4)
    expect(JSON.parse(found.stdout).findings).toEqual([
      {kind: 'row', where: 'settlement_case S1', message: 'its values no longer give the hash its import recorded: it was changed outside yb'},
    ])
    // The row hash itself edited too: the month's run no longer matches what it read.
    edit(dir, "UPDATE settlement_case SET row_hash = 'x' WHERE settlement_id = 'S1'")
    const both = JSON.parse((await yb(dir, ['audit', 'verify', '--year', '2025', '--json'])).stdout).findings.map((f: {kind: string; where: string}) => [f.kind, f.where])
    expect(both).toEqual([
      ['row', 'settlement_case S1'],
      ['closed_period', 'month 2025-03 (run 1)'],
    ])
    const refused = await yb(dir, ['reconcile', '--month', '2025-03', '--out', 'after'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toBe('error: 2025-03: the closed month 2025-03 is not as its run recorded it: its cases changed after it closed (yb audit verify --year 2025 lists what changed)\n')
    // Checked while the statements are written aside: none of them reaches the folder, on statement workers too.
    expect(existsSync(join(dir, 'after')) ? readdirSync(join(dir, 'after')) : []).toEqual([])
    const onWorkers = await withEnv({YB_WORKERS: '2'}, () => yb(dir, ['reconcile', '--month', '2025-03', '--out', 'after2']))
    expect([onWorkers.exitCode, onWorkers.stderr]).toEqual([1, refused.stderr])
    expect(existsSync(join(dir, 'after2')) ? readdirSync(join(dir, 'after2')) : []).toEqual([])

    edit(dir, "UPDATE run_case SET fund_yuan = '99999.00' WHERE settlement_id = 'S2'")
    const run = JSON.parse((await yb(dir, ['audit', 'verify', '--json'])).stdout).findings.map((f: {kind: string; where: string}) => [f.kind, f.where])
    expect(run).toContainEqual(['run', 'run 1 (pay 2025-03)'])
  })

  it("finds a run's case rows put in another order, and verifies a clearing whose order is not the key's", async () => {
    const cases = [stroke('S1', 'H001'), stroke('S2', 'H001'), stroke('S3', 'H001')]
    const dir = await yearRegion({cases: {'2025-03': cases, '2025-04': [stroke('S0', 'H001'), stroke('S4', 'H001')]}})
    await ybAll(dir, [['pay', '--month', '2025-03'], ['pay', '--month', '2025-04'], closeMonths(), ['clear', '--year', '2025']])
    // The clearing wrote March (S1 S2 S3) before April (S0 S4): its seq does not follow settlement_id.
    const clean = await yb(dir, ['audit', 'verify', '--year', '2025', '--json'])
    expect([clean.exitCode, JSON.parse(clean.stdout).findings]).toEqual([0, []])
    // Only the order changed: every value is the same, S1 and S3 swap places in March's run.
    edit(dir, "UPDATE run_case SET seq = CASE settlement_id WHEN 'S1' THEN 3 ELSE 1 END WHERE run_id = 1 AND settlement_id IN ('S1', 'S3')")
    const found = JSON.parse((await yb(dir, ['audit', 'verify', '--json'])).stdout).findings.map((f: {kind: string; where: string}) => [f.kind, f.where])
    expect(found).toEqual([['run', 'run 1 (pay 2025-03)']])
  })

  it('finds a case paid in two current runs of a year', async () => {
    const dir = await yearRegion({cases: {'2025-03': [stroke('S1', 'H001')], '2025-04': [stroke('S2', 'H001')]}})
    await ybAll(dir, [['pay', '--month', '2025-03'], ['pay', '--month', '2025-04']])
    // April's run also pays S1, as a case moved between open months and March never paid again would have been.
    edit(dir, "INSERT INTO run_case SELECT 2, settlement_id, institution_id, pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps, points, special, seq FROM run_case WHERE run_id = 1")
    const findings = JSON.parse((await yb(dir, ['audit', 'verify', '--year', '2025', '--json'])).stdout).findings.map((f: {kind: string; where: string; message: string}) => [f.kind, f.where, f.message])
    expect(findings).toContainEqual(['paid_twice', '2025 S1', 'paid in the current runs 1,2, not through a correction'])
  })
})
