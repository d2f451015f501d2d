// `yb reconcile` on two worker threads (issue 15: both cores for a large month) writes the same
// bytes as in one thread: every file and the manifest, for a monthly payment with corrections
// and late claims absent or present, and for a year-end clearing of 30 institutions. YB_WORKERS
// forces the split on these small regions (by default it starts at 100,000 cases).
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {paidRegion} from './region.js'
import {tempDir, withEnv, yb} from './run.js'

const hashes = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]))

async function reconcileWith(workers: string, dir: string, args: string[], out: string): Promise<Record<string, string>> {
  const run = await withEnv({YB_WORKERS: workers}, () => yb(dir, ['reconcile', ...args, '--out', out]))
  expect(run.exitCode, run.stderr).toBe(0)
  return hashes(join(dir, out))
}

describe('yb reconcile on worker threads', () => {
  it('writes the same files, byte for byte, with one, two or three batches', async () => {
    const {dir} = await paidRegion()
    const one = await reconcileWith('1', dir, ['--month', '2025-03'], 'one')
    expect(Object.keys(one)).toContain('manifest.csv')
    expect(await reconcileWith('2', dir, ['--month', '2025-03'], 'two')).toEqual(one)

    const year = tempDir()
    expect((await yb(year, ['demo', '--count', '10', '--out-dir', 'd'])).exitCode).toBe(0)
    const db = ['--db', 'd/demo.db']
    const single = await reconcileWith('1', year, ['--year', '2025', ...db], 'y1')
    expect(Object.keys(single).filter((f) => f.endsWith('.xlsx')).length).toBe(30)
    expect(await reconcileWith('2', year, ['--year', '2025', ...db], 'y2')).toEqual(single)
    expect(await reconcileWith('3', year, ['--year', '2025', ...db], 'y3')).toEqual(single)
    const month = await reconcileWith('1', year, ['--month', '2025-07', ...db], 'm1')
    expect(await reconcileWith('2', year, ['--month', '2025-07', ...db], 'm2')).toEqual(month)
  }, 120_000)
})
