// Proves `yb pay --month` end to end on a small region built here: each case priced as computed
// by hand from the policy, weights and scheme; institution lines and check equations; a rerun
// supersedes the run; a closed month is refused until reopened, and the reopening is logged.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {DEMO_DIR} from '../helpers.js'
import {importRegion} from './region.js'
import {tempDir, yb, ybAll} from './run.js'

const CASES = [
  'settlement_id,institution_id,insurance_type,discharge_date,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded,self_pay_all,self_pay_first,deductible',
  'S1,H001,职工,2025-03-04,1,60,22000,,8,1,I63.900,,18000.50,12000.00,800,600,1000',
  'S4,H001,居民,2025-03-07,1,66,24100,,9,1,I63.900|J96.000,,40000.00,30000.00,0,0,1000',
  'S5,H001,职工,2025-03-08,1,50,18300,,5,1,Z51.100,,9000.00,7000.00,,,',
  'S6,H002,职工,2025-03-09,,70,25600,,6,1,I63.900,,12000.00,9000.00,,,',
  // H003 (coefficient 0.92): the settlement-rules vectors DRG-STD-1, DRG-FUND-1 and DRG-HIGH-1 end to end.
  'S7,H003,职工,2025-03-10,1,60,22000,,8,1,I63.900,,16000.00,12000.00,800,600,1000',
  'S8,H003,职工,2025-03-11,1,60,22000,,8,1,I63.900,,36000.00,25000.00,800,600,1000',
  // DRG-LOW-1 (rate method): 5000 ≤ 0.4 × 15000 → pro rata.
  'S9,H003,职工,2025-03-12,1,60,22000,,3,1,I63.900,,5000.00,4000.00,0,0,0',
].join('\n')

async function region(): Promise<string> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), '机构编码,机构名称,医院等级,机构系数,险种\nH001,市第一人民医院,三级,1.00,职工|居民\nH002,区中医院,二级,,职工\nH003,县人民医院,二级,0.92,职工\n')
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,15000\nBR21,2.1,,22000\n')
  const policy = policyTemplate({year: 2025, regionCode: '230100', regionName: '测试统筹区', scheme: 'demo', method: 'DRG'}).replace(
    'rate_yuan_per_weight: computed',
    'rate_yuan_per_weight: {职工: 11111.11, 居民: 9000.00}',
  )
  writeFileSync(join(dir, 'p.yaml'), policy)
  writeFileSync(join(dir, 'c.csv'), CASES)
  await importRegion(dir, '2025-03')
  return dir
}

