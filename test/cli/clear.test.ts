// Proves `yb clear --year` end to end: a year whose entitled amount is 7,800,000.00 against
// 8,300,000.00 spent gives BAND-1's 8,050,000.00, the deposit is released at the assessment score,
// the month already paid and the prepayment come off, and the balance is the sum of its lines.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {DEMO_DIR} from '../helpers.js'
import {closeMonths, tempDir, yb, ybAll} from './run.js'

describe('yb clear', () => {
  it('clears a year line by line (BAND-1 through the CLI), with a year-end deduction', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工\n')
    writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,7000000.00\n')
    const policy = policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'})
      .replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 5200000.00, 居民: 5200000.00}')
      .replace('fund_ratio: {职工: 0.85, 居民: 0.70}', 'fund_ratio: {职工: 1.00, 居民: 1.00}')
    writeFileSync(join(dir, 'p.yaml'), policy)
    // One stroke case: standard 1.5 × 5,200,000.00 = 7,800,000.00, normal (0.4 × 7M < 8.3M ≤ 2 × 7M), no patient parts.
    writeFileSync(join(dir, 'c.csv'), 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded\nS1,H001,职工,1,60,22000,,8,I63.900,,8300000.00,8300000.00\n')
    writeFileSync(join(dir, 'a.csv'), 'institution_id,score\nH001,95\n')
    writeFileSync(join(dir, 'd.csv'), 'deduction_id,institution_id,pool,month,kind,amount_yuan,basis\nD1,H001,职工,,违规扣款,50000.00,年度检查\n')
    await ybAll(dir, [
      ['init'],
      ['scheme', 'import', DEMO_DIR],
      ['institution', 'import', 'inst.csv'],
      ['weights', 'import', '--year', '2025', 'w.csv'],
      ['policy', 'import', 'p.yaml'],
      ['cases', 'import', '--month', '2025-06', 'c.csv'],
      ['pay', '--month', '2025-06'],
      ['deductions', 'import', '--year', '2025', 'd.csv'],
      closeMonths(),
    ])
    const run = await yb(dir, ['clear', '--year', '2025', '--assessment', 'a.csv', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    const [h001] = result.institutions
    const line = (key: string) => h001.lines.find((l: {key: string}) => l.key === key).amountYuan
    // entitled 7,800,000.00; actual 8,300,000.00 (6.41% over, inside the 20% band) → 7,800,000 + 0.5 × 500,000 = 8,050,000.00;
    // deposit 5% = 402,500.00, released 95% = 382,375.00, forfeited 20,125.00; paid in June 7,800,000 × 0.95 = 7,410,000.00.
    expect([line('entitled'), line('actual'), line('dueAfterBand'), line('bandAdjustment'), line('depositReserved'), line('depositReleased'), line('depositForfeited'), line('monthlyPaid')]).toEqual([
      '7800000.00',
      '8300000.00',
      '8050000.00',
      '250000.00',
      '402500.00',
      '382375.00',
      '20125.00',
      '7410000.00',
    ])
    // 8,050,000.00 − 20,125.00 − 50,000.00 (the year's 违规扣款) − 7,410,000.00 = 569,875.00 (应补)
    expect(line('deductions')).toBe('50000.00')
    expect(h001.balanceYuan).toBe('569875.00')
    expect(result.assessment).toBe('imported')
    expect(result.monthsWithoutPayment).toHaveLength(11)
    expect(result.checks.every((c: {holds: boolean}) => c.holds)).toBe(true)
  })
})

describe('yb clear with a computed rate', () => {
  it('fixes the final rate from the budget, ρ and the year’s weights (DRG-RATE-1)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工|居民\n')
    // One case whose DRG weighs 45,000: Σ n × RW = 45,000.
    writeFileSync(join(dir, 'w.csv'), 'drg,weight\nBR25,45000\n')
    const policy = policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'})
      .replace('base_yuan: 1000000000.00', 'base_yuan: 300000000.00')
      .replace('growth: 0.05', 'growth: 0')
      .replace('reserve_rate: 0.05', 'reserve_rate: 0')
      .replace('pool_shares: {职工: 0.60, 居民: 0.40}', 'pool_shares: {职工: 1.00, 居民: 0.00}')
      .replace('reimbursement_ratio: {职工: 0.70, 居民: 0.60}', 'reimbursement_ratio: {职工: 0.60, 居民: 0.60}')
    writeFileSync(join(dir, 'p.yaml'), policy)
    writeFileSync(join(dir, 'c.csv'), 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded\nS1,H001,职工,1,60,22000,,8,I63.900,,9000.00,7000.00\n')
    await ybAll(dir, [['init'], ['scheme', 'import', DEMO_DIR], ['institution', 'import', 'inst.csv'], ['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'p.yaml'], ['cases', 'import', '--month', '2025-01', 'c.csv'], ['pay', '--month', '2025-01', '--accept-rate-deviation'], closeMonths()])
    const result = JSON.parse((await yb(dir, ['clear', '--year', '2025', '--json'])).stdout)
    // 300,000,000 ÷ 0.6 = 500,000,000 in total cost; ÷ 45,000 = 11,111.111… → 11,111.11.
    expect(result.rates).toEqual([
      {pool: '职工', source: 'computed', rateYuanPerWeight: '11111.11'},
      {pool: '居民', source: 'computed', rateYuanPerWeight: '0.00'},
    ])
  })
})

describe('yb clear under the point method, with 特例单议', () => {
  it('fixes the point value from the budget and the year’s points (DRG-PV-1), and pays an approved special case by its approved cost', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工\n')
    writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,15000\n')
    // Cost budget = 26,000.00 × 1 ÷ ρ 0.5 = 52,000; three normal cases of 150 points: PV = 52,000 ÷ 450 = 115.5556 (DRG-PV-1's ratio).
    const policy = policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'})
      .replace('family: RATE ', 'family: POINTS ')
      .replace('payment: PARTIAL_EXCESS', 'payment: ADD_POINTS')
      .replace('base_yuan: 1000000000.00', 'base_yuan: 26000.00')
      .replace('growth: 0.05', 'growth: 0')
      .replace('reserve_rate: 0.05', 'reserve_rate: 0')
      .replace('pool_shares: {职工: 0.60, 居民: 0.40}', 'pool_shares: {职工: 1.00, 居民: 0.00}')
      .replace('reimbursement_ratio: {职工: 0.70, 居民: 0.60}', 'reimbursement_ratio: {职工: 0.50, 居民: 0.50}')
      .replace('fund_ratio: {职工: 0.85, 居民: 0.70}', 'fund_ratio: {职工: 1.00, 居民: 1.00}')
      // One approval among three discharges is far beyond the national 5%: this small region allows it (the output reports the share).
      .replace('beyond_cap: REFUSE', 'beyond_cap: ALLOW')
    writeFileSync(join(dir, 'p.yaml'), policy)
    const header = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded'
    writeFileSync(join(dir, 'c.csv'), [header, 'S1,H001,职工,1,60,22000,,8,I63.900,,15000.00,15000.00', 'S2,H001,职工,1,60,22000,,8,I63.900,,15000.00,15000.00', 'S3,H001,职工,1,60,22000,,8,I63.900,,15000.00,15000.00'].join('\n'))
    writeFileSync(join(dir, 's.csv'), '结算流水号,审核结果,核准费用,意见\nS3,通过,86000.00,专家组认定\nS2,不通过,,\nNOPE,通过,1.00,\n')
    await ybAll(dir, [['init'], ['scheme', 'import', DEMO_DIR], ['institution', 'import', 'inst.csv'], ['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'p.yaml'], ['cases', 'import', '--month', '2025-02', 'c.csv']])
    // An officer marks S1; the decision file names an unknown case: refused with its row, nothing imported.
    expect((await yb(dir, ['special', 'mark', 'S1', '--note', '疑似高套'])).exitCode).toBe(0)
    const bad = await yb(dir, ['special', 'import', 's.csv'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toBe('error: s.csv:4 settlement_id: case NOPE is not in the workspace (import its month with `yb cases import` first)\n')
    writeFileSync(join(dir, 's.csv'), '结算流水号,审核结果,核准费用,意见\nS3,通过,86000.00,专家组认定\nS2,不通过,,\n')
    expect((await yb(dir, ['special', 'import', 's.csv'])).exitCode).toBe(0)
    expect(JSON.parse((await yb(dir, ['special', 'list', '--year', '2025', '--json'])).stdout).cases.map((c: {settlementId: string; decision: string}) => [c.settlementId, c.decision])).toEqual([
      ['S1', 'pending'],
      ['S2', 'rejected'],
      ['S3', 'approved'],
    ])
    await ybAll(dir, [['pay', '--month', '2025-02'], closeMonths()])
    const run = await yb(dir, ['clear', '--year', '2025', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.rates).toEqual([
      {pool: '职工', source: 'computed', pointValueYuan: '115.5556'},
      {pool: '居民', source: 'computed', pointValueYuan: '0.0000'},
    ])
    const [h001] = result.institutions
    const line = (key: string) => h001.lines.find((l: {key: string}) => l.key === key).amountYuan
    // Each case 150 × 115.5556 = 17,333.34; entitled 3 × 17,333.34 = 52,000.02 (the published PV's rounding), no 尾差.
    // S3 approved: 86,000 ÷ 115.5556 = 744.2305 points × 115.5556 = 86,000.00 → 特例单议追加 86,000.00 − 17,333.34 = 68,666.66.
    expect([line('casesFund'), line('roundingResidue'), line('entitled'), line('specialAdditions')]).toEqual(['52000.02', '0.00', '52000.02', '68666.66'])
    expect(h001.special).toEqual({approved: 1, rejected: 1, pending: 1})
    expect(result.checks.every((c: {holds: boolean}) => c.holds)).toBe(true)
  })
})
