// Proves a case's own payment method through the commands: 床日 cases are paid per diem from the
// policy's categories (BED-1: 12 days × 35.5 daily points = 426 points, worth 426 × the point
// value; a 元 category with a cap on days), 项目 cases by their recorded fund amount, a 床日 case
// without a category is held with its reason; per-diem points join Σ points when the point value
// is computed; and files from before the column existed re-import unchanged.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import {describe, expect, it} from 'vitest'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {importRegion} from './region.js'
import {tempDir, yb} from './run.js'

const HEADER = '结算流水号,机构编码,险种,出院日期,性别,年龄,年龄天数,出生体重,住院天数,离院方式,诊断,手术操作,医疗总费用,统筹基金记账,全自费,先行自付,起付线,付费方式,床日病种'
const CASES = [
  HEADER,
  // A DRG case by points (DRG-HIGH-1: 210 points).
  'T8,H001,职工,2026-01-11,1,60,22000,,8,1,I63.900,,36000.00,25000.00,800,600,1000,,',
  // BED-1: 12 days × 35.5 = 426 points (category named in the file).
  'P1,H001,职工,2026-01-12,1,80,29000,,12,1,C34.900,,6000.00,4500.00,0,0,0,床日,AN',
  // 元 per day by principal diagnosis F20: 100 days capped at 90 × 260.00 = 23400.00.
  'P2,H001,职工,2026-01-13,2,40,14600,,100,1,F20.000,,30000.00,24000.00,0,0,1000,按床日,',
  // By items: the fund pays what it recorded.
  'P3,H001,职工,2026-01-14,1,30,11000,,4,1,J18.900,,6200.00,5000.00,0,0,0,项目,',
  // 床日 without a category the policy knows: held, with its reason.
  'P4,H001,职工,2026-01-15,1,50,18300,,6,1,K35.800,,7000.00,5000.00,0,0,0,床日,XX',
].join('\n')

const PER_DIEM = `per_diem:
  categories:
    - {code: AN, name: 安宁疗护, daily_points: 35.5, max_points: 3000}
    - {code: JS, name: 精神类, daily_rate_yuan: 260.00, max_days: 90, dx_prefixes: [F20, F25]}

coefficients:`

