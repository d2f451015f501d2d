// Proves the policy contract (issue 11, defect 6): a policy `yb policy check` passes never makes
// pay or clear crash. What a file alone can show is refused by the check with its path and line
// (a tier table without an open last tier, values out of range); what depends on the workspace
// (an institution's level or coefficient, a pool its cases use) is refused when the policy is
// imported and again before a run, as an input error naming the institution or the cases, in the
// same --json error shape as every other input error.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {tempDir, withEnv, yb, ybAll} from './run.js'
import {stroke, yearPolicy, yearRegion} from './year-region.js'

const TIERS = `      tiers:
        - {weight_max: 1, times: 3}
        - {weight_max: 2, times: 2}
        - {weight_max: none, times: 1.5}`

describe('yb policy check', () => {
  it('refuses a tier table without an open last tier, tiers out of order, and values out of range, each with its path and line', async () => {
    const dir = tempDir()
    const bad = yearPolicy()
      .replace(TIERS, `      tiers:\n        - {weight_max: 2, times: 2}\n        - {weight_max: 1, times: 3}`)
      .replace('reimbursement_ratio: {职工: 0.70, 居民: 0.60}', 'reimbursement_ratio: {职工: 0, 居民: 0.60}')
      .replace('by_level: {三级: 1.00, 二级: 0.90, 一级: 0.80}', 'by_level: {三级: 1.00, 二级: -0.90, 一级: 0.80}')
      .replace('growth: 0.05', 'growth: -1.5')
    writeFileSync(join(dir, 'bad.yaml'), bad)
    const run = await yb(dir, ['policy', 'check', 'bad.yaml'])
    expect(run.exitCode).toBe(1)
    const lines = run.stderr.trim().split('\n').map((line) => line.replace(/^error: bad\.yaml:\d+ /, ''))
    expect(lines).toEqual([
      'reimbursement_ratio.职工: must be above 0, not 0',
      'coefficients.by_level.二级: must be above 0, not -0.9',
      'budget.growth: must be above -1 (a budget of base × (1 + growth)), not -1.5',
      'drg.high.threshold.tiers.1.weight_max: tiers must ascend by weight_max: 1 after 2',
      'drg.high.threshold.tiers.1.weight_max: the last tier must be open (weight_max: none), or a case weighing more than 1 has no threshold',
    ])
    // The same under --json: the shape every input error has.
    const asJson = JSON.parse((await yb(dir, ['policy', 'check', 'bad.yaml', '--json'])).stdout)
    expect(asJson.exitCode).toBe(1)
    expect(asJson.error).toMatchObject({code: "value_not_allowed", file: "bad.yaml", column: "reimbursement_ratio.职工"})
    expect(asJson.error.details.total).toBe(5)
    expect(asJson.error.details.errors[0]).toMatchObject({file: 'bad.yaml', column: 'reimbursement_ratio.职工', code: 'value_not_allowed'})
  })
})

