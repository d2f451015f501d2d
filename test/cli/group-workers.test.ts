// `yb group` on worker threads (issue 15: both cores for a big file) writes what one thread
// writes, byte for byte: the output (CSV and NDJSON, with traces), the rejects file, the --json
// result, and the same refusal with the same errors when a malformed row stops the run.
// YB_WORKERS forces the workers on small files (by default from 24 MB) and YB_GROUP_BATCH_RECORDS
// makes batches of a few records, so that bad records, blank lines, quoted cells and the file's
// end fall inside and on batch boundaries.
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DEMO_DIR, SHARED, sharedPresent} from '../helpers.js'
import {messyFile} from '../messy-cases.js'
import {tempDir, withEnv, yb} from './run.js'

const outputs = (dir: string, names: readonly string[]) => names.map((name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : null))

describe('yb group on worker threads', () => {
  it('writes, rejects and reports what one thread does, batch boundaries anywhere', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'messy.csv'), messyFile())
    const runs = [
      ['csv', ['--rejects', 'rej.csv']],
      ['ndjson-explain', ['--format', 'ndjson', '--explain', '--rejects', 'rej.csv']],
      ['dip-and-drg', ['--dip', join(DEMO_DIR, '..', '..', 'dip', 'demo'), '--explain', '--rejects', 'rej.csv']],
    ] as const
    for (const [name, extra] of runs) {
      const args = ['group', '--scheme', DEMO_DIR, '--in', 'messy.csv', '--out', `${name}.out`, ...extra, '--json']
      const one = await withEnv({YB_WORKERS: '1'}, () => yb(dir, args))
      expect(one.exitCode, one.stderr).toBe(3)
      const expected = {json: one.stdout, files: outputs(dir, [`${name}.out`, 'rej.csv'])}
      expect(JSON.parse(one.stdout).rowsRejected).toBeGreaterThan(5)
      for (const [threads, batch] of [['2', '1'], ['2', '7'], ['3', '2'], ['3', '50'], ['2', '2000']]) {
        const many = await withEnv({YB_WORKERS: threads, YB_GROUP_BATCH_RECORDS: batch}, () => yb(dir, args))
        expect([many.exitCode, many.stderr], `${name} on ${threads} threads, batches of ${batch}`).toEqual([3, one.stderr])
        expect({json: many.stdout, files: outputs(dir, [`${name}.out`, 'rej.csv'])}, `${name} on ${threads} threads, batches of ${batch}`).toEqual(expected)
      }
    }
  }, 60_000)

  it('stops on a malformed row as one thread does: the same errors, exit 1, no output left', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'messy.csv'), messyFile())
    const args = ['group', '--scheme', DEMO_DIR, '--in', 'messy.csv', '--out', 'out.csv', '--json']
    const one = await withEnv({YB_WORKERS: '1'}, () => yb(dir, args))
    expect(one.exitCode).toBe(1)
    expect(JSON.parse(one.stdout).error.details.errors.length).toBeGreaterThan(5)
    for (const [threads, batch] of [['2', '3'], ['3', '1']]) {
      const many = await withEnv({YB_WORKERS: threads, YB_GROUP_BATCH_RECORDS: batch}, () => yb(dir, args))
      expect([many.exitCode, many.stdout, existsSync(join(dir, 'out.csv'))]).toEqual([1, one.stdout, false])
    }
  })

  it('groups the conformance file the same on two threads', async () => {
    if (!sharedPresent('the conformance file on grouping workers')) return
    const dir = tempDir()
    const args = (out: string) => ['group', '--scheme', join(SHARED, 'schemes', 'chs-drg-1.1'), '--in', join(SHARED, 'conformance', 'chs_drg_11_cases.csv'), '--out', out, '--json']
    const one = await withEnv({YB_WORKERS: '1'}, () => yb(dir, args('one.csv')))
    const two = await withEnv({YB_WORKERS: '2', YB_GROUP_BATCH_RECORDS: '333'}, () => yb(dir, args('two.csv')))
    expect([one.exitCode, two.exitCode]).toEqual([0, 0])
    expect(readFileSync(join(dir, 'two.csv')).equals(readFileSync(join(dir, 'one.csv')))).toBe(true)
    expect({...JSON.parse(two.stdout), output: ''}).toEqual({...JSON.parse(one.stdout), output: ''})
  }, 60_000)
})
