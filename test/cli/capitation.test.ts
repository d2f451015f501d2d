// 按人头付费 and 门特 packages end to end (issue 19): the worked example of docs/settlement.md
// through yb enrollment import, yb outpatient import, twelve yb pay and yb clear. C001: 10,000
// enrolled at 30 元/人/月, spending 3,200,000.00 over the year (a surplus); C002: 10,000 enrolled,
// 3,900,000.00 (an overspend); C001 also a 门特 package MT01 of 120 patients at 3,600 元 a year.
// Capitation band V2_QUOTA_BANDS (reward 0.5 capped at 10%, band 10% shared 0.5), deposit 5%,
// assessment 90; 90% paid monthly. A stroke case of H001 each month keeps the months paid.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {closeMonths, yb, ybAll} from './run.js'
import {stroke, yearPolicy, yearRegion} from './year-region.js'

const CAPITATION = `capitation:
  pools:
    职工: {standard_yuan: 30.00, monthly_rule: BUDGET, pre_settle_ratio: 0.9, charge_outside: true}
  packages:
    - {code: MT01, name: 糖尿病门特, yuan_per_patient_year: 3600.00}
  band: {variant: V2_QUOTA_BANDS, basis: FUND_RECORDED, reward: 0.5, reward_cap: 0.1, band: 0.1, share: 0.5}
  deposit_rate: 0.05
`
const MONTHS = Array.from({length: 12}, (_, k) => `2025-${String(k + 1).padStart(2, '0')}`)

async function capitationYear(policy = yearPolicy().replace('coefficients:', `${CAPITATION}coefficients:`)): Promise<string> {
  const cases = Object.fromEntries(MONTHS.map((month, k) => [month, [stroke(`S${k + 1}`, 'H001')]]))
  const dir = await yearRegion({institutions: ['H001,市第一人民医院,三级,1.00,职工', 'C001,东区社区卫生服务中心,一级,1.00,职工', 'C002,西区社区卫生服务中心,一级,1.00,职工'], policy, cases})
  const commands: string[][] = []
  MONTHS.forEach((month, k) => {
    // C001: 250,000.00 in eight months and 300,000.00 in four (3,200,000.00), 40,000.00 of it outside (charged); C002: 325,000.00 a month.
    writeFileSync(join(dir, `e${k}.csv`), 'institution_id,pool,category,persons\nC001,职工,,10000\nC001,职工,MT01,120\nC002,职工,,10000\n')
    writeFileSync(join(dir, `o${k}.csv`), `institution_id,pool,category,own_fund_yuan,outside_fund_yuan\nC001,职工,,${k < 8 ? '240000.00' : '290000.00'},10000.00\nC001,职工,MT01,30000.00,\nC002,职工,,325000.00,\n`)
    commands.push(['enrollment', 'import', '--month', month, `e${k}.csv`], ['outpatient', 'import', '--month', month, `o${k}.csv`], ['pay', '--month', month])
  })
  await ybAll(dir, [...commands, closeMonths()])
  return dir
}