describe('a policy against the workspace', () => {
  const levelTiered = yearPolicy().replace(`      variant: RW_TIERED      # T = 3 if RW ≤ 1, 2 if RW ≤ 2, else 1.5 [K]; FLAT; LEVEL_TIERED\n${TIERS}`, '      variant: LEVEL_TIERED\n      by_level: {三级: 3}')

  it('refuses at import an institution level without a high-cost threshold or a coefficient, naming the institution', async () => {
    const dir = await yearRegion({cases: {'2025-01': [stroke('S1', 'H001')]}})
    // H004's level 社区 has no coefficient in the template (by_level 三级, 二级, 一级), and it has none of its own.
    writeFileSync(join(dir, 'more.csv'), 'institution_id,name,level,coefficient,pools\nH002,区中医院,二级,0.92,职工\nH004,卫生院,社区,,职工\n')
    writeFileSync(join(dir, 'level.yaml'), levelTiered)
    await ybAll(dir, [['institution', 'import', 'more.csv']])
    const run = await yb(dir, ['policy', 'import', 'level.yaml'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(
      [
        'error: level.yaml coefficients.by_level: institution H004 (level 社区) has no coefficient (give it one in `yb institution import`, or the policy one for level 社区)',
        'error: level.yaml drg.high.threshold.by_level: institution H002 is of level 二级, which has no high-cost threshold (levels: 三级)',
        'error: level.yaml drg.high.threshold.by_level: institution H004 is of level 社区, which has no high-cost threshold (levels: 三级)',
        '',
      ].join('\n'),
    )
  })

  it('refuses before a run what changed since the import, as an input error (not a crash), in text and --json', async () => {
    const dir = await yearRegion({cases: {'2025-01': [stroke('S1', 'H001')]}, policy: levelTiered})
    // An institution of another level arrives after the policy, with a case.
    writeFileSync(join(dir, 'more.csv'), 'institution_id,name,level,coefficient,pools\nH002,区中医院,二级,0.92,职工\n')
    writeFileSync(join(dir, 'c2.csv'), `settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded\n${stroke('S2', 'H002')}\n`)
    await ybAll(dir, [['institution', 'import', 'more.csv'], ['cases', 'import', '--month', '2025-02', 'c2.csv']])
    const run = await yb(dir, ['pay', '--month', '2025-02'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe('error: policy 2025 v1 drg.high.threshold.by_level: institution H002 is of level 二级, which has no high-cost threshold (levels: 三级)\n')
    const asJson = JSON.parse((await yb(dir, ['pay', '--month', '2025-02', '--json'])).stdout)
    const only = {file: 'policy 2025 v1', row: 0, column: 'drg.high.threshold.by_level', code: 'parameter_missing', message: 'institution H002 is of level 二级, which has no high-cost threshold (levels: 三级)'}
    expect(asJson).toEqual({
      error: {code: 'parameter_missing', message: `policy 2025 v1 drg.high.threshold.by_level: ${only.message}`, file: only.file, row: 0, column: only.column, details: {total: 1, errors: [only]}},
      exitCode: 1,
    })
  })

  it('refuses cases in a pool the policy does not pay, at import and before a run, naming them', async () => {
    // A policy for 职工 only.
    const onlyEmployees = yearPolicy()
      .replace('pools: [职工, 居民]', 'pools: [职工]')
      .replace('pool_shares: {职工: 0.60, 居民: 0.40}', 'pool_shares: {职工: 1.00}')
      .replace(/, 居民: [0-9.]+\}/g, '}')
    const resident = 'S4,H001,居民,1,60,22000,,8,I63.900,,14000.00,14000.00'
    const dir = await yearRegion({institutions: ['H001,市第一人民医院,三级,1.00,职工|居民'], cases: {'2025-01': [stroke('S1', 'H001')]}, policy: onlyEmployees})
    writeFileSync(join(dir, 'c3.csv'), `settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded\n${resident}\n`)
    await ybAll(dir, [['cases', 'import', '--month', '2025-03', 'c3.csv']])
    const pay = await yb(dir, ['pay', '--month', '2025-03'])
    expect(pay.exitCode).toBe(1)
    expect(pay.stderr).toBe('error: policy 2025 v1 pools: 1 case(s) of 2025-03 are in pool 居民, which the policy does not pay (pools: 职工), e.g. S4 (add 居民 to the policy\'s pools with its parameters)\n')
    // The same with pricing workers, which start before the cases are checked: refused alike, no run stored.
    const onWorkers = await withEnv({YB_WORKERS: '2'}, () => yb(dir, ['pay', '--month', '2025-03']))
    expect([onWorkers.exitCode, onWorkers.stderr]).toEqual([1, pay.stderr])
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    expect(db.prepare("SELECT COUNT(*) FROM run WHERE kind = 'pay' AND period = '2025-03'").pluck().get()).toBe(0)
    db.close()
    writeFileSync(join(dir, 'p2.yaml'), onlyEmployees.replace('growth: 0.05', 'growth: 0.04'))
    const reimport = await yb(dir, ['policy', 'import', 'p2.yaml'])
    expect(reimport.exitCode).toBe(1)
    expect(reimport.stderr).toContain('p2.yaml pools: 1 case(s) of 2025-01 … 2025-12 are in pool 居民')
    // The month of 职工 cases alone still pays.
    expect((await yb(dir, ['pay', '--month', '2025-01'])).exitCode).toBe(0)
  })
})
