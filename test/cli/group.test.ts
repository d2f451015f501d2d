// Proves `yb group` as its user runs it: streaming CSV/NDJSON output in input order with every
// input column, explain traces, Chinese headers and GB18030, malformed input stopping with
// file:row column and exit 1 (no output left), --rejects with exit 3, and clean stdout for cron.
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb} from './run.js'

const HEADER = 'settlement_id,institution_id,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,note'
const CASES = `${HEADER}
S1,H01,1,66,24100,,9,1,I63.900|J96.000,,18230.50,"stroke, with MCC"
S2,H01,2,30,11000,,4,1,O80.000,73.5900,6100.00,
S3,H02,1,0,3,1400,30,1,P07.100,,88000.00,newborn
S4,H02,1,50,18300,,5,1,Z51.100,99.2500,9000.10,no MDC
S5,H03,,70,25600,,6,1,I63.900,,12000.00,sex missing
S6,H03,1,61,22300,,3,1,I63.900,47.0900,15000.00,qy
`

function setup(cases = CASES): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'cases.csv'), cases)
  return dir
}

describe('yb group', () => {
  it('writes every input column plus the result columns, in input order', async () => {
    const dir = setup()
    const run = await yb(dir, ['group', '--scheme', DEMO_DIR, '--in', 'cases.csv', '--out', 'out.csv'])
    expect(run.exitCode).toBe(0)
    const rows = parse(readFileSync(join(dir, 'out.csv')), {columns: true}) as Record<string, string>[]
    expect(Object.keys(rows[0]!)).toEqual([...HEADER.split(','), 'mdc', 'adrg', 'drg', 'drg_name', 'status', 'reason'])
    expect(rows.map((r) => [r.settlement_id, r.drg, r.status])).toEqual([
      ['S1', 'BR21', 'grouped'],
      ['S2', 'OR19', 'grouped'],
      ['S3', 'PS15', 'grouped'],
      ['S4', '0000', 'ungroupable'],
      ['S5', '', 'invalid'],
      ['S6', 'BQY', 'qy'],
    ])
    expect(rows[0]!.note).toBe('stroke, with MCC')
    expect(rows[4]!.reason).toBe('sex_missing: sex is missing or not stated')
    expect(run.stdout).toMatch(/grouped 6 cases with demo → out\.csv/)
  })

  it('writes NDJSON with the trace as an array under --explain', async () => {
    const dir = setup()
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.ndjson', '--format', 'ndjson', '--explain'])
    expect(run.exitCode).toBe(0)
    const lines = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines).toHaveLength(6)
    expect(lines[0]).toMatchObject({settlement_id: 'S1', drg: 'BR21', status: 'grouped', note: 'stroke, with MCC'})
    expect(lines[0]!.trace).toEqual([
      expect.stringMatching(/^MDCB \(mdc\.csv line \d+\): pdx in zd\[MDCB\] \(I63\.900\)$/),
      expect.stringMatching(/^BR2 rule BR2 .*pdx in zd\[BR2\] \(I63\.900\)$/),
      expect.stringMatching(/^BR21 .*: has_mcc via J96\.000 MCC$/),
      'cc: J96.000 MCC counted (its table resp; pdx I63.900 has no exclusion table)',
    ])
  })

  it('joins the trace into one CSV column', async () => {
    const dir = setup()
    await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv', '--explain'])
    const rows = parse(readFileSync(join(dir, 'out.csv')), {columns: true}) as Record<string, string>[]
    expect(rows[5]!.trace).toContain('MDCB qy: no procedure ADRG row held and 47.0900 is in valid_px[*] → BQY')
  })

  it('reads Chinese headers with split principal-diagnosis columns', async () => {
    const dir = setup(['结算流水号,机构编码,性别,年龄,年龄(天),新生儿出生体重(克),住院天数,离院方式,主要诊断编码,其他诊断编码,手术操作编码,医疗总费用', 'S1,H01,男,66,24100,,9,1,I63.900,J96.000|I10.x00,,18230.50'].join('\n'))
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv'])
    expect(run.exitCode).toBe(0)
    expect((parse(readFileSync(join(dir, 'out.csv')), {columns: true}) as Record<string, string>[])[0]).toMatchObject({结算流水号: 'S1', drg: 'BR21'})
  })

  it('reads GB18030 when asked, and says to ask when it is not', async () => {
    const text = ['结算流水号,机构编码,性别,年龄,年龄(天),新生儿出生体重(克),住院天数,诊断,手术操作,备注', 'S1,H01,女,30,11000,,4,O80.000,,顺产'].join('\r\n')
    const dir = tempDir()
    writeFileSync(join(dir, 'gb.csv'), new TextEncoderGb18030().encode(text))
    const ok = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'gb.csv', '-o', 'out.csv', '--encoding', 'gb18030'])
    expect(ok.exitCode).toBe(0)
    expect((parse(readFileSync(join(dir, 'out.csv')), {columns: true}) as Record<string, string>[])[0]).toMatchObject({备注: '顺产', drg: 'OR19'})
    const wrong = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'gb.csv', '-o', 'out2.csv'])
    expect(wrong.exitCode).toBe(1)
    expect(wrong.stderr).toMatch(/gb\.csv: the bytes after offset 0 are not valid utf-8 \(is it gb18030\? try --encoding gb18030\)/)
    expect(existsSync(join(dir, 'out2.csv'))).toBe(false)
  })

  it('stops on a malformed row with file, row and column, exit 1, and leaves no output', async () => {
    const dir = setup(CASES.replace('S2,H01,2,30', 'S2,H01,2,3O').replace('S4,H02,1,50,18300', 'S4,H02,1,50,-5'))
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(['error: cases.csv:3 age_years: "3O" is not a whole number ≥ 0', 'error: cases.csv:5 age_days: "-5" is not a whole number ≥ 0', ''].join('\n'))
    expect(existsSync(join(dir, 'out.csv'))).toBe(false)
  })

  it('reports a row with the wrong number of columns and a header without a required column', async () => {
    const dir = setup(`${CASES}S7,H01,1\n`)
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv'])
    expect(run.stderr).toBe('error: cases.csv:8: the row has 3 fields but the header has 12\n')
    const bad = setup(CASES.replace('los_days,', 'stay,'))
    const header = await yb(bad, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv'])
    expect(header.exitCode).toBe(1)
    expect(header.stderr).toBe('error: cases.csv:1 los_days: the header lacks los_days (see docs/case-format.md for the columns and their Chinese names)\n')
  })

  it('with --rejects groups the good rows, writes the bad ones with their reason, and exits 3', async () => {
    const dir = setup(CASES.replace('S2,H01,2,30', 'S2,H01,X,30'))
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv', '--rejects', 'rejects.csv'])
    expect(run.exitCode).toBe(3)
    expect((parse(readFileSync(join(dir, 'out.csv')), {columns: true}) as Record<string, string>[]).map((r) => r.settlement_id)).toEqual(['S1', 'S3', 'S4', 'S5', 'S6'])
    const rejects = parse(readFileSync(join(dir, 'rejects.csv')), {columns: true}) as Record<string, string>[]
    expect(rejects).toEqual([
      expect.objectContaining({settlement_id: 'S2', sex: 'X', reject_line: '3', reject_column: 'sex', reject_code: 'value_not_allowed', reject_reason: '"X" is not a sex code (use 1 or 男, 2 or 女; 0, 9 or blank when not stated)'}),
    ])
    expect(run.stdout).toMatch(/1 malformed rows written to rejects\.csv/)
  })

  it('streams stdin to stdout with nothing else on stdout and no escape codes', async () => {
    const dir = tempDir()
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '--in', '-', '--out', '-'], CASES)
    expect(run.exitCode).toBe(0)
    expect((parse(run.stdout, {columns: true}) as unknown[]).length).toBe(6)
    expect(run.stdout + run.stderr).not.toMatch(/\u001B/)
    expect(run.stderr).toMatch(/^grouped 6 cases with demo → stdout/)
  })

  it('returns its result under --json, and refuses --json with --out -', async () => {
    const dir = setup()
    const run = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv', '--json'])
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      scheme: {id: 'demo'},
      rowsRead: 6,
      casesWritten: 6,
      byStatus: {grouped: 3, qy: 1, ungroupable: 1, invalid: 1},
      byMdc: {MDCB: 2, MDCO: 1, MDCP: 1},
      rowsRejected: 0,
      completed: true,
    })
    const refused = await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', '-', '--json'])
    expect(refused.exitCode).toBe(2)
  })

  it('replaces an input column that has a result column’s name instead of writing it twice', async () => {
    const dir = setup(CASES.replace(',note', ',drg').replace('"stroke, with MCC"', 'OLD'))
    await yb(dir, ['group', '-s', DEMO_DIR, '-i', 'cases.csv', '-o', 'out.csv'])
    const [header] = readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')
    expect(header!.split(',').filter((name) => name === 'drg')).toHaveLength(1)
    expect((parse(readFileSync(join(dir, 'out.csv')), {columns: true}) as Record<string, string>[])[0]!.drg).toBe('BR21')
  })

  it('refuses an unusable scheme with exit 1', async () => {
    const dir = setup()
    const run = await yb(dir, ['group', '-s', dir, '-i', 'cases.csv', '-o', 'out.csv'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain('scheme.json: a scheme pack needs scheme.json (is this a scheme pack folder?)')
  })
})

/** Minimal GB18030 encoder for the test text (CJK via the platform's ICU round trip). */
class TextEncoderGb18030 {
  encode(text: string): Buffer {
    // Node has no GB18030 encoder; build the table for the characters used from the decoder.
    const decoder = new TextDecoder('gb18030')
    const table = new Map<string, Buffer>()
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue
        const bytes = Buffer.from([lead, trail])
        table.set(decoder.decode(bytes), bytes)
      }
    }
    return Buffer.concat([...text].map((ch) => (ch.charCodeAt(0) < 0x80 ? Buffer.from(ch) : table.get(ch)!)))
  }
}