describe('按人头付费 through yb pay and yb clear', () => {
  it('pays every month its budget at 90% and clears the year to the 分 of the worked example', async () => {
    const dir = await capitationYear()
    const march = JSON.parse((await yb(dir, ['runs', 'show', '3', '--json'])).stdout).result.capitation
    expect(march.lines).toEqual([
      {institutionId: 'C001', pool: '职工', category: '', name: '按人头', persons: 10000, budgetYuan: '300000.00', spendingYuan: '250000.00', dueYuan: '300000.00', payYuan: '270000.00', withheldYuan: '30000.00'},
      {institutionId: 'C001', pool: '职工', category: 'MT01', name: '糖尿病门特', persons: 120, budgetYuan: '36000.00', spendingYuan: '30000.00', dueYuan: '36000.00', payYuan: '32400.00', withheldYuan: '3600.00'},
      {institutionId: 'C002', pool: '职工', category: '', name: '按人头', persons: 10000, budgetYuan: '300000.00', spendingYuan: '325000.00', dueYuan: '300000.00', payYuan: '270000.00', withheldYuan: '30000.00'},
    ])
    writeFileSync(join(dir, 'a.csv'), 'institution_id,score\nH001,100\nC001,90\nC002,90\n')
    const clear = await yb(dir, ['clear', '--year', '2025', '--assessment', 'a.csv', '--json'])
    expect(clear.exitCode, clear.stderr).toBe(0)
    const c = JSON.parse(clear.stdout).capitation
    const line = (i: {lines: {key: string; amountYuan: string}[]}, key: string) => i.lines.find((l) => l.key === key)!.amountYuan
    const [c001, mt01, c002] = c.institutions
    // Surplus: 3,200,000 + min(0.5 × 400,000, 360,000) = 3,400,000; deposit 170,000, 90% released, 17,000 kept; 3,383,000 − 3,240,000.
    expect([line(c001, 'budget'), line(c001, 'spending'), line(c001, 'dueAfterBand'), line(c001, 'depositForfeited'), line(c001, 'finalEntitled'), line(c001, 'monthlyPaid'), c001.balanceYuan]).toEqual(['3600000.00', '3200000.00', '3400000.00', '17000.00', '3383000.00', '3240000.00', '143000.00'])
    // Overspend: 3,600,000 + 0.5 × 300,000 = 3,750,000; 18,750 kept; 3,731,250 − 3,240,000.
    expect([line(c002, 'spending'), line(c002, 'dueAfterBand'), line(c002, 'finalEntitled'), c002.balanceYuan]).toEqual(['3900000.00', '3750000.00', '3731250.00', '491250.00'])
    // 门特 MT01: 432,000 budgeted, 360,000 spent: 360,000 + min(36,000, 43,200) = 396,000; deposit 19,800, 1,980 kept; 394,020 − 388,800.
    expect([line(mt01, 'budget'), line(mt01, 'dueAfterBand'), line(mt01, 'depositForfeited'), line(mt01, 'finalEntitled'), line(mt01, 'monthlyPaid'), mt01.balanceYuan]).toEqual(['432000.00', '396000.00', '1980.00', '394020.00', '388800.00', '5220.00'])
    expect(c.totals.balanceYuan).toBe('639470.00')
    const text = await yb(dir, ['clear', '--year', '2025', '--assessment', 'a.csv'])
    expect(text.stdout).toContain('按人头付费 / 门特包干 年终清算')

    // The statements: a 按人头 CSV of the region beside the institutions' files, in the manifest, each row checked.
    expect((await yb(dir, ['reconcile', '--year', '2025', '--out', 'st'])).exitCode).toBe(0)
    const named = (folder: string, pattern: RegExp) => readdirSync(join(dir, folder)).find((f) => pattern.test(f))!
    const yearFile = named('st', /^1_按人头_2025_年度清算_v\d+\.csv$/)
    const year = readFileSync(join(dir, 'st', yearFile), 'utf8').trim().split('\n')
    expect(year[0]!.replace(/^\uFEFF/, '')).toBe('机构编码,险种,类别编码,类别,月数,考核得分,年度人头预算,实际门诊统筹支出,结余留用/超支分担后应支付,质量保证金扣除,年度应支付合计,已预结算合计,本期应补应扣,校验')
    expect(year.slice(1)).toEqual([
      'C001,职工,,按人头,12,90,3600000.00,3200000.00,3400000.00,17000.00,3383000.00,3240000.00,143000.00,通过',
      'C001,职工,MT01,糖尿病门特,12,90,432000.00,360000.00,396000.00,1980.00,394020.00,388800.00,5220.00,通过',
      'C002,职工,,按人头,12,90,3600000.00,3900000.00,3750000.00,18750.00,3731250.00,3240000.00,491250.00,通过',
    ])
    expect(readFileSync(join(dir, 'st', 'manifest.csv'), 'utf8')).toContain(`${yearFile},,capitation_csv,3,0,7508270.00,639470.00,`)
    expect((await yb(dir, ['reconcile', '--month', '2025-03', '--institution', 'C002', '--out', 'm'])).exitCode).toBe(0)
    expect(readFileSync(join(dir, 'm', named('m', /^1_按人头_2025-03_月度预结算_v\d+\.csv$/)), 'utf8').trim().split('\n').slice(1)).toEqual(['C002,职工,,按人头,10000,300000.00,325000.00,300000.00,270000.00,30000.00,通过'])
  }, 60_000)

  it('refuses enrolment the policy cannot pay, and says when a month has none', async () => {
    const dir = await yearRegion({institutions: ['H001,市第一人民医院,三级,1.00,职工', 'C001,东区社区卫生服务中心,一级,1.00,职工'], cases: {'2025-01': [stroke('S1', 'H001')], '2025-02': [stroke('S2', 'H001')]}})
    writeFileSync(join(dir, 'e.csv'), 'institution_id,pool,category,persons\nC001,职工,,10000\n')
    await ybAll(dir, [['enrollment', 'import', '--month', '2025-01', 'e.csv']])
    const refused = await yb(dir, ['pay', '--month', '2025-01', '--json'])
    expect(refused.exitCode).toBe(1)
    expect(JSON.parse(refused.stdout).error.details.errors[0]).toMatchObject({column: 'capitation', code: 'parameter_missing'})
    writeFileSync(join(dir, 'p2.yaml'), yearPolicy().replace('coefficients:', `${CAPITATION}coefficients:`))
    await ybAll(dir, [['policy', 'import', 'p2.yaml']])
    const february = await yb(dir, ['pay', '--month', '2025-02', '--json'])
    expect(JSON.parse(february.stdout).warnings).toContain('capitation: the policy pays by head but 2025-02 has no enrolment: nothing is paid by head this month (yb enrollment import --month 2025-02)')
    writeFileSync(join(dir, 'e3.csv'), 'institution_id,pool,category,persons\nC001,职工,MT99,10\n')
    await ybAll(dir, [['enrollment', 'import', '--month', '2025-02', 'e3.csv']])
    expect(JSON.parse((await yb(dir, ['pay', '--month', '2025-02', '--json'])).stdout).error.details.errors[0]).toMatchObject({column: 'capitation.packages'})
  })
})
