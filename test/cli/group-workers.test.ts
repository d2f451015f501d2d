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
import {tempDir, withEnv, yb} from './run.js'

const HEADER = 'settlement_id,institution_id,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,note'

/** 120 records: good cases of every kind, blank and Excel-blank lines, quoted cells (one over two lines), short rows, bad numbers, an unclosed quote. */
function messyFile(): string {
  const kinds = ['1,66,24100,,9,1,I63.900|J96.000,,18230.50,', '2,30,11000,,4,1,O80.000,73.5900,6100.00,', '1,0,3,1400,30,1,P07.100,,88000.00,newborn', '1,50,18300,,5,1,Z51.100,99.2500,9000.10,', ',70,25600,,6,1,I63.900,,12000.00,sex missing', '1,61,22300,,3,1,I63.900,47.0900,15000.00,qy']
  const rows = [HEADER]
  for (let k = 0; k < 120; k++) {
    const id = `S${String(k).padStart(3, '0')}`
    if (k % 23 === 4) rows.push('')
    else if (k % 19 === 6) rows.push(',,,,,,,,,,,')
    else if (k === 33) rows.push(`${id},H01,1,66,24100,,9,1,I63.900,,18230.50,"two\nlines, one cell"`)
    else if (k % 17 === 9) rows.push(`${id},H01,1,66,24100,,9,1,I63.900,,"18,230.50",quoted amount`)
    else if (k % 29 === 11) rows.push(`${id},H02,1,66`)
    else if (k === 77) rows.push(`${id},H02,1,66,24100,,9,1,I63.900,,18230.50,"never closed`)
    else rows.push(`${id},H0${(k % 3) + 1},${kinds[k % kinds.length]}`)
  }
  return `${rows.join('\n')}\n`
}

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
