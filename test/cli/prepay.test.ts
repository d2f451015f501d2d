// Proves `yb prepay --year` end to end: PRE-1 (90M, 96M, 102M of fund spending → 8,000,000.00
// for one month), a pool below its reserve minimum gets nothing, an institution without history
// gets nothing with the reason, and the run is recorded.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {tempDir, yb, ybAll} from './run.js'

const HEADER = 'settlement_id,institution_id,insurance_type,discharge_date,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded'

describe('yb prepay', () => {
  it('pays one month of the three-year average (PRE-1) where the pool is eligible', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,,职工|居民\nH002,新开医院,二级,,职工\n')
    writeFileSync(join(dir, 'p.yaml'), policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'}))
    const years: [string, string][] = [
      ['2022-06', '90000000.00'],
      ['2023-06', '96000000.00'],
      ['2024-06', '102000000.00'],
    ]
    for (const [month, fund] of years) {
      writeFileSync(join(dir, `${month}.csv`), `${HEADER}\nS${month},H001,职工,,1,60,22000,,8,1,I63.900,,${fund},${fund}\nR${month},H001,居民,,1,60,22000,,8,1,I63.900,,1000.00,600.00\n`)
    }
    await ybAll(dir, [['init'], ['institution', 'import', 'inst.csv'], ['policy', 'import', 'p.yaml'], ...years.map(([month]) => ['cases', 'import', '--month', month, `${month}.csv`])])
    const run = await yb(dir, ['prepay', '--year', '2025', '--reserve-months', '职工=14', '--reserve-months', '居民=5', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.pools).toEqual([
      {pool: '职工', reserveMonths: '14', minimumMonths: '12', eligible: true},
      {pool: '居民', reserveMonths: '5', minimumMonths: '6', eligible: false},
    ])
    expect(result.institutions.map((l: Record<string, unknown>) => [l.institutionId, l.pool, l.prepaymentYuan, l.eligible, l.reason])).toEqual([
      ['H001', '居民', '0.00', false, 'pool 居民 reserve below 6 months'],
      ['H001', '职工', '8000000.00', true, ''],
      ['H002', '职工', '0.00', false, 'no fund spending in 2022, 2023, 2024'],
    ])
    expect(result.totalYuan).toBe('8000000.00')
    const missing = await yb(dir, ['prepay', '--year', '2025', '--reserve-months', '职工=14'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toBe('error: --reserve-months 居民: the reserve of pool 居民 in months is needed (prepayment eligibility) (pass --reserve-months 居民=<months>)\n')
  })
})
