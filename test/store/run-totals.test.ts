// runCaseTotals: the read-back of a run's stored case amounts, in chunks, summed in 分: the
// count and Σ of every row, across chunk boundaries, and only the run asked for.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {openWorkspace} from '../../src/store/db.js'
import {runCaseTotals, startRun} from '../../src/store/runs.js'

const dir = mkdtempSync(join(tmpdir(), 'yb-totals-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('runCaseTotals', () => {
  it('counts and sums every stored case of the run, over several chunks', () => {
    const {db} = openWorkspace({path: join(dir, 't.db'), create: true})
    try {
      const runs = [startRun(db, 'pay', '2025-03', {}), startRun(db, 'pay', '2025-04', {})]
      const insert = db.prepare("INSERT INTO run_case (run_id, settlement_id, institution_id, pool, status, mdc, drg, weight, payment, outlier, standard_yuan, adjusted_yuan, fund_yuan, steps, seq) VALUES (?, ?, 'H001', '职工', 'grouped', 'MDCB', 'BR25', '1.5', 'drg', 'normal', '0.00', '0.00', ?, '', ?)")
      const expected = runs.map(() => ({cases: 0, fundFen: 0}))
      db.transaction(() => {
        for (let k = 0; k < 25_003; k++) {
          const run = k % 5 === 0 ? 1 : 0
          // Amounts of every shape: negative, below 1 元, large.
          const fen = k % 7 === 0 ? -((k * 37) % 100_000) : (k * 7919) % 1_000_000_000
          const text = `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`
          insert.run(runs[run], `S${String(k).padStart(6, '0')}`, text, k + 1)
          expected[run]!.cases++
          expected[run]!.fundFen += fen
        }
      })()
      expect(runs.map((runId) => runCaseTotals(db, runId))).toEqual(expected)
      expect(expected[0]!.cases).toBeGreaterThan(20_000)
      expect(runCaseTotals(db, 999)).toEqual({cases: 0, fundFen: 0})
    } finally {
      db.close()
    }
  })
})
