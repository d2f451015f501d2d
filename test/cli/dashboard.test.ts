// `yb dashboard --json` after the year's clearing (issue 16): the rows carry each institution's
// balance as the clearing run has it (its pools summed here from `yb runs show`), the data names
// that run, and the budget line says whether the year is over or under its budget to date.
import {describe, expect, it} from 'vitest'
import {tempDir, yb} from './run.js'

const fen = (text: string) => BigInt(text.replace('.', ''))
const yuan = (f: bigint) => `${f < 0n ? '-' : ''}${(f < 0n ? -f : f) / 100n}.${String((f < 0n ? -f : f) % 100n).padStart(2, '0')}`

describe('yb dashboard after the clearing', () => {
  it("shows the clearing's balance per institution, not the projection", async () => {
    const dir = tempDir()
    expect((await yb(dir, ['demo', '--count', '10', '--out-dir', 'd'])).exitCode).toBe(0)
    const db = ['--db', 'd/demo.db']
    const runs = JSON.parse((await yb(dir, ['runs', 'list', '--year', '2025', ...db, '--json'])).stdout).runs as {runId: number; kind: string; current: boolean}[]
    const clear = runs.find((r) => r.kind === 'clear' && r.current)!
    const result = JSON.parse((await yb(dir, ['runs', 'show', String(clear.runId), ...db, '--json'])).stdout).result
    // The clearing's rows: the cases' institution-pools, and the 按人头付费 lines (whose budget counts as entitled).
    type Cleared = {institutionId: string; balanceYuan: string; lines: {key: string; amountYuan: string}[]}
    const capitation = (result.capitation.institutions as Cleared[]).map((c) => ({...c, lines: c.lines.map((l) => (l.key === 'budget' ? {...l, key: 'entitled'} : l))}))
    const shown = [...(result.institutions as Cleared[]), ...capitation]
    expect(capitation.length).toBeGreaterThan(0)
    const data = JSON.parse((await yb(dir, ['dashboard', '--year', '2025', ...db, '--json'])).stdout)
    expect(data.clearRunId).toBe(clear.runId)
    expect(data.projection).toContain(`cleared by run ${clear.runId}`)
    expect(['over', 'under', 'on']).toContain(data.budget.position)
    // The consumption indexes are the evaluation's of the paid months.
    const evaluated = JSON.parse((await yb(dir, ['evaluate', '--year', '2025', ...db, '--json'])).stdout)
    for (const u of evaluated.units as {unit: string; costIndex: string; timeIndex: string}[]) {
      expect(data.institutions.find((i: {institutionId: string}) => i.institutionId === u.unit), u.unit).toMatchObject({costIndex: u.costIndex, timeIndex: u.timeIndex})
    }
    for (const row of data.institutions as {institutionId: string; clearedBalanceYuan: string; cleared: Record<string, string>}[]) {
      const pools = shown.filter((l) => l.institutionId === row.institutionId)
      expect(row.clearedBalanceYuan, row.institutionId).toBe(yuan(pools.reduce((sum, l) => sum + fen(l.balanceYuan), 0n)))
      const line = (key: string) => yuan(pools.reduce((sum, l) => sum + fen(l.lines.find((x) => x.key === key)?.amountYuan ?? '0.00'), 0n))
      expect(row.cleared, row.institutionId).toEqual({entitledYuan: line('entitled'), bandAdjustmentYuan: line('bandAdjustment'), depositForfeitedYuan: line('depositForfeited'), deductionsYuan: line('deductions')})
    }
  }, 60_000)
})
