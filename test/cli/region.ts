// A small region paid for 2025-03 and closed, built through the CLI: two institutions (H001
// 市第一人民医院 三级, H003 县人民医院 二级 coefficient 0.92), published rates 11111.11 and
// 9000.00, the demo scheme, and cases whose amounts test/cli/pay.test.ts computes by hand.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb, ybAll} from './run.js'

const CASES = [
  'settlement_id,institution_id,insurance_type,discharge_date,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded,self_pay_all,self_pay_first,deductible',
  'S1,H001,职工,2025-03-04,1,60,22000,,8,1,I63.900,,18000.50,12000.00,800,600,1000',
  'S4,H001,居民,2025-03-07,1,66,24100,,9,1,I63.900|J96.000,,40000.00,30000.00,0,0,1000',
  'S5,H001,职工,2025-03-08,1,50,18300,,5,1,Z51.100,,9000.00,7000.00,,,',
  'S7,H003,职工,2025-03-10,1,60,22000,,8,1,I63.900,,16000.00,12000.00,800,600,1000',
  'S8,H003,职工,2025-03-11,1,60,22000,,8,1,I63.900,,36000.00,25000.00,800,600,1000',
  'S9,H003,职工,2025-03-12,1,60,22000,,3,1,I63.900,,5000.00,4000.00,0,0,0',
].join('\n')

export interface PaidRegion {
  dir: string
  pay: {runId: number; institutions: {institutionId: string; pool: string; cases: number; casesFundYuan: string; fundDueYuan: string; payYuan: string; withheldYuan: string}[]}
}

/** `extraCases` are more rows of the same columns. */
export async function paidRegion(extraCases: readonly string[] = [], close = true): Promise<PaidRegion> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), '机构编码,机构名称,医院等级,机构系数,险种\nH001,市第一人民医院,三级,1.00,职工|居民\nH003,县人民医院,二级,0.92,职工\n')
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,15000\nBR21,2.1,,22000\n')
  writeFileSync(join(dir, 'p.yaml'), policyTemplate({year: 2025, regionCode: '230100', regionName: '测试统筹区', scheme: 'demo', method: 'DRG'}).replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 11111.11, 居民: 9000.00}'))
  writeFileSync(join(dir, 'c.csv'), [CASES, ...extraCases].join('\n'))
  await importRegion(dir, '2025-03')
  const pay = JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json'])).stdout)
  if (close) await ybAll(dir, [['period', 'close', '--month', '2025-03', '--reason', '拨付完成']])
  return {dir, pay}
}


/**
 * A workspace in `dir` from the files written there: the demo scheme, inst.csv, w.csv (weights
 * of the month's year), p.yaml and c.csv (the month's cases), then `more` commands.
 */
export async function importRegion(dir: string, month: string, more: readonly string[][] = []): Promise<void> {
  await ybAll(dir, [
    ['init'],
    ['scheme', 'import', DEMO_DIR],
    ['institution', 'import', 'inst.csv'],
    ['weights', 'import', '--year', month.slice(0, 4), 'w.csv'],
    ['policy', 'import', 'p.yaml'],
    ['cases', 'import', '--month', month, 'c.csv'],
    ...more,
  ])
}
