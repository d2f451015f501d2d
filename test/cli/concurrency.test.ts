// Proves one writer at a time with real processes (issue 12): while `yb pay` holds the
// workspace, a second pay, a case import or a period close waits for it (and then works on what
// the first one left), or, with YB_WAIT=0, exits 5 naming the holder; a reader is never blocked.
// Afterwards the workspace is what the same commands run one after the other would leave.
import {writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {execa} from 'execa'
import {describe, expect, it} from 'vitest'
import {BIN, DEMO_DIR} from '../helpers.js'
import {tempDir, ybAll} from './run.js'
import {yearPolicy} from './year-region.js'

/** A region whose March (20,000 synthetic cases) takes a while to pay. */
async function busyRegion(): Promise<string> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...Array.from({length: 20}, (_, k) => `H${String(k + 1).padStart(3, '0')},医院${k + 1},三级,1.00,职工|居民`)].join('\n'))
  writeFileSync(join(dir, 'p.yaml'), yearPolicy().replace('missing_weight_max_share: 0.01', 'missing_weight_max_share: 1'))
  await ybAll(dir, [
    ['init'],
    ['scheme', 'import', DEMO_DIR],
    ['institution', 'import', 'inst.csv'],
    ['synth', 'cases', '--scheme', DEMO_DIR, '--count', '20000', '--seed', '9', '--month', '2025-03', '--institutions', '20', '--out', 'c.csv'],
  ])
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,10000\nBR21,2.1,,22000\n')
  await ybAll(dir, [['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'p.yaml'], ['cases', 'import', '--month', '2025-03', 'c.csv']])
  return dir
}

function start(dir: string, args: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], {cwd: dir, reject: false, env: {YB_DB: join(dir, 'yibao.db'), CI: 'true', ...env}})
}

/** Waits until a process of `command` holds the writer lock. */
async function heldBy(dir: string, command: string): Promise<number> {
  for (let k = 0; k < 300; k++) {
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    const row = db.prepare('SELECT pid, command FROM writer_lock WHERE id = 1').get() as {pid: number; command: string} | undefined
    db.close()
    if (row?.command === command) return row.pid
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${command} never took the workspace`)
}

const current = (dir: string) => {
  const db = new Database(join(dir, 'yibao.db'), {readonly: true})
  try {
    const runs = db.prepare('SELECT run_id, superseded_by FROM run ORDER BY run_id').all()
    const period = db.prepare("SELECT state, run_id FROM period WHERE kind = 'pay' AND period = '2025-03'").get()
    const lines = db.prepare("SELECT institution_id, pool, lines_json FROM run_institution WHERE run_id = (SELECT run_id FROM period WHERE kind = 'pay' AND period = '2025-03') ORDER BY 1, 2").all() as {lines_json: string}[]
    return {runs, period, lines: lines.map((l) => ({...JSON.parse(l.lines_json), rate: undefined}))}
  } finally {
    db.close()
  }
}

/** Holds the writer lock as `command` in the name of a real process that lives `seconds`. */
function holdLock(dir: string, command: string, seconds: number) {
  const holder = execa('sleep', [String(seconds)], {reject: false})
  const db = new Database(join(dir, 'yibao.db'))
  db.prepare('INSERT INTO writer_lock (id, pid, command, started_at, host) VALUES (1, ?, ?, ?, ?)').run(holder.pid, command, '2025-04-01T02:00:00Z', hostname())
  db.close()
  return holder
}

describe('one writer at a time', () => {
  it('refuses a second writer with exit 5 naming the holder, waits when told to, and never blocks a reader', async () => {
    const dir = await busyRegion()
    const holder = holdLock(dir, 'yb cases import --month 2025-03 big.csv', 3)
    const refused = await start(dir, ['pay', '--month', '2025-03'], {YB_WAIT: '0'})
    expect(refused.exitCode).toBe(5)
    expect(refused.stderr).toBe(`error: the workspace is busy: yb cases import --month 2025-03 big.csv (pid ${holder.pid}) since 2025-04-01T02:00:00Z; waited 0 s (set YB_WAIT=<seconds> to wait longer)`)
    const asJson = JSON.parse((await start(dir, ['period', 'close', '--month', '2025-03', '--json'], {YB_WAIT: '0'})).stdout)
    expect(asJson).toMatchObject({exitCode: 5, error: {code: 'workspace_busy', details: {holder: {pid: holder.pid, command: 'yb cases import --month 2025-03 big.csv'}}}})
    // A reader does not wait.
    const reader = await start(dir, ['period', 'status', '--year', '2025', '--json'], {YB_WAIT: '0'})
    expect(reader.exitCode, reader.stderr).toBe(0)
    // A patient writer waits until the holder is gone, then works.
    const patient = start(dir, ['pay', '--month', '2025-03'], {YB_WAIT: '20'})
    await holder
    expect((await patient).exitCode).toBe(0)
    expect(current(dir).runs).toEqual([{run_id: 1, superseded_by: null}])
  })

  it('runs concurrent pays, an import and a close one at a time: the workspace is a serial run’s', async () => {
    const dir = await busyRegion()
    writeFileSync(join(dir, 'more.csv'), 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded\nX1,H001,职工,1,60,22000,,8,I63.900,,14000.00,14000.00\n')
    const pay1 = start(dir, ['pay', '--month', '2025-03'])
    await heldBy(dir, 'yb pay --month 2025-03')
    const [pay2, imported, closed] = await Promise.all([start(dir, ['pay', '--month', '2025-03', '--force']), start(dir, ['cases', 'import', '--month', '2025-04', 'more.csv']), start(dir, ['period', 'close', '--month', '2025-03', '--reason', '拨付完成'])])
    const first = await pay1
    expect([first.exitCode, imported.exitCode, closed.exitCode], `${first.stderr}${imported.stderr}${closed.stderr}`).toEqual([0, 0, 0])
    const after = current(dir)
    const runs = after.runs as {run_id: number; superseded_by: number | null}[]
    // The close came after one pay or both: it closed the run that was current then, which is the current one now,
    // and a pay that came after it was refused, as a serial run would refuse it.
    expect(closed.stdout).toBe(`closed pay 2025-03 (run ${runs.at(-1)!.run_id})`)
    expect(after.period).toEqual({state: 'closed', run_id: runs.at(-1)!.run_id})
    expect(pay2.exitCode === 0 ? runs.length : pay2.exitCode).toBe(pay2.exitCode === 0 ? 2 : 1)
    expect(runs.slice(0, -1).every((r, k) => r.superseded_by === runs[k + 1]!.run_id)).toBe(true)
    // The closed run's lines are those of the month's cases paid alone (a fresh serial pay in a reopened month gives them again).
    await ybAll(dir, [['period', 'reopen', '--month', '2025-03', '--reason', '对照'], ['pay', '--month', '2025-03', '--force']])
    expect(current(dir).lines).toEqual(after.lines)
  })
})
