// `yb simulate` (issue 17): a draft policy paid on a stored, closed month with the engine of
// yb pay, nothing recorded. With the current policy every figure equals the current run; a draft
// with 10% higher rates moves every group-paid case's standard by 10% (to the 分's rounding) and
// says so; and after either the workspace is as it was: the same runs, policy versions, closed
// month, and audit.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {paidRegion} from './region.js'
import {tempDir, yb} from './run.js'

describe('yb simulate', () => {
  it('pays a closed month under a draft without recording it, and reports the change', async () => {
    const {dir, pay} = await paidRegion()
    const state = async () => ({
      runs: JSON.parse((await yb(dir, ['runs', 'list', '--year', '2025', '--json'])).stdout).runs,
      policy: JSON.parse((await yb(dir, ['policy', 'show', '--year', '2025', '--json'])).stdout).versions,
      periods: JSON.parse((await yb(dir, ['period', 'status', '--year', '2025', '--json'])).stdout),
    })
    const before = await state()

    const same = await yb(dir, ['simulate', '--policy', 'p.yaml', '--month', '2025-03', '--json'])
    expect(same.exitCode, same.stderr).toBe(0)
    const s = JSON.parse(same.stdout)
    expect(s.currentRunId).toBe(pay.runId)
    for (const line of s.lines) {
      expect(line.draft, `${line.institutionId} ${line.pool}`).toEqual(line.current)
      expect(line.change).toEqual({fundDueYuan: '0.00', fundDuePercent: '0.00', payYuan: '0.00', payPercent: '0.00'})
    }
    expect(s.lines.map((l: {institutionId: string; pool: string}) => `${l.institutionId} ${l.pool}`).sort()).toEqual(pay.institutions.map((i: {institutionId: string; pool: string}) => `${i.institutionId} ${i.pool}`).sort())
    expect(s.standards).toMatchObject({changed: 0, minRatio: '1.0000', maxRatio: '1.0000'})
    // The template's 997,500,000.00 a year available: a month is 83,125,000.00; the same due uses the same share.
    expect(s.budget.monthYuan).toBe('83125000.00')
    expect(s.budget.draftUsedPercent).toBe(s.budget.currentUsedPercent)
    expect(s.standards.cases).toBeGreaterThan(0)

    // 职工 11111.11 → 12222.22 and 居民 9000.00 → 9900.00: 10% up, to the 分.
    writeFileSync(join(dir, 'draft.yaml'), readFileSync(join(dir, 'p.yaml'), 'utf8').replace('rate_yuan_per_weight: {职工: 11111.11, 居民: 9000.00}', 'rate_yuan_per_weight: {职工: 12222.22, 居民: 9900.00}'))
    const up = JSON.parse((await yb(dir, ['simulate', '--policy', 'draft.yaml', '--month', '2025-03', '--json'])).stdout)
    expect(up.rates.draft).toEqual([expect.objectContaining({pool: '职工', rateYuanPerWeight: '12222.22'}), expect.objectContaining({pool: '居民', rateYuanPerWeight: '9900.00'})])
    expect(up.standards.changed).toBe(up.standards.cases)
    expect(Number(up.standards.minRatio)).toBeGreaterThanOrEqual(1.0999)
    expect(Number(up.standards.maxRatio)).toBeLessThanOrEqual(1.1001)
    expect(up.totals.change.fundDueYuan.startsWith('-')).toBe(false)
    const text = await yb(dir, ['simulate', '--policy', 'draft.yaml', '--month', '2025-03'])
    expect(text.stdout).toContain('nothing recorded')
    expect(text.stdout).toMatch(/支付标准: \d+ of \d+ group-paid cases changed; draft ÷ current from 1\.\d{4} to 1\.\d{4}/)

    // Draft weights 10% up (BR25 1.5 → 1.65, BR21 2.1 → 2.31) under the current policy.
    writeFileSync(join(dir, 'w2.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.65,,15000\nBR21,2.31,,22000\n')
    const weighted = JSON.parse((await yb(dir, ['simulate', '--policy', 'p.yaml', '--weights', 'w2.csv', '--month', '2025-03', '--json'])).stdout)
    expect(weighted.standards.changed).toBe(weighted.standards.cases)
    expect(Number(weighted.standards.minRatio)).toBeGreaterThanOrEqual(1.0999)
    expect(Number(weighted.standards.maxRatio)).toBeLessThanOrEqual(1.1001)
    const weightsAfter = JSON.parse((await yb(dir, ['weights', 'list', '--year', '2025', '--json'])).stdout).weights
    expect(weightsAfter.map((w: {drg: string; weight: string}) => `${w.drg} ${w.weight}`)).toEqual(['BR21 2.1', 'BR25 1.5'])

    // Nothing is left behind.
    expect(await state()).toEqual(before)
    expect((await yb(dir, ['audit', 'verify', '--year', '2025'])).exitCode).toBe(0)
    // A draft of another year is refused.
    writeFileSync(join(dir, 'other.yaml'), readFileSync(join(dir, 'p.yaml'), 'utf8').replace(/^year: 2025$/m, 'year: 2026'))
    const other = await yb(dir, ['simulate', '--policy', 'other.yaml', '--month', '2025-03', '--json'])
    expect(other.exitCode).toBe(1)
    expect(JSON.parse(other.stdout).error.message).toContain('the draft is a policy for 2026')
  }, 60_000)
})

describe('yb simulate --year', () => {
  it('clears a cleared year again under the same policy figure for figure, and leaves nothing behind', async () => {
    const dir = tempDir()
    expect((await yb(dir, ['demo', '--count', '10', '--out-dir', 'd'])).exitCode).toBe(0)
    const db = ['--db', 'd/demo.db']
    const runs = async () => JSON.parse((await yb(dir, ['runs', 'list', '--year', '2025', ...db, '--json'])).stdout).runs
    const before = await runs()
    const run = await yb(dir, ['simulate', '--policy', 'd/policy-2025.yaml', '--year', '2025', ...db, '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout)
    expect(r.currentRunId).toBe(before.find((x: {kind: string; current: boolean}) => x.kind === 'clear' && x.current).runId)
    expect(r.lines.length).toBeGreaterThan(0)
    for (const line of r.lines) {
      expect(line.draft, `${line.institutionId} ${line.pool}`).toEqual(line.current)
      expect(line.change).toEqual({finalEntitledYuan: '0.00', finalEntitledPercent: line.current.finalEntitledYuan === '0.00' ? '' : '0.00', balanceYuan: '0.00', balancePercent: line.current.balanceYuan === '0.00' ? '' : '0.00'})
    }
    expect(r.totals.draft).toEqual(r.totals.current)
    expect(await runs()).toEqual(before)
    expect((await yb(dir, ['audit', 'verify', '--year', '2025', ...db])).exitCode).toBe(0)
    expect((await yb(dir, ['simulate', '--policy', 'd/policy-2025.yaml', '--year', '2025', ...db])).stdout).toContain('模拟清算 2025')
  }, 60_000)
})
