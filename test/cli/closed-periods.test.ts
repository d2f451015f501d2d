// Proves a closed period is a fact (issue 12): every path that used to change a closed month or
// year is refused with an error naming the period, who closed it and the way forward, and
// afterwards every row of the workspace and every byte of the closed month's statements are as
// they were. Closing twice is a no-op; a reopening needs its reason; a clearing needs its twelve
// months closed, and a closed year locks all of its inputs.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {closeMonths, yb, ybAll} from './run.js'
import {CASE_HEADER, stroke, yearPolicy, yearRegion} from './year-region.js'

/** Every row of every table, in order: what a refused command must leave as it found it. */
function snapshot(dir: string): string {
  const db = new Database(join(dir, 'yibao.db'), {readonly: true})
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'import_log' ORDER BY name").all() as {name: string}[]).map((t) => t.name)
    return JSON.stringify(tables.map((name) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2`).all()]))
  } finally {
    db.close()
  }
}

/** The bytes of every statement file of a period, by name. */
async function statements(dir: string, flag: '--month' | '--year', period: string, out: string): Promise<Record<string, string>> {
  await ybAll(dir, [['reconcile', flag, period, '--out', out]])
  return Object.fromEntries(readdirSync(join(dir, out)).sort().map((file) => [file, readFileSync(join(dir, out, file)).toString('base64')]))
}

const CLOSED = /month 2025-03 is closed \(run 1; closed [0-9T:-]+Z by (tester|[^:)]+): 拨付完成\); a closed period is not changed/

async function closedMarch(): Promise<string> {
  const dir = await yearRegion({cases: {'2025-03': [stroke('S1', 'H001'), stroke('S2', 'H001', '16000.00')], '2025-04': [stroke('S3', 'H001')]}})
  await ybAll(dir, [['pay', '--month', '2025-03'], ['period', 'close', '--month', '2025-03', '--reason', '拨付完成', '--by', 'tester']])
  return dir
}

describe('a closed month', () => {
  it('refuses every change to its cases, its deductions and its payment, and nothing changes', async () => {
    const dir = await closedMarch()
    // The statements first (writing them records their hash in the closed period), then the rows.
    const files = await statements(dir, '--month', '2025-03', 'before')
    const before = {rows: snapshot(dir), files}
    // Replacing March's cases (a changed amount, a new case).
    writeFileSync(join(dir, 'march.csv'), [CASE_HEADER, stroke('S1', 'H001', '99999.00'), stroke('S9', 'H001')].join('\n'))
    const replace = await yb(dir, ['cases', 'import', '--month', '2025-03', 'march.csv', '--replace'])
    expect(replace.exitCode).toBe(1)
    expect(replace.stderr).toMatch(new RegExp(`^error: march\\.csv: importing cases into 2025-03: ${CLOSED.source}`))
    // Moving a March case to April: it would be paid twice.
    writeFileSync(join(dir, 'april.csv'), [CASE_HEADER, stroke('S3', 'H001'), stroke('S1', 'H001')].join('\n'))
    const moved = await yb(dir, ['cases', 'import', '--month', '2025-04', 'april.csv', '--replace'])
    expect(moved.exitCode).toBe(1)
    expect(moved.stderr).toMatch(new RegExp(`^error: april\\.csv:3 settlement_id: moving case S1 from 2025-03 to 2025-04: ${CLOSED.source}`))
    // A deduction dated in March.
    writeFileSync(join(dir, 'd.csv'), 'deduction_id,institution_id,pool,month,kind,amount_yuan,basis\nD1,H001,职工,2025-03,审核扣减,100.00,迟到的审核\n')
    const deduction = await yb(dir, ['deductions', 'import', '--year', '2025', 'd.csv'])
    expect(deduction.exitCode).toBe(1)
    expect(deduction.stderr).toMatch(new RegExp(`^error: d\\.csv:2 month: deduction D1 dated 2025-03: ${CLOSED.source}`))
    // Paying it again.
    const pay = await yb(dir, ['pay', '--month', '2025-03'])
    expect(pay.exitCode).toBe(1)
    expect(pay.stderr).toMatch(CLOSED)
    expect(snapshot(dir)).toBe(before.rows)
    expect(await statements(dir, '--month', '2025-03', 'after')).toEqual(before.files)
    // April, still open, takes its own changes.
    writeFileSync(join(dir, 'april.csv'), [CASE_HEADER, stroke('S3', 'H001', '15000.00')].join('\n'))
    expect((await yb(dir, ['cases', 'import', '--month', '2025-04', 'april.csv', '--replace'])).exitCode).toBe(0)
    expect(await statements(dir, '--month', '2025-03', 'later')).toEqual(before.files)
  })

  it('closes again as a no-op with exit 0, and reopens only with a reason, logging who', async () => {
    const dir = await closedMarch()
    const again = await yb(dir, ['period', 'close', '--month', '2025-03', '--reason', '再关一次'])
    expect([again.exitCode, again.stdout]).toEqual([0, 'pay 2025-03 is already closed (run 1): nothing to do\n'])
    const empty = await yb(dir, ['period', 'reopen', '--month', '2025-03', '--reason', '  '])
    expect(empty.exitCode).toBe(1)
    expect(empty.stderr).toBe('error: 2025-03 reason: a reopening needs its reason (--reason "…"): it is kept in the period log\n')
    await ybAll(dir, [['period', 'reopen', '--month', '2025-03', '--reason', '机构申诉', '--by', 'wang']])
    const status = JSON.parse((await yb(dir, ['period', 'status', '--year', '2025', '--json'])).stdout)
    const march = status.months.find((m: {period: string}) => m.period === '2025-03')
    expect(march).toMatchObject({state: 'paid', runId: 1, cases: 2})
    expect(march.log.map((l: {action: string; reason: string; by: string}) => [l.action, l.reason, l.by])).toEqual([
      ['close', '拨付完成', 'tester'],
      ['reopen', '机构申诉', 'wang'],
    ])
  })
})

describe('a year', () => {
  it('clears only when its twelve months are closed, and closing it locks every input of the year', async () => {
    const dir = await closedMarch()
    const early = await yb(dir, ['clear', '--year', '2025'])
    expect(early.exitCode).toBe(1)
    expect(early.stderr).toBe('error: 2025: the clearing of 2025 needs all twelve months closed; not closed: 2025-01, 2025-02, 2025-04, 2025-05, 2025-06, 2025-07, 2025-08, 2025-09, 2025-10, 2025-11, 2025-12 (pay and close them (yb period close --month …); a month without cases closes without a run)\n')
    // April has cases and no run: it cannot close before it is paid.
    const unpaid = await yb(dir, closeMonths())
    expect(unpaid.exitCode).toBe(1)
    expect(unpaid.stderr).toBe('error: 2025-04: month 2025-04 has no run to close (run yb pay --month 2025-04 first)\n')
    expect((await yb(dir, ['period', 'close', '--year', '2025'])).stderr).toBe('error: 2025: year 2025 has no run to close (run yb clear --year 2025 first)\n')
    await ybAll(dir, [['pay', '--month', '2025-04'], closeMonths(), ['clear', '--year', '2025'], ['period', 'close', '--year', '2025', '--reason', '清算完成', '--by', 'tester']])
    const files = await statements(dir, '--year', '2025', 'before')
    const before = {rows: snapshot(dir), files}
    const refused = async (args: string[]) => {
      const run = await yb(dir, args)
      expect(run.exitCode, args.join(' ')).toBe(1)
      expect(run.stderr, args.join(' ')).toMatch(/year 2025 is closed \(run \d+; closed [0-9T:-]+Z by tester: 清算完成\); a closed period is not changed \(reopen the year first: yb period reopen --year 2025 --reason "…"\)/)
    }
    writeFileSync(join(dir, 'may.csv'), [CASE_HEADER, stroke('S5', 'H001')].join('\n'))
    writeFileSync(join(dir, 'd.csv'), 'deduction_id,institution_id,pool,month,kind,amount_yuan,basis\nD2,H001,职工,,违规扣款,100.00,年度\n')
    writeFileSync(join(dir, 's.csv'), 'settlement_id,decision,approved_cost_yuan,note\nS1,approved,30000.00,专家组\n')
    writeFileSync(join(dir, 'p2.yaml'), yearPolicy().replace('growth: 0.05', 'growth: 0.06'))
    writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.6,,10000\n')
    await refused(['pay', '--month', '2025-05'])
    await refused(['cases', 'import', '--month', '2025-05', 'may.csv'])
    await refused(['deductions', 'import', '--year', '2025', 'd.csv'])
    await refused(['special', 'import', 's.csv'])
    await refused(['special', 'mark', 'S1', '--note', '复核'])
    await refused(['prepay', '--year', '2025', '--reserve-months', '职工=14', '--reserve-months', '居民=7'])
    await refused(['policy', 'import', 'p2.yaml'])
    await refused(['weights', 'import', '--year', '2025', 'w.csv', '--replace'])
    await refused(['clear', '--year', '2025'])
    await refused(['period', 'reopen', '--month', '2025-05', '--reason', '补录'])
    expect(snapshot(dir)).toBe(before.rows)
    expect(await statements(dir, '--year', '2025', 'after')).toEqual(before.files)
    const status = JSON.parse((await yb(dir, ['period', 'status', '--year', '2025', '--json'])).stdout)
    expect([status.clearing.state, status.prepayment.state, status.months.every((m: {state: string}) => m.state === 'closed')]).toEqual(['closed', 'closed', true])
  })
})
