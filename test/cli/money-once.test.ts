// Proves every 分 is paid once through yb pay and yb clear (issue 11, defects 1–5): a deduction is
// taken exactly once whether a month took it, could not take it, or it was for the year; every
// institution with a prepayment is cleared; REFUND shows the prepayment on its own line; a
// negative DIP month stops nothing and is floored at 0; a deduction beyond a month's payment is
// carried to the next month (or paid negative, as the policy says). Every figure is worked by
// hand in the comments (round numbers: a stroke case is worth 15,000.00 to the fund, p = 0.95).
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DEMO_DIR} from '../helpers.js'
import {closeMonths, tempDir, yb, ybAll} from './run.js'
import {CASE_HEADER, type ClearJson, dipPolicy, json, lineOf, stroke, writeOneGroupCatalog, yearPolicy, yearRegion} from './year-region.js'

interface PayJson {
  institutions: Record<string, string | number>[]
  carriedFrom: {month: string} | null
  checks: {holds: boolean}[]
}

const identityHolds = (result: ClearJson) => {
  const identities = result.checks.filter((c) => c.name.includes('(every 分 once)'))
  expect(identities.length).toBeGreaterThan(1)
  expect(identities.filter((c) => !c.holds)).toEqual([])
}

describe('every deduction taken once (defect 1)', () => {
  it('takes a dated deduction off its month and not back at the clearing; an undated one and one of an unpaid month at the clearing', async () => {
    const deductions = ['D1,H001,职工,2025-01,审核扣减,100.00,一月审核', 'D2,H001,职工,,违规扣款,50.00,年度检查', 'D3,H001,职工,2025-02,审核扣减,30.00,二月审核']
    const dir = await yearRegion({cases: {'2025-01': [stroke('S1', 'H001')]}, deductions})
    const pay = await json<PayJson>(dir, ['pay', '--month', '2025-01'])
    // 15,000.00 due × 0.95 = 14,250.00, less January's 100.00 = 14,150.00; 750.00 held back.
    expect(pay.institutions[0]).toMatchObject({fundDueYuan: '15000.00', deductionsYuan: '100.00', deductionsTakenYuan: '100.00', payYuan: '14150.00', withheldYuan: '750.00'})
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    // Entitled 15,000.00 (V1_PURE), deposit 750.00 all released: E_final 15,000.00. Deductions 100 (taken in January)
    // + 30 (February was never paid) + 50 (the year's) = 180.00. Balance 15,000 − 180 − 14,150 = 670.00.
    expect(['finalEntitled', 'deductionsMonthly', 'deductionsOutstanding', 'deductionsYearEnd', 'deductions', 'monthlyPaid'].map((k) => lineOf(clear, 'H001', k))).toEqual([
      '15000.00',
      '100.00',
      '30.00',
      '50.00',
      '180.00',
      '14150.00',
    ])
    expect(clear.institutions[0]!.balanceYuan).toBe('670.00')
    // Cash over the year: 14,150.00 + 670.00 = 14,820.00 = 15,000.00 − 180.00.
    identityHolds(clear)
    const text = (await yb(dir, ['clear', '--year', '2025'])).stdout
    expect(text).toContain('H001 职工: 扣款合计 180.00 = 月度拨付已扣 100.00 + 月度未扣 30.00 + 年终扣款 50.00')
    expect(text).toMatch(/✓ 每个机构: 预付金 \+ Σ 月度拨付 \+ 本期应补应扣 − 预付金退还 = 年度应支付合计 − Σ 扣款 \+ 预付金未收回 \(1 institution-pools\)/)
  })

  it('pays a region exactly the deduction less than the same region without it', async () => {
    const cash = async (deductions: string[]) => {
      const dir = await yearRegion({cases: {'2025-01': [stroke('S1', 'H001')]}, deductions})
      const pay = await json<PayJson>(dir, ['pay', '--month', '2025-01'])
      await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
      return [String(pay.institutions[0]!.payYuan), clear.institutions[0]!.balanceYuan]
    }
    // Without: 14,250.00 + 750.00 = 15,000.00. With 100.00 in January: 14,150.00 + 750.00 = 14,900.00.
    expect(await cash([])).toEqual(['14250.00', '750.00'])
    expect(await cash(['D1,H001,职工,2025-01,审核扣减,100.00,一月审核'])).toEqual(['14150.00', '750.00'])
  })
})

