// Proves that yb's files land only where they are asked for and cannot attack the person who
// opens them: ids that are paths stay inside --out (the original id inside the file), cells
// that Excel or WPS would run as formulas are neutralised while numbers stay numbers (read back
// with csv-parse), a returned file still verifies, and --rejects/--out refuse the workspace and
// the input, and write /dev/null in place instead of replacing it.
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {readXlsx} from '../../src/io/xlsx.js'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb} from './run.js'
import {json, stroke, yearPolicy, yearRegion} from './year-region.js'

const ESCAPE = '/../../../../ESCAPED1'
const FORMULA = '=HYPERLINK("http://x","click")'

function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
}

describe('statement files', () => {
  it('keep ids that are paths inside --out, and neutralise formula cells but not numbers', async () => {
    const dir = await yearRegion({
      institutions: [`${ESCAPE},"${FORMULA.replace(/"/g, '""')}",三级,1.00,职工`, 'H002,@SUM(A1),三级,1.00,职工'],
      policy: yearPolicy().replace(/code: 1 /, 'code: "/../x" '),
      // 16,000.00 against a standard of 15,000.00: a 差额 of −1,000.00, which must stay a number.
      cases: {'2025-03': [stroke('S1', ESCAPE, '16000.00'), stroke('S2', 'H002'), stroke('S3', ESCAPE)]},
    })
    await json(dir, ['pay', '--month', '2025-03'])
    const result = await json<{files: {file: string; institutionId: string}[]; manifest: {file: string}}>(dir, ['reconcile', '--month', '2025-03', '--out', 'out'])
    const inside = readdirSync(join(dir, 'out'))
    for (const f of result.files) {
      expect(f.file).not.toContain('/')
      expect(inside).toContain(f.file)
    }
    // Nothing was written anywhere else: the only files outside out/ are the region's own.
    expect(walk(dir).filter((path) => /ESCAPED|汇总|明细|\.xlsx$|manifest/.test(path) && !path.startsWith(join(dir, 'out')))).toEqual([])
    const manifest = parse(readFileSync(join(dir, 'out', 'manifest.csv')), {bom: true}) as string[][]
    expect(manifest.map((row) => row[1])).toContain(ESCAPE)
    const detail = result.files.find((f) => f.institutionId === ESCAPE && f.file.endsWith('_明细.csv'))!.file
    const rows = parse(readFileSync(join(dir, 'out', detail)), {bom: true, columns: true}) as Record<string, string>[]
    expect(rows.map((r) => r['机构名称'])).toEqual([`'${FORMULA}`, `'${FORMULA}`])
    expect(rows.map((r) => r['机构编码'])).toEqual([ESCAPE, ESCAPE])
    expect(rows.find((r) => r['结算流水号'] === 'S1')!['差额']).toBe('-1000.00')
    const other = result.files.find((f) => f.institutionId === 'H002' && f.file.endsWith('_汇总.csv'))!.file
    const summary = parse(readFileSync(join(dir, 'out', other)), {bom: true, columns: true}) as Record<string, string>[]
    expect(summary[0]!['机构名称']).toBe("'@SUM(A1)")
    expect(summary[0]!['统筹区']).toBe('/../x')
    // The workbook holds the text as it is, as an inline string: never a formula.
    const xlsx = result.files.find((f) => f.institutionId === ESCAPE && f.file.endsWith('.xlsx'))!.file
    const bytes = readFileSync(join(dir, 'out', xlsx))
    expect(readXlsx(bytes, xlsx).get('明细')![1]![3]).toBe(FORMULA)
    // A returned CSV with its neutralised cells still matches the run, case by case.
    const verify = await yb(dir, ['reconcile', 'verify', join('out', detail), '--month', '2025-03', '--json'])
    expect(JSON.parse(verify.stdout)).toMatchObject({ok: true, matched: 2})
  })
})

describe('--rejects and --out', () => {
  it('refuse the workspace and the input, and leave both as they were', async () => {
    const dir = tempDir()
    await yb(dir, ['init'])
    writeFileSync(join(dir, 'i.csv'), 'institution_id,name,level,coefficient,pools\nH001,一院,三级,1.00,职工\nH002,二院,三级,-1,职工\n')
    const input = readFileSync(join(dir, 'i.csv'))
    const workspace = await yb(dir, ['institution', 'import', 'i.csv', '--rejects', 'yibao.db'])
    expect(workspace.exitCode).toBe(1)
    expect(workspace.stderr).toContain('--rejects yibao.db is the workspace')
    expect(readFileSync(join(dir, 'yibao.db')).subarray(0, 15).toString()).toBe('SQLite format 3')
    const same = await yb(dir, ['institution', 'import', 'i.csv', '--rejects', './i.csv'])
    expect(same.exitCode).toBe(1)
    expect(same.stderr).toContain('is the input file')
    expect(readFileSync(join(dir, 'i.csv'))).toEqual(input)
    const missing = await yb(dir, ['institution', 'import', 'i.csv', '--rejects', 'no/such/dir/r.csv'])
    expect(missing.stderr).toContain('does not exist')
    const fine = await yb(dir, ['institution', 'import', 'i.csv', '--rejects', 'r.csv'])
    expect(fine.exitCode).toBe(3)
  })

  it('write a device in place: yb group --out /dev/null leaves /dev/null a device', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'c.csv'), 'settlement_id,institution_id,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes\nS1,H001,1,60,0,,8,I63.900,\n')
    const run = await yb(dir, ['group', '--in', 'c.csv', '--scheme', DEMO_DIR, '--out', '/dev/null'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
    const self = await yb(dir, ['group', '--in', 'c.csv', '--scheme', DEMO_DIR, '--out', 'c.csv'])
    expect(self.exitCode).toBe(1)
    expect(self.stderr).toContain('is the input file')
  })
})