describe('yb pay', () => {
  it('prices every case as computed by hand and pays p = 0.95 of each institution and pool', async () => {
    const dir = await region()
    const run = await yb(dir, ['pay', '--month', '2025-03', '--json', '--explain'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    // S1 职工: BR25 1.5 × 11111.11 × 1.00 = 16666.67, normal; (16666.67 − 800 − 600 − 1000) × 0.85 = 12126.67.
    // S5 职工: 0000, item amount 7000.00 × 0.80 = 5600.00.   H001 职工 = 17726.67 → paid 16840.34, held 886.33.
    // S4 居民: BR21 2.1 × 9000.00 = 18900.00; RW > 2 → T 1.5; 40000 > 33000 → 18900 + 7000 × 0.7 = 23800.00;
    //          (23800 − 1000) × 0.70 = 15960.00 → paid 15162.00, held 798.00.   S6: sex missing → held, 0.
    // S7 H003: DRG-STD-1 1.5 × 11111.11 × 0.92 = 15333.33; DRG-FUND-1 (15333.33 − 800 − 600 − 1000) × 0.85 = 10993.33.
    // S8 H003: DRG-HIGH-1 36000 > 2 × 15000 → 15333.33 + 6000 × 0.7 = 19533.33; (19533.33 − 2400) × 0.85 = 14563.33.
    // S9 H003: DRG-LOW-1 5000 ≤ 0.4 × 15000 → 15333.33 × 5000 ÷ 15000 = 5111.11; × 0.85 = 4344.44.
    //          H003 = 10993.33 + 14563.33 + 4344.44 = 29901.10 → paid 28406.05, held 1495.05.
    expect(result.institutions.map((i: Record<string, unknown>) => [i.institutionId, i.pool, i.cases, i.fundDueYuan, i.payYuan, i.withheldYuan])).toEqual([
      ['H001', '居民', 1, '15960.00', '15162.00', '798.00'],
      ['H001', '职工', 2, '17726.67', '16840.34', '886.33'],
      ['H002', '职工', 1, '0.00', '0.00', '0.00'],
      ['H003', '职工', 3, '29901.10', '28406.05', '1495.05'],
    ])
    // No 尾差: H001 职工 exact 12126.6695 + 5600 rounds to 17726.67; H003 exact 29901.1045 rounds to 29901.10, as the cases' sum.
    expect(result.totals).toEqual({
      cases: 7,
      roundingResidueYuan: '0.00',
      fundDueYuan: '63587.77',
      fundDueFlooredYuan: '63587.77',
      deductionsYuan: '0.00',
      carriedInYuan: '0.00',
      deductionsTakenYuan: '0.00',
      carriedOutYuan: '0.00',
      payYuan: '60408.39',
      withheldYuan: '3179.38',
    })
    expect(result.checks.every((c: {holds: boolean}) => c.holds)).toBe(true)
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    const s4 = db.prepare("SELECT drg, outlier, payment, fund_yuan, steps FROM run_case WHERE settlement_id = 'S4'").get() as Record<string, string>
    const vectors = db.prepare("SELECT settlement_id, outlier, standard_yuan, adjusted_yuan, fund_yuan FROM run_case WHERE settlement_id IN ('S7', 'S8', 'S9') ORDER BY settlement_id").all()
    db.close()
    expect(vectors).toEqual([
      {settlement_id: 'S7', outlier: 'normal', standard_yuan: '15333.33', adjusted_yuan: '15333.33', fund_yuan: '10993.33'},
      {settlement_id: 'S8', outlier: 'high', standard_yuan: '15333.33', adjusted_yuan: '19533.33', fund_yuan: '14563.33'},
      {settlement_id: 'S9', outlier: 'low', standard_yuan: '15333.33', adjusted_yuan: '5111.11', fund_yuan: '4344.44'},
    ])
    expect(s4).toMatchObject({drg: 'BR21', outlier: 'high', payment: 'drg', fund_yuan: '15960.00'})
    expect(s4.steps.split('\n')).toEqual([
      '标准 = 2.1 × 9000.00 × 1 = 18900.00',
      '高倍率: 40000.00 > 1.5 × 组均费用 22000.00 → 18900.00 + (40000.00 − 33000.00) × 0.7 = 23800.00',
      '基金 = max(0, (23800.00 − 全自费 0.00 − 先行自付 0.00 − 起付线 1000.00) × 0.7) = 15960.00',
    ])
  })

  it('prints a table and the check equations for people', async () => {
    const dir = await region()
    const run = await yb(dir, ['pay', '--month', '2025-03'])
    expect(run.stdout).toContain('按月支付 2025-03 — run 1')
    expect(run.stdout).toMatch(/H001 {6}市第一人民医院 {2}职工 +2 +0 +0 +1 +0 +0 +0 +0 +17,726\.67 +0\.00 +17,726\.67 +0\.00 +0\.00 +0\.00 +16,840\.34 +886\.33/)
    expect(run.stdout).toContain('✓ Σ 病例基金 = Σ 机构病例合计 (cases = institutions): 63587.77 = 63587.77')
  })

  it('supersedes an earlier run of the month, refuses a closed month, and logs the reopening', async () => {
    const dir = await region()
    await yb(dir, ['pay', '--month', '2025-03'])
    // Nothing it reads has changed: the run stands, and no new one is made.
    expect(JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json'])).stdout)).toMatchObject({runId: 1, unchanged: true})
    expect((await yb(dir, ['pay', '--month', '2025-03'])).stdout).toMatch(/^2025-03: nothing it reads has changed since run 1, which stands as it was/)
    expect(JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json', '--force'])).stdout)).toMatchObject({runId: 2, supersededRunId: 1})
    expect((await yb(dir, ['period', 'close', '--month', '2025-03', '--reason', '拨付完成'])).stdout).toBe('closed pay 2025-03 (run 2)\n')
    const refused = await yb(dir, ['pay', '--month', '2025-03'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toMatch(/^error: 2025-03: a payment run of 2025-03: month 2025-03 is closed \(run 2; closed [0-9T:-]+Z by [^:]+: 拨付完成\); a closed period is not changed \(reopen it first: yb period reopen --month 2025-03 --reason "…"\)\n$/)
    expect((await yb(dir, ['period', 'reopen', '--month', '2025-03'])).exitCode).toBe(2)
    await yb(dir, ['period', 'reopen', '--month', '2025-03', '--reason', '机构申诉'])
    expect(JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json', '--force'])).stdout)).toMatchObject({runId: 3, supersededRunId: 2})
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    expect(db.prepare("SELECT action, reason FROM period_log WHERE period = '2025-03' ORDER BY log_id").all()).toEqual([
      {action: 'close', reason: '拨付完成'},
      {action: 'reopen', reason: '机构申诉'},
    ])
    db.close()
  })

  it('pays by points under the point method (DRG-PV-1 with DRG-HIGH-1: 210 points × 115.5556 = 24,266.68)', async () => {
    const dir = await region()
    const points = policyTemplate({year: 2026, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'})
      .replace('family: RATE ', 'family: POINTS ')
      .replace('point_value_yuan: computed', 'point_value_yuan: {职工: 115.5556, 居民: 115.5556}')
    // The point method counts outliers in points: a policy that keeps a 元-based variant is refused with its path.
    writeFileSync(join(dir, 'bad.yaml'), points)
    const refused = await yb(dir, ['policy', 'check', 'bad.yaml'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toMatch(/^error: bad\.yaml:\d+ drg\.high\.payment: the point method pays high outliers by ADD_POINTS, not PARTIAL_EXCESS$/m)
    writeFileSync(join(dir, 'p26.yaml'), points.replace('payment: PARTIAL_EXCESS', 'payment: ADD_POINTS'))
    // S8 at H001 (coefficient 1): RW 1.5 → 150 base points; 36,000 > 2 × 15,000 → ADD_POINTS 150 + 150 × (2.4 − 2) = 210.
    // S9: 5,000 ≤ 0.4 × 15,000 → 150 × 5000 ÷ 15000 = 50 points (DRG-LOW-1).
    writeFileSync(join(dir, 'c26.csv'), [CASES.split('\n')[0], 'T8,H001,职工,2026-01-11,1,60,22000,,8,1,I63.900,,36000.00,25000.00,800,600,1000', 'T9,H001,职工,2026-01-12,1,60,22000,,3,1,I63.900,,5000.00,4000.00,0,0,0'].join('\n'))
    writeFileSync(join(dir, 'w26.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,15000\n')
    await ybAll(dir, [['policy', 'import', 'p26.yaml'], ['weights', 'import', '--year', '2026', 'w26.csv'], ['cases', 'import', '--month', '2026-01', 'c26.csv']])
    const run = await yb(dir, ['pay', '--month', '2026-01', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.rates).toEqual([
      {pool: '职工', source: 'published', pointValueYuan: '115.5556'},
      {pool: '居民', source: 'published', pointValueYuan: '115.5556'},
    ])
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    const rows = db.prepare("SELECT settlement_id, outlier, points, standard_yuan, adjusted_yuan, fund_yuan FROM run_case WHERE run_id = ? ORDER BY settlement_id").all(result.runId)
    db.close()
    // T8: 210 × 115.5556 = 24266.676 → 24266.68; fund (24266.68 − 2400) × 0.85 = 18586.678 → 18586.68.
    // T9: 50 × 115.5556 = 5777.78; fund 5777.78 × 0.85 = 4911.113 → 4911.11.
    expect(rows).toEqual([
      {settlement_id: 'T8', outlier: 'high', points: '210.0000', standard_yuan: '17333.34', adjusted_yuan: '24266.68', fund_yuan: '18586.68'},
      {settlement_id: 'T9', outlier: 'low', points: '50.0000', standard_yuan: '17333.34', adjusted_yuan: '5777.78', fund_yuan: '4911.11'},
    ])
    // Σ exact fund 18586.678 + 4911.113 = 23497.791 → 23497.79 = Σ rounded 23497.79: no 尾差.
    expect(result.institutions[0]).toMatchObject({casesFundYuan: '23497.79', roundingResidueYuan: '0.00', fundDueYuan: '23497.79'})
  })

  it('shows the rounding residue as 尾差, and rounds once per institution when the policy says so', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工\n')
    writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1,,20000\n')
    // Standard 1 × 10000.17 = 10000.17; fund 10000.17 × 0.85 = 8500.1445 → 8500.14 per case (0.0045 below the exact amount).
    const policy = (stage: string) =>
      policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'})
        .replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 10000.17, 居民: 10000.17}')
        .replace('money_rounding_stage: CASE', `money_rounding_stage: ${stage}`)
    writeFileSync(join(dir, 'case.yaml'), policy('CASE'))
    writeFileSync(join(dir, 'inst.yaml'), policy('INSTITUTION'))
    writeFileSync(join(dir, 'c.csv'), [CASES.split('\n')[0], 'R1,H001,职工,2025-05-01,1,60,22000,,8,1,I63.900,,10000.00,8000.00,0,0,0', 'R2,H001,职工,2025-05-02,1,60,22000,,8,1,I63.900,,10000.00,8000.00,0,0,0'].join('\n'))
    await ybAll(dir, [['init'], ['scheme', 'import', DEMO_DIR], ['institution', 'import', 'inst.csv'], ['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'case.yaml'], ['cases', 'import', '--month', '2025-05', 'c.csv']])
    // Σ rounded 17000.28; exact 17000.289 rounds once to 17000.29: 尾差 = −0.01.
    const byCase = JSON.parse((await yb(dir, ['pay', '--month', '2025-05', '--json'])).stdout)
    expect(byCase.institutions[0]).toMatchObject({casesFundYuan: '17000.28', roundingResidueYuan: '-0.01', fundDueYuan: '17000.28', payYuan: '16150.27'})
    await ybAll(dir, [['policy', 'import', 'inst.yaml']])
    const once = JSON.parse((await yb(dir, ['pay', '--month', '2025-05', '--json'])).stdout)
    // Rounded once: due 17000.29 (the cases still add to 17000.28: due + 尾差 = cases); paid 17000.29 × 0.95 = 16150.2755 → 16150.28.
    expect(once.roundingStage).toBe('INSTITUTION')
    expect(once.institutions[0]).toMatchObject({casesFundYuan: '17000.28', roundingResidueYuan: '-0.01', fundDueYuan: '17000.29', payYuan: '16150.28', withheldYuan: '850.01'})
    expect(once.checks.map((c: {name: string; holds: boolean}) => [c.name, c.holds])).toContainEqual(['Σ 机构基金应付 + Σ 尾差 = Σ 病例基金 (due + rounding residue = cases)', true])
    // The explained (decimal) path finds the same residue as the integer path.
    const explained = JSON.parse((await yb(dir, ['pay', '--month', '2025-05', '--json', '--explain'])).stdout)
    expect(explained.institutions[0]).toMatchObject({roundingResidueYuan: '-0.01', fundDueYuan: '17000.29'})
  })

  it('takes the deductions of a month off its payment', async () => {
    const dir = await region()
    writeFileSync(join(dir, 'd.csv'), '文书号,机构编码,险种,月份,扣款类型,扣款金额,依据\nD1,H001,职工,2025-03,审核扣减,100.00,审核\nD2,H002,居民,2025-03,违规扣款,50,检查\nD3,H001,职工,2025-04,违规扣款,7.00,下月\n')
    expect((await yb(dir, ['deductions', 'import', '--year', '2025', 'd.csv'])).stderr).toBe('error: d.csv:3 pool: institution H002 does not serve pool 居民 (it serves 职工)\n')
    writeFileSync(join(dir, 'd.csv'), '文书号,机构编码,险种,月份,扣款类型,扣款金额,依据\nD1,H001,职工,2025-03,审核扣减,100.00,审核\nD3,H001,职工,2025-04,违规扣款,7.00,下月\n')
    await ybAll(dir, [['deductions', 'import', '--year', '2025', 'd.csv']])
    const result = JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json'])).stdout)
    const h001 = result.institutions.find((i: {institutionId: string; pool: string}) => i.institutionId === 'H001' && i.pool === '职工')
    // 17726.67 due: 16840.34 paid before deductions, less 100.00 (April's 7.00 is not this month's).
    expect([h001.fundDueYuan, h001.deductionsYuan, h001.payYuan, h001.withheldYuan]).toEqual(['17726.67', '100.00', '16740.34', '886.33'])
    expect(result.checks.every((c: {holds: boolean}) => c.holds)).toBe(true)
  })

  it('explains one case: codes with names, grouping trace, price build-up, and what the run stored', async () => {
    const dir = await region()
    const before = JSON.parse((await yb(dir, ['case', 'show', 'S4', '--json'])).stdout)
    expect(before.payment.paidInRun).toBeNull()
    await yb(dir, ['pay', '--month', '2025-03'])
    const shown = JSON.parse((await yb(dir, ['case', 'show', 'S4', '--json'])).stdout)
    expect(shown.dx).toEqual([
      {code: 'I63.900', name: '脑梗死'},
      {code: 'J96.000', name: '急性呼吸衰竭'},
    ])
    expect(shown.grouping).toMatchObject({status: 'grouped', drg: 'BR21'})
    expect(shown.grouping.trace.at(-1)).toBe('cc: J96.000 MCC counted (its table resp; pdx I63.900 has no exclusion table)')
    expect(shown.payment).toMatchObject({rateYuanPerWeight: '9000.00', rateFrom: 'payment run 1', outlier: 'high', fundYuan: '15960.00', paidInRun: {runId: 1, fundYuan: '15960.00'}})
    expect(shown.payment.steps[1]).toBe('高倍率: 40000.00 > 1.5 × 组均费用 22000.00 → 18900.00 + (40000.00 − 33000.00) × 0.7 = 23800.00')
    const missing = await yb(dir, ['case', 'show', 'NOPE'])
    expect(missing.stderr).toBe('error: NOPE settlement_id: no stored discharge NOPE (import it with `yb cases import`)\n')
  })

  it('says what is missing: a month without cases, a year without policy', async () => {
    const dir = await region()
    const empty = await yb(dir, ['pay', '--month', '2025-04'])
    expect(empty.stderr).toBe('error: 2025-04: no discharges are stored for 2025-04 (import them with `yb cases import --month 2025-04 <file>`)\n')
    const noPolicy = await yb(dir, ['pay', '--month', '2026-01'])
    expect(noPolicy.exitCode).toBe(1)
    expect(noPolicy.stderr).toMatch(/the workspace has no policy for 2026 \(write one with `yb policy init`, then `yb policy import <file>`\)/)
  })
})
