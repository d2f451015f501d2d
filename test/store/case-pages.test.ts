// monthCasePages: readers that take different pages read the month between them, each page once,
// for months that end inside a page, on a page's end, or have no cases at all.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {monthCaseRowPages} from '../../src/store/cases.js'
import {openWorkspace} from '../../src/store/db.js'
import {importCases, importInstitutions} from '../../src/store/settlement-data.js'

const dir = mkdtempSync(join(tmpdir(), 'yb-pages-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('monthCaseRowPages', () => {
  it('splits a month among readers by page, whatever its size', async () => {
    const {db} = openWorkspace({path: join(dir, 'p.db'), create: true})
    try {
      writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,医院,三级,,职工\n')
      await importInstitutions(db, {file: join(dir, 'inst.csv'), encoding: 'utf-8', replace: false})
      const sizes = {'2025-01': 0, '2025-02': 1, '2025-03': 6, '2025-04': 7, '2025-05': 9}
      for (const [month, count] of Object.entries(sizes)) {
        if (count === 0) continue
        const rows = Array.from({length: count}, (_, k) => `${month}-S${String(k).padStart(3, '0')},H001,职工,1,50,18300,,7,I63.900,,1000.00,800.00`)
        writeFileSync(join(dir, `${month}.csv`), ['settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded', ...rows].join('\n'))
        await importCases(db, month, {file: join(dir, `${month}.csv`), encoding: 'utf-8', replace: false})
      }
      for (const [month, count] of Object.entries(sizes)) {
        const all = [...monthCaseRowPages(db, month, 3, () => true)].map((page) => page.map((row) => row.settlement_id))
        expect(all.flat()).toEqual(Array.from({length: count}, (_, k) => `${month}-S${String(k).padStart(3, '0')}`))
        // No empty page, and only the last may be short.
        expect(all.every((page, k) => page.length === 3 || (k === all.length - 1 && page.length > 0))).toBe(true)
        for (const readers of [2, 3]) {
          const pages = new Map<number, string[]>()
          for (let r = 0; r < readers; r++) {
            let n = 0
            let taken = -1
            for (const page of monthCaseRowPages(db, month, 3, () => ((taken = n++) % readers === r))) pages.set(taken, page.map((row) => row.settlement_id))
          }
          // Every reader counted the same pages: put together in page order they are the month.
          expect([...pages.keys()].sort((a, b) => a - b)).toEqual(all.map((_, k) => k))
          expect([...pages].sort(([a], [b]) => a - b).flatMap(([, ids]) => ids)).toEqual(all.flat())
        }
      }
    } finally {
      db.close()
    }
  })

  it('reads every column as stored, also a row changed outside yb to hold the separator SQLite joins fields with', async () => {
    const {db} = openWorkspace({path: join(dir, 'p.db'), create: false})
    try {
      const stored = (month: string) => db.prepare('SELECT settlement_id, institution_id, dx_codes, total_cost, row_hash FROM settlement_case WHERE month = ? ORDER BY settlement_id').all(month)
      const read = (month: string) => [...monthCaseRowPages(db, month, 4, () => true)].flat().map(({settlement_id, institution_id, dx_codes, total_cost, row_hash}) => ({settlement_id, institution_id, dx_codes, total_cost, row_hash}))
      expect(read('2025-05')).toEqual(stored('2025-05'))
      expect(read('2025-05')[2]).toMatchObject({settlement_id: '2025-05-S002', dx_codes: 'I63.900', total_cost: '1000.00'})
      // A hand edit puts a control character into one case: its page is read a value per column.
      db.prepare("UPDATE settlement_case SET dx_codes = 'I63.900' || char(31) || 'X' WHERE settlement_id = '2025-05-S005'").run()
      const after = read('2025-05')
      expect(after).toEqual(stored('2025-05'))
      expect(after[5]).toMatchObject({dx_codes: 'I63.900\u001fX', total_cost: '1000.00'})
    } finally {
      db.close()
    }
  })
})