describe('prepayments recovered from every institution (defects 2 and 3)', () => {
  // 2024: H001 spent 12,000.00 of the fund, H002 24,000.00 → one month each: 1,000.00 and 2,000.00. In 2025 only H001 has a case.
  const history = {'2024-06': [stroke('P1', 'H001', '12000.00'), stroke('P2', 'H002', '24000.00')], '2025-01': [stroke('S1', 'H001')]}
  const institutions = ['H001,市第一人民医院,三级,1.00,职工', 'H002,区中医院,二级,1.00,职工']

  it('OFFSET: clears an institution with a prepayment and no discharge in the year, recovering all of it', async () => {
    const dir = await yearRegion({institutions, cases: history, prepay: true})
    await ybAll(dir, [['pay', '--month', '2025-01']])
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    expect(clear.institutions.map((i) => [i.institutionId, lineOf(clear, i.institutionId, 'prepaymentOffset'), i.balanceYuan])).toEqual([
      // H001: 15,000.00 − 14,250.00 − 1,000.00 = −250.00 (应扣).
      ['H001', '1000.00', '-250.00'],
      // H002: nothing to pay, the prepayment to recover: −2,000.00.
      ['H002', '2000.00', '-2000.00'],
    ])
    identityHolds(clear)
  })

  it('REFUND: the prepayment is its own line beside the balance, for every institution', async () => {
    const policy = yearPolicy().replace('recovery_mode: OFFSET', 'recovery_mode: REFUND')
    const dir = await yearRegion({institutions, cases: history, prepay: true, policy})
    await ybAll(dir, [['pay', '--month', '2025-01']])
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    expect(clear.institutions.map((i) => [i.institutionId, lineOf(clear, i.institutionId, 'prepaymentOffset'), lineOf(clear, i.institutionId, 'prepaymentRefund'), i.balanceYuan])).toEqual([
      // H001: 15,000.00 − 14,250.00 = 750.00 应补, and 1,000.00 to refund.
      ['H001', '0.00', '1000.00', '750.00'],
      ['H002', '0.00', '2000.00', '0.00'],
    ])
    expect(clear.totals.prepaymentRefundYuan).toBe('3000.00')
    identityHolds(clear)
    const text = (await yb(dir, ['clear', '--year', '2025'])).stdout
    expect(text).toMatch(/预付金退还 +本期应补应扣/)
    expect(text).toContain('预付金退还 3,000.00')
  })
})

describe('a negative DIP month (defect 4)', () => {
  it('floors it at 0 in the month and at the clearing, and pays the rest of the region', async () => {
    const dir = tempDir()
    writeOneGroupCatalog(dir, '1000')
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH1,示例医院,三级,1.00,职工\nH2,民营医院,二级,1.00,职工\n')
    const policy = dipPolicy('10.0000')
    writeFileSync(join(dir, 'p.yaml'), policy)
    // Each case scores 1,000 × 10 = 10,000.00. H1: burden 12,000 − 9,000 = 3,000 → fund 7,000.00. H2: burden 20,000 − 5,000 = 15,000 → −5,000.00.
    writeFileSync(join(dir, 'c.csv'), `${CASE_HEADER}\nS1,H1,职工,1,50,18300,,5,K80.100,,12000.00,9000.00\nS2,H2,职工,1,50,18300,,5,K80.100,,20000.00,5000.00\n`)
    await ybAll(dir, [['init'], ['scheme', 'import', DEMO_DIR], ['dip', 'import', 'cat'], ['institution', 'import', 'inst.csv'], ['policy', 'import', 'p.yaml'], ['cases', 'import', '--month', '2025-03', 'c.csv']])
    const pay = await json<PayJson>(dir, ['pay', '--month', '2025-03'])
    expect(pay.institutions.map((i) => [i.institutionId, i.fundDueYuan, i.fundDueFlooredYuan, i.payYuan, i.withheldYuan])).toEqual([
      ['H1', '7000.00', '7000.00', '6650.00', '350.00'],
      ['H2', '-5000.00', '0.00', '0.00', '0.00'],
    ])
    expect(pay.checks.every((c) => c.holds)).toBe(true)
    expect((await yb(dir, ['pay', '--month', '2025-03'])).stdout).toContain('H2 职工: 基金应付 -5,000.00 is below 0: paid and held back on 0.00')
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    // H2: entitled max(0, −5,000.00) = 0.00; V2 bands on 0 give 0.00 and the deposit is 0.00, not negative.
    expect(['fundDue', 'entitled', 'dueAfterBand', 'depositReserved'].map((k) => lineOf(clear, 'H2', k))).toEqual(['-5000.00', '0.00', '0.00', '0.00'])
    expect(clear.institutions.find((i) => i.institutionId === 'H2')!.balanceYuan).toBe('0.00')
    // H1: 7,000.00 against 9,000.00 recorded, 28.6% over → share capped at 20%: 7,000 + 0.5 × 1,400 = 7,700.00; deposit 385.00 released;
    // balance 7,700.00 − 6,650.00 = 1,050.00.
    expect(['entitled', 'dueAfterBand', 'depositReserved'].map((k) => lineOf(clear, 'H1', k))).toEqual(['7000.00', '7700.00', '385.00'])
    expect(clear.institutions.find((i) => i.institutionId === 'H1')!.balanceYuan).toBe('1050.00')
    identityHolds(clear)
  })
})

