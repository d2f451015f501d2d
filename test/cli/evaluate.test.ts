// `yb evaluate` through the command on a paid month (issue 17): per institution and for the
// region, the cases add up, the region's consumption indexes are 1.0000, CMI is the total weight
// over the grouped cases (checked here by exact division), --institution keeps one row with the
// region unchanged, and a month without a run is refused.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {paidRegion} from './region.js'
import {tempDir, yb} from './run.js'

describe('yb evaluate', () => {
  it('gives every institution its indicators and the region its own', async () => {
    const {dir} = await paidRegion()
    const run = await yb(dir, ['evaluate', '--month', '2025-03', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout)
    expect(r.units.map((u: {unit: string}) => u.unit)).toEqual(['H001', 'H003'])
    expect(r.units.reduce((n: number, u: {cases: number}) => n + u.cases, 0)).toBe(r.region.cases)
    expect(r.region).toMatchObject({costIndex: '1.0000', timeIndex: '1.0000'})
    // H001: S1 BR25 1.5 and S4 BR21 2.1 grouped (S5 is 0000): 3.6 ÷ 2 = 1.8000; H003: three BR25, 1.5000.
    expect(r.units[0]).toMatchObject({unit: 'H001', cases: 3, grouped: 2, totalWeight: '3.6000', cmi: '1.8000', drgCount: 2})
    expect(r.units[1]).toMatchObject({unit: 'H003', cases: 3, grouped: 3, totalWeight: '4.5000', cmi: '1.5000', drgCount: 1})
    expect((await yb(dir, ['evaluate', '--month', '2025-03', '--out', 'evaluation.csv'])).exitCode).toBe(0)
    const csv = readFileSync(join(dir, 'evaluation.csv'), 'utf8')
    expect(csv.startsWith('\uFEFF机构编码,机构名称,出院人次,入组率,DRG组数,总权重,CMI,费用消耗指数,时间消耗指数,低风险组死亡率,中低风险组死亡率\n')).toBe(true)
    expect(csv.trim().split('\n').slice(1).map((line) => line.split(',')[0])).toEqual(['H001', 'H003', '全统筹区'])
    expect(csv).toContain('H001,市第一人民医院,3,')
    const text = await yb(dir, ['evaluate', '--month', '2025-03'])
    expect(text.stdout).toContain('费用消耗指数')
    expect(text.stdout).toMatch(/全统筹区 +6 /)
    const one = JSON.parse((await yb(dir, ['evaluate', '--month', '2025-03', '--institution', 'H003', '--json'])).stdout)
    expect(one.units.map((u: {unit: string}) => u.unit)).toEqual(['H003'])
    expect(one.region).toEqual(r.region)
    const none = await yb(dir, ['evaluate', '--month', '2025-04', '--json'])
    expect(none.exitCode).toBe(1)
    expect(JSON.parse(none.stdout).error.message).toContain('2025-04 has no payment run to evaluate')
  })
})

describe('yb evaluate --by department and physician', () => {
  it('evaluates the 出院科别 and 主诊医师 the case files give (synthetic ones carry them), within their institutions', async () => {
    const dir = tempDir()
    expect((await yb(dir, ['demo', '--count', '10', '--out-dir', 'd'])).exitCode).toBe(0)
    const db = ['--db', 'd/demo.db']
    const institutions = JSON.parse((await yb(dir, ['evaluate', '--year', '2025', ...db, '--json'])).stdout)
    for (const by of ['department', 'physician']) {
      const r = JSON.parse((await yb(dir, ['evaluate', '--year', '2025', '--by', by, ...db, '--json'])).stdout)
      expect(r.by).toBe(by)
      // Every unit is within an institution, the units add up to each institution, and the region is the same.
      expect(r.region).toEqual(institutions.region)
      for (const i of institutions.units as {unit: string; cases: number; grouped: number}[]) {
        const own = (r.units as {unit: string; cases: number; grouped: number}[]).filter((u) => u.unit.startsWith(`${i.unit} `))
        expect(own.reduce((n, u) => n + u.cases, 0), `${by} of ${i.unit}`).toBe(i.cases)
        expect(own.reduce((n, u) => n + u.grouped, 0), `${by} of ${i.unit}`).toBe(i.grouped)
      }
    }
    const one = JSON.parse((await yb(dir, ['evaluate', '--year', '2025', '--by', 'department', '--institution', 'H001', ...db, '--json'])).stdout)
    expect(one.units.length).toBeGreaterThan(1)
    expect(one.units.every((u: {unit: string}) => u.unit.startsWith('H001 '))).toBe(true)
  }, 60_000)
})