function pointsPolicy(pointValue: string): string {
  return policyTemplate({year: 2026, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'})
    .replace('family: RATE ', 'family: POINTS ')
    .replace('payment: PARTIAL_EXCESS', 'payment: ADD_POINTS')
    .replace('point_value_yuan: computed  # POINTS only', `point_value_yuan: ${pointValue}  # POINTS only`)
    .replace(/^coefficients:/m, PER_DIEM)
}

async function region(policy: string): Promise<string> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工|居民\n')
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,15000\n')
  writeFileSync(join(dir, 'p.yaml'), policy)
  writeFileSync(join(dir, 'c.csv'), CASES)
  await importRegion(dir, '2026-01')
  return dir
}

function runCases(dir: string, runId: number) {
  const db = new Database(join(dir, 'yibao.db'), {readonly: true})
  const rows = db.prepare('SELECT settlement_id, status, drg, payment, points, adjusted_yuan, fund_yuan, steps FROM run_case WHERE run_id = ? ORDER BY settlement_id').all(runId) as Record<string, string>[]
  db.close()
  return rows
}

describe('per-diem and item-paid cases', () => {
  it('pays BED-1 through yb pay: 12 days × 35.5 = 426 points at the published point value, with a 元 category capped at 90 days', async () => {
    const dir = await region(pointsPolicy('{职工: 10.5, 居民: 10.5}'))
    const run = await yb(dir, ['pay', '--month', '2026-01', '--json', '--explain'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    const rows = runCases(dir, result.runId)
    const byId = new Map(rows.map((r) => [r.settlement_id, r]))
    // P1: 426 × 10.5 = 4473.00; fund (4473.00 − 0) × 0.85 = 3802.05.
    expect(byId.get('P1')).toMatchObject({status: 'per_diem', drg: 'AN', payment: 'per_diem', points: '426.0000', adjusted_yuan: '4473.00', fund_yuan: '3802.05'})
    expect(byId.get('P1')!.steps.split('\n')[0]).toBe('床日 AN 安宁疗护: 12 天 × 35.5 点 = 426 点; 金额 = 426 × 点值 10.5 = 4473.00')
    // P2: F20 → JS; 100 days capped at 90: 90 × 260.00 = 23400.00; fund (23400.00 − 1000) × 0.85 = 19040.00.
    expect(byId.get('P2')).toMatchObject({status: 'per_diem', drg: 'JS', payment: 'per_diem', points: '', adjusted_yuan: '23400.00', fund_yuan: '19040.00'})
    expect(byId.get('P2')!.steps).toContain('90 天 (住院 100 天, 限 90 天) × 260.00 = 23400.00')
    expect(byId.get('P3')).toMatchObject({status: 'items', payment: 'items', fund_yuan: '5000.00'})
    expect(byId.get('P4')).toMatchObject({status: 'per_diem', payment: 'held', fund_yuan: '0.00'})
    expect(byId.get('P4')!.steps).toContain('床日病种 XX is not in the policy')
    // T8 is still priced by its DRG: 210 × 10.5 = 2205.00; fund (2205.00 − 2400) floored at 0.
    expect(byId.get('T8')).toMatchObject({status: 'grouped', payment: 'drg', points: '210.0000', adjusted_yuan: '2205.00', fund_yuan: '0.00'})
    const institution = result.institutions[0]
    expect(institution.byPayment).toMatchObject({drg: 1, per_diem: 2, items: 1, held: 1})
    // 0.00 + 3802.05 + 19040.00 + 5000.00 = 27842.05 (every case rounded to the 分 exactly: no 尾差).
    expect(institution).toMatchObject({cases: 5, casesFundYuan: '27842.05', roundingResidueYuan: '0.00', fundDueYuan: '27842.05'})
    expect(result.checks.every((c: {holds: boolean}) => c.holds)).toBe(true)
    const text = await yb(dir, ['pay', '--month', '2026-01'])
    expect(text.stdout).toMatch(/床日\s+按项目\s+待更正/)
    // yb case show explains a per-diem case by its own path, as the run priced it.
    const shown = JSON.parse((await yb(dir, ['case', 'show', 'P1', '--json'])).stdout)
    expect(shown.payment).toMatchObject({payment: 'per_diem', fundYuan: '3802.05', paidInRun: {fundYuan: '3802.05'}})
    expect(shown.payment.steps[0]).toBe('床日 AN 安宁疗护: 12 天 × 35.5 点 = 426 点; 金额 = 426 × 点值 10.5 = 4473.00')
  })

  it('counts per-diem points in the computed point value: PV = month budget ÷ ρ ÷ (210 + 426)', async () => {
    const dir = await region(pointsPolicy('computed'))
    const result = JSON.parse((await yb(dir, ['pay', '--month', '2026-01', '--json'])).stdout)
    // Template budget: 1e9 × 1.05 − 5% reserve = 997,500,000.00 (BUD-1); 职工 share 0.60, one month, ρ 0.70.
    const monthCostBudget = new Decimal('997500000.00').times('0.60').div(12).div('0.70')
    const expected = monthCostBudget.div(210 + 426).toDecimalPlaces(4, Decimal.ROUND_HALF_UP)
    expect(result.rates.find((r: {pool: string}) => r.pool === '职工')).toEqual({pool: '职工', source: 'computed', pointValueYuan: expected.toFixed(4)})
    const p1 = runCases(dir, result.runId).find((r) => r.settlement_id === 'P1')!
    expect(p1.adjusted_yuan).toBe(expected.times(426).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2))
  })

  it('refuses daily points under the rate method, naming the path', async () => {
    const dir = tempDir()
    const policy = policyTemplate({year: 2026, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DRG'}).replace(/^coefficients:/m, PER_DIEM)
    writeFileSync(join(dir, 'p.yaml'), policy)
    const checked = await yb(dir, ['policy', 'check', 'p.yaml'])
    expect(checked.exitCode).toBe(1)
    expect(checked.stderr).toMatch(/^error: p\.yaml:\d+ per_diem\.categories\.0\.daily_points: daily points need a point value/m)
  })

  it('re-imports a case file from before the payment-method columns as unchanged, and rejects an unknown method with its column', async () => {
    const dir = await region(pointsPolicy('{职工: 10.5, 居民: 10.5}'))
    // The same cases without the two new columns, and with them present but blank: both hash as before.
    const old = CASES.split('\n').map((line) => line.split(',').slice(0, 17).join(','))
    writeFileSync(join(dir, 'old.csv'), [old[0], old[1]].join('\n'))
    const again = await yb(dir, ['cases', 'import', '--month', '2026-01', 'old.csv', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({inserted: 0, same: 1, replaced: 0})
    writeFileSync(join(dir, 'bad.csv'), [HEADER, 'P9,H001,职工,2026-01-16,1,50,18300,,6,1,K35.800,,7000.00,5000.00,0,0,0,特例,'].join('\n'))
    const bad = await yb(dir, ['cases', 'import', '--month', '2026-01', 'bad.csv'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toMatch(/bad\.csv:2 payment_method: "特例" is not one of DRG, DIP, 床日, 项目/)
  })
})
