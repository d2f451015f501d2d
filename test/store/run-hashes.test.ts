// The hashes that seal a run and fingerprint a month's cases, read back in chunks (issue 15):
// each equals the hash computed here from the rows one by one, in the order its definition
// says (a run's rows by seq; a month's row hashes by settlement_id), across chunk boundaries,
// whatever order the rows went in, and whether or not seq rises along the table's key.
import {createHash} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {monthCasesSha256} from '../../src/store/cases.js'
import {openWorkspace} from '../../src/store/db.js'
import {runCasesSha256, startRun} from '../../src/store/runs.js'

const dir = mkdtempSync(join(tmpdir(), 'yb-hashes-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const ROWS = 2_503

/** A run's rows in seq order, each as the seal defines it: its fields in table order joined by ␟, and a line break. */
function sealText(rows: readonly (readonly (string | number)[])[]): string {
  return [...rows].sort((a, b) => Number(a.at(-1)) - Number(b.at(-1))).map((row) => `${row.join('\u001f')}\n`).join('')
}

describe('run and month hashes read in chunks', () => {
  it('seal a run by seq: rising along the key, swapped at and inside a chunk boundary, reversed', () => {
    const {db} = openWorkspace({path: join(dir, 'runs.db'), create: true})
    try {
      const insert = db.prepare("INSERT INTO run_case (run_id, settlement_id, institution_id, pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps, points, special, seq) VALUES (?, ?, 'H001', '职工', 'grouped', 'MDCB', 'BR25', '1.5', 'drg', 'normal', ?, ?, ?, ?, '', '', ?)")
      const orders: Record<string, (k: number) => number> = {
        rising: (k) => k + 1,
        // Rows 99 and 100 (the last of the first chunk of 100 and the first of the next) swapped, and rows 1,700 and 1,750.
        swapped: (k) => (k === 99 ? 101 : k === 100 ? 100 : k === 1_700 ? 1_751 : k === 1_750 ? 1_701 : k + 1),
        reversed: (k) => ROWS - k,
        // Gaps: a clearing numbers its rows month by month.
        gaps: (k) => 3 * k + 7,
      }
      const expected: Record<string, string> = {}
      for (const [name, seqOf] of Object.entries(orders)) {
        const runId = startRun(db, 'pay', `2025-0${Object.keys(expected).length + 1}`, {})
        const rows: (string | number)[][] = []
        db.transaction(() => {
          // Inserted in a scattered order: the key order is the table's, not the insert's.
          for (let j = 0; j < ROWS; j++) {
            const k = (j * 7919) % ROWS
            const amount = `${(k * 37) % 100_000}.${String(k % 100).padStart(2, '0')}`
            const steps = k % 11 === 0 ? `基准 ${k}\n调整 ×1.0` : ''
            const row = [runId, `S${String(k).padStart(6, '0')}`, 'H001', '职工', 'grouped', 'MDCB', 'BR25', '1.5', 'drg', 'normal', amount, amount, amount, steps, '', '', seqOf(k)]
            insert.run(runId, row[1], amount, amount, amount, steps, seqOf(k))
            rows.push(row)
          }
        })()
        expected[name] = sha256(sealText(rows))
        for (const chunkRows of [1, 7, 100, 10_000]) expect(runCasesSha256(db, runId, chunkRows), `${name}, chunks of ${chunkRows}`).toBe(expected[name])
      }
      expect(new Set(Object.values(expected)).size).toBe(Object.keys(orders).length)
      expect(runCasesSha256(db, 999)).toBe(sha256(''))
    } finally {
      db.close()
    }
  })

  it('fingerprint a month by its row hashes in settlement_id order, that month only', () => {
    const {db} = openWorkspace({path: join(dir, 'months.db'), create: true})
    try {
      db.prepare("INSERT INTO institution (institution_id, name, level, coefficient, pools, row_hash) VALUES ('H001', '医院', '三级', '1', '职工', '')").run()
      const insert = db.prepare("INSERT INTO settlement_case (settlement_id, month, case_no, institution_id, insurance_type, insured_region, admit_date, discharge_date, sex, age_years, age_days, birth_weight_g, los_days, discharge_mode, dx_codes, px_codes, total_cost, fund_recorded, self_pay_all, self_pay_first, deductible, co_pay, other_funds, row_hash) VALUES (?, ?, '', 'H001', '职工', '', '', '', '1', '50', '', '', '5', '1', 'I63.900', '', '100.00', '80.00', '0', '0', '0', '0', '0', ?)")
      const byMonth: Record<string, [string, string][]> = {'2025-03': [], '2025-04': []}
      db.transaction(() => {
        for (let j = 0; j < ROWS; j++) {
          const k = (j * 7919) % ROWS
          const month = k % 3 === 0 ? '2025-04' : '2025-03'
          const id = `S${String(k).padStart(6, '0')}`
          const rowHash = sha256(`row ${k}`)
          insert.run(id, month, rowHash)
          byMonth[month]!.push([id, rowHash])
        }
      })()
      for (const [month, rows] of Object.entries(byMonth)) {
        const expected = sha256(rows.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, rowHash]) => rowHash).join(''))
        for (const chunkRows of [1, 7, 100, 10_000]) expect(monthCasesSha256(db, month, chunkRows), `${month}, chunks of ${chunkRows}`).toBe(expected)
      }
      expect(monthCasesSha256(db, '2025-05')).toBe(sha256(''))
    } finally {
      db.close()
    }
  })
})
