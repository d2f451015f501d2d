// `yb cases import` read and checked on worker threads (issue 15: both cores) stores and reports
// exactly what one thread does: the counts, the rejects file byte for byte, the rows, the import
// log; and refuses what one thread refuses, with the same errors. YB_WORKERS forces the workers on
// small files (by default they start at 16 MB) and YB_IMPORT_BATCH_RECORDS makes batches small
// enough that the file's bad records, blanks and its end fall inside and on batch boundaries.
import {copyFileSync, existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {paidRegion} from './region.js'
import {tempDir, withEnv, yb, ybProcess} from './run.js'

const HEADER = 'settlement_id,institution_id,insurance_type,discharge_date,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded,self_pay_all,self_pay_first,deductible'

/** 80 records an officer's spreadsheet could give: good rows, blank and Excel-blank rows, short rows, bad amounts, a line break in a cell, a case again, an unknown institution. */
function messyFile(): string {
  const good = (k: number, cost = `${10000 + k * 37}.50`) => `A${String(k).padStart(3, '0')},${k % 2 === 0 ? 'H001' : 'H003'},职工,2025-04-0${(k % 9) + 1},${(k % 2) + 1},${40 + (k % 30)},${15000 + k},,${3 + (k % 9)},1,I63.900,,${cost},${7000 + k * 11}.00,0,0,0`
  const rows: string[] = [HEADER]
  for (let k = 0; k < 80; k++) {
    const id = `A${String(k).padStart(3, '0')}`
    if (k === 30) rows.push(`${id},H001,职工,2025-04-02,1,60,22000,,8,1,"I63.900\nJ18.900",,18000.50,12000.00,800,600,1000`)
    // A case again with another cost (refused), and again as it was (the same row: nothing to do).
    else if (k === 41) rows.push(good(10, '99999.00'))
    else if (k === 44) rows.push(good(12))
    else if (k === 52) rows.push(`${id},H999,职工,2025-04-02,1,60,22000,,8,1,I63.900,,18000.50,12000.00,800,600,1000`)
    else if (k % 11 === 3) rows.push('')
    else if (k % 13 === 5) rows.push(',,,,,,,,,,,,,,,,')
    else if (k % 17 === 7) rows.push(`${id},H001,职工,2025-04-02,1,60`)
    else if (k % 19 === 2) rows.push(`${id},H001,职工,2025-04-02,1,60,22000,,8,1,I63.900,,12,000.50,9000.00,0,0,0`)
    else rows.push(good(k))
  }
  return rows.join('\n')
}

function storedCases(dbPath: string): unknown[] {
  const db = new Database(dbPath, {readonly: true})
  try {
    return [
      ...(db.prepare('SELECT * FROM settlement_case ORDER BY settlement_id').raw(true).all() as unknown[]),
      ...(db.prepare('SELECT kind, file, sha256, scope, rows_read, rows_inserted, rows_same, rows_replaced, rows_rejected, rows_skipped FROM import_log ORDER BY import_id').raw(true).all() as unknown[]),
    ]
  } finally {
    db.close()
  }
}

describe('yb cases import on worker threads', () => {
  it('stores, counts and rejects what one thread does, batch boundaries anywhere', async () => {
    const {dir: base} = await paidRegion()
    writeFileSync(join(base, 'm.csv'), messyFile())
    // The same file changed: one amount, for --replace and for the refusal without it.
    const changed = messyFile().replace('A000,H001,职工,2025-04-01,1,40,15000,,3,1,I63.900,,10000.50', 'A000,H001,职工,2025-04-01,1,40,15000,,3,1,I63.900,,10001.50')
    expect(changed).not.toBe(messyFile())
    writeFileSync(join(base, 'm2.csv'), changed)
    const outcomes: Record<string, unknown> = {}
    for (const [workers, batch] of [['1', '500'], ['2', '1'], ['2', '7'], ['3', '5'], ['2', '500']] as const) {
      const dir = tempDir()
      copyFileSync(join(base, 'yibao.db'), join(dir, 'yibao.db'))
      for (const file of ['m.csv', 'm2.csv']) copyFileSync(join(base, file), join(dir, file))
      outcomes[`${workers}/${batch}`] = await withEnv({YB_WORKERS: workers, YB_IMPORT_BATCH_RECORDS: batch}, async () => {
        const first = await yb(dir, ['cases', 'import', '--month', '2025-04', 'm.csv', '--rejects', 'r1.csv', '--json'])
        const again = await yb(dir, ['cases', 'import', '--month', '2025-04', 'm.csv', '--rejects', 'r2.csv', '--json'])
        const refused = await yb(dir, ['cases', 'import', '--month', '2025-04', 'm2.csv', '--json'])
        const replaced = await yb(dir, ['cases', 'import', '--month', '2025-04', 'm2.csv', '--replace', '--rejects', 'r3.csv', '--json'])
        // A case of the closed month 2025-03 moved into 2025-04: refused row by row (the conflict rule runs in the importing thread).
        writeFileSync(join(dir, 'moved.csv'), `${HEADER}\nS1,H001,职工,2025-03-04,1,60,22000,,8,1,I63.900,,18000.50,12000.00,800,600,1000\n`)
        const moved = await yb(dir, ['cases', 'import', '--month', '2025-04', 'moved.csv', '--json'])
        const noHeader = await yb(dir, ['cases', 'import', '--month', '2025-04', 'r1.csv', '--json'])
        const runs = [first, again, refused, replaced, moved, noHeader].map((r) => ({exitCode: r.exitCode, stdout: r.stdout.replace(/r[123]\.csv/g, 'r.csv'), stderr: r.stderr}))
        return {runs, rejects: ['r1.csv', 'r2.csv', 'r3.csv'].map((f) => readFileSync(join(dir, f), 'utf8')), stored: storedCases(join(dir, 'yibao.db'))}
      })
    }
    const one = outcomes['1/500'] as {runs: {exitCode: number; stdout: string}[]; rejects: string[]}
    const first = JSON.parse(one.runs[0]!.stdout) as Record<string, number>
    expect(first.rowsRead).toBe(80)
    expect(first.rowsRead).toBe(first.inserted! + first.same! + first.replaced! + first.rejected! + first.skipped!)
    expect(first.rejected).toBeGreaterThanOrEqual(8)
    expect(first.skipped).toBeGreaterThanOrEqual(10)
    expect(one.rejects[0]).toContain('duplicate_key')
    expect(first.same).toBe(1)
    // 3: rows rejected into the rejects file; 1: refused (a changed case without --replace, a case of a closed month, a rejects file as input).
    expect(one.runs.map((r) => r.exitCode)).toEqual([3, 3, 1, 3, 1, 1])
    for (const [key, outcome] of Object.entries(outcomes)) expect(outcome, key).toEqual(one)
  }, 300_000)

  it('leaves the workspace file whole when the command exits: the workers close their reads first', async () => {
    const {dir} = await paidRegion()
    writeFileSync(join(dir, 'm.csv'), messyFile())
    const env = {YB_WORKERS: '3', YB_IMPORT_BATCH_RECORDS: '2', YB_PRICING_PAGE_CASES: '3'}
    // In this process (the worker threads live on after the command, as they would in a long-lived caller) and as its own process.
    const imported = await withEnv(env, () => yb(dir, ['cases', 'import', '--month', '2025-04', 'm.csv', '--rejects', 'r.csv', '--json']))
    expect(imported.exitCode, imported.stderr).toBe(3)
    const inserted = (JSON.parse(imported.stdout) as {inserted: number}).inserted
    expect(inserted).toBeGreaterThan(50)
    const paid = await withEnv(env, () => yb(dir, ['pay', '--month', '2025-04']))
    expect(paid.exitCode, paid.stderr).toBe(0)
    expect(existsSync(join(dir, 'yibao.db-wal')) ? statSync(join(dir, 'yibao.db-wal')).size : 0).toBe(0)
    const again = await ybProcess(dir, ['pay', '--month', '2025-04', '--force'], undefined, env)
    expect(again.exitCode, again.stderr).toBe(0)
    // SQLite folds its log into the file when the last connection closes; a worker's read left open would keep it apart.
    const wal = join(dir, 'yibao.db-wal')
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0)
    copyFileSync(join(dir, 'yibao.db'), join(dir, 'copy.db'))
    const copy = new Database(join(dir, 'copy.db'), {readonly: true})
    try {
      expect(copy.prepare("SELECT COUNT(*) FROM settlement_case WHERE month = '2025-04'").pluck().get()).toBe(inserted)
      expect(copy.prepare("SELECT COUNT(*) FROM run_case JOIN run USING (run_id) WHERE run.kind = 'pay' AND run.period = '2025-04'").pluck().get()).toBe(inserted * 2)
    } finally {
      copy.close()
    }
  })
})