describe('a deduction beyond the month’s payment (defect 5)', () => {
  const cases = {'2025-01': [stroke('S1', 'H001')], '2025-02': [stroke('S2', 'H001')]}
  const deductions = ['D1,H001,职工,2025-01,违规扣款,20000.00,飞行检查']

  it('CARRY_FORWARD (the default): pays 0.00, carries the rest to the next month as 待扣, and into the clearing once', async () => {
    const dir = await yearRegion({cases, deductions})
    const january = await json<PayJson>(dir, ['pay', '--month', '2025-01'])
    // 14,250.00 before deductions: 14,250.00 taken, 5,750.00 carried.
    expect(january.institutions[0]).toMatchObject({payBeforeDeductionsYuan: '14250.00', deductionsYuan: '20000.00', deductionsTakenYuan: '14250.00', carriedOutYuan: '5750.00', payYuan: '0.00'})
    expect((await yb(dir, ['pay', '--month', '2025-01'])).stdout).toContain('H001 职工: 扣款 beyond this payment, 5,750.00, is carried to the next month as 待扣')
    const february = await json<PayJson>(dir, ['pay', '--month', '2025-02'])
    // February takes the 5,750.00 carried in: 14,250.00 − 5,750.00 = 8,500.00.
    expect(february.carriedFrom).toMatchObject({month: '2025-01'})
    expect(february.institutions[0]).toMatchObject({carriedInYuan: '5750.00', deductionsTakenYuan: '5750.00', carriedOutYuan: '0.00', payYuan: '8500.00'})
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    // 30,000.00 − 20,000.00 − 8,500.00 = 1,500.00; cash 8,500.00 + 1,500.00 = 10,000.00 = 30,000.00 − 20,000.00.
    expect(['finalEntitled', 'deductionsMonthly', 'deductions', 'monthlyPaid'].map((k) => lineOf(clear, 'H001', k))).toEqual(['30000.00', '20000.00', '20000.00', '8500.00'])
    expect(clear.institutions[0]!.balanceYuan).toBe('1500.00')
    identityHolds(clear)
  })

  it('NEGATIVE_PAYMENT: takes it all in the month, and the year comes to the same', async () => {
    const dir = await yearRegion({cases, deductions, policy: yearPolicy().replace('excess_deduction: CARRY_FORWARD', 'excess_deduction: NEGATIVE_PAYMENT')})
    expect((await json<PayJson>(dir, ['pay', '--month', '2025-01'])).institutions[0]).toMatchObject({deductionsTakenYuan: '20000.00', carriedOutYuan: '0.00', payYuan: '-5750.00'})
    expect((await json<PayJson>(dir, ['pay', '--month', '2025-02'])).institutions[0]).toMatchObject({carriedInYuan: '0.00', payYuan: '14250.00'})
    await ybAll(dir, [closeMonths()])
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025'])
    expect(lineOf(clear, 'H001', 'monthlyPaid')).toBe('8500.00')
    expect(clear.institutions[0]!.balanceYuan).toBe('1500.00')
    identityHolds(clear)
  })
})
