// Proves that no record of a bad input file is lost and no value that changes money gets in
// unchecked: every file of test/fixtures/bad/ (see make-corpus.mjs, the expectations written by
// hand) is fed to its importer with a rejects file, and ends in the expected file error, or in
// exactly the expected rows stored, rejected (line and code, read back from the rejects file
// with csv-parse) and skipped, with rows read = stored + unchanged + replaced + rejected + skipped.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {beforeAll, describe, expect, it} from 'vitest'
import {InputErrors} from '../../src/errors.js'
import {groupFile} from '../../src/grouper/group-file.js'
import {type Db, openWorkspace} from '../../src/store/db.js'
import {importCases, importDeductions, importInstitutions, importWeights} from '../../src/store/settlement-data.js'
import {importSpecialCases} from '../../src/store/special-cases.js'
import {demoScheme, ROOT} from '../helpers.js'

interface Expected {
  file: string
  importer: 'cases' | 'institutions' | 'weights' | 'deductions' | 'special' | 'group'
  records: number
  error?: string
  line?: number
  stored?: number
  unchanged?: number
  rejected?: [number, string][]
  skipped?: number
  note?: string
}

const CORPUS = join(ROOT, 'test/fixtures/bad')
const EXPECTED = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Expected[]
const dir = mkdtempSync(join(tmpdir(), 'yb-bad-'))
let db: Db

interface Outcome {
  rowsRead: number
  stored: number
  unchanged: number
  replaced: number
  rejected: number
  skipped: number
}

async function feed(entry: Expected, rejects: string): Promise<Outcome> {
  const file = join(CORPUS, entry.file)
  const options = {file, encoding: 'utf-8' as const, replace: false, rejects}
  if (entry.importer === 'group') {
    const result = await groupFile({scheme: demoScheme(), input: file, output: join(dir, 'grouped.csv'), format: 'csv', explain: false, encoding: 'utf-8', rejects})
    return {rowsRead: result.rowsRead, stored: result.casesWritten, unchanged: 0, replaced: 0, rejected: result.rowsRejected, skipped: result.rowsSkipped}
  }
  const result =
    entry.importer === 'cases'
      ? await importCases(db, '2025-03', options)
      : entry.importer === 'institutions'
        ? await importInstitutions(db, options)
        : entry.importer === 'weights'
          ? await importWeights(db, 2025, options)
          : entry.importer === 'deductions'
            ? await importDeductions(db, 2025, options)
            : await importSpecialCases(db, options)
  return {rowsRead: result.rowsRead, stored: result.inserted, unchanged: result.same, replaced: result.replaced, rejected: result.rejected, skipped: result.skipped}
}

describe('the bad-input corpus', () => {
  beforeAll(async () => {
    db = openWorkspace({path: join(dir, 'bad.db'), create: true}).db
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工|居民\nH002,区中医院,二级,,职工\n')
    await importInstitutions(db, {file: join(dir, 'inst.csv'), encoding: 'utf-8', replace: false})
    const header = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded'
    writeFileSync(join(dir, 'k.csv'), `${header}\n${[1, 2, 3].map((k) => `K${k},H001,职工,1,60,0,,8,I63.900,,9000.00,7000.00`).join('\n')}\n`)
    await importCases(db, '2025-03', {file: join(dir, 'k.csv'), encoding: 'utf-8', replace: false})
  })

  it(`holds at least 80 files across every importer`, () => {
    expect(EXPECTED.length).toBeGreaterThanOrEqual(80)
    expect(new Set(EXPECTED.map((e) => e.importer))).toEqual(new Set(['cases', 'institutions', 'weights', 'deductions', 'special', 'group']))
  })

  it.each(EXPECTED.map((e) => [e.file, e] as const))('%s', async (_name, entry) => {
    const rejects = join(dir, `${entry.file.replace(/\//g, '_')}.rejects.csv`)
    let outcome: Outcome | undefined
    let thrown: unknown
    try {
      outcome = await feed(entry, rejects)
    } catch (error) {
      thrown = error
    }
    if (entry.error !== undefined) {
      // A file error is a value with its code and line (exit 1), never a crash.
      expect(thrown, 'a file error').toBeInstanceOf(InputErrors)
      expect((thrown as InputErrors).errors[0]).toMatchObject({code: entry.error, row: entry.line})
      return
    }
    if (thrown !== undefined) throw thrown
    const o = outcome!
    // Every record after the header is accounted for, once.
    expect(o.rowsRead, 'records read').toBe(entry.records)
    expect(o.rowsRead).toBe(o.stored + o.unchanged + o.replaced + o.rejected + o.skipped)
    expect({stored: o.stored, unchanged: o.unchanged, rejected: o.rejected, skipped: o.skipped}).toEqual({stored: entry.stored, unchanged: entry.unchanged ?? 0, rejected: entry.rejected!.length, skipped: entry.skipped})
    if (entry.rejected!.length === 0) return
    // The rejects file is valid CSV (read by csv-parse, not by yb's reader): each bad row with its line and code.
    const rows = parse(readFileSync(rejects), {bom: true, relax_column_count: true}) as string[][]
    const found = rows.slice(1).map((row) => [Number(row.at(-4)), row.at(-2)!.split('|')[0]!])
    expect(found).toEqual(entry.rejected)
  })

  it('stores what the files said: trimmed values, calendar dates, joined split codes', () => {
    const row = (id: string) => db.prepare('SELECT admit_date, discharge_date, age_years, total_cost, dx_codes FROM settlement_case WHERE settlement_id = ?').get(id)
    expect(row('SP1')).toMatchObject({dx_codes: 'I63.900|I10.x00|E11.900'})
    expect(row('PV1')).toMatchObject({age_years: '60', total_cost: '9000.00', dx_codes: 'I63.900'})
    expect(row('DT1')).toMatchObject({admit_date: '2025-03-01', discharge_date: '2025-03-09'})
    expect(row('DS1')).toMatchObject({admit_date: '2025-03-01', discharge_date: '2025-03-09'})
  })
})
