// Proves the guards on values that change money (issue 11, defects 7–10): weights that do not
// fit the scheme are counted per institution and refused above the policy's share; a computed
// rate far from its reference is refused unless accepted; 特例单议 approvals are held to the cap,
// on both sides of it; and QY / 0000 cases are explained by the one rule the docs and the
// template state.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers.js'
import {closeMonths, yb, ybAll} from './run.js'
import {json, stroke, yearPolicy, yearRegion} from './year-region.js'

/** A stroke case with respiratory failure: BR21, which the region's weights (BR25 only) lack. */
const br21 = (id: string) => `${id},H001,职工,1,66,24100,,9,I63.900|J96.000,,40000.00,30000.00`

describe('weights that do not fit the scheme (defect 7)', () => {
  it('refuses a month with more cases in DRGs without a weight than the policy allows, naming the groups', async () => {
    const cases = [...Array.from({length: 9}, (_, k) => stroke(`S${k + 1}`, 'H001')), br21('S10')]
    const dir = await yearRegion({cases: {'2025-01': cases}})
    const refused = await yb(dir, ['pay', '--month', '2025-01'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toBe(
      'error: 2025-01 drg.missing_weight_max_share: 1 of 10 grouped cases (10.00%) are in DRGs without a 2025 weight, above drg.missing_weight_max_share 0.01: BR21 (1) (import the 2025 weights of scheme demo (yb weights import --year 2025), or raise the share in the policy)\n',
    )
    // Allowed up to 10%: paid, and counted per institution; the case is paid by its items at the 0000 discount (30,000.00 × 0.80).
    writeFileSync(join(dir, 'p2.yaml'), yearPolicy().replace('missing_weight_max_share: 0.01', 'missing_weight_max_share: 0.10'))
    await ybAll(dir, [['policy', 'import', 'p2.yaml']])
    const paid = await json<{institutions: {missingWeightCases: number; casesFundYuan: string}[]; missingWeights: unknown}>(dir, ['pay', '--month', '2025-01'])
    expect(paid.missingWeights).toEqual({cases: 1, groupedCases: 10, sharePercent: '10.00', maxShare: '0.1', maxSharePercent: '10.00', groups: [{drg: 'BR21', cases: 1}]})
    // 9 × 15,000.00 + 24,000.00.
    expect(paid.institutions[0]).toMatchObject({missingWeightCases: 1, casesFundYuan: '159000.00'})
    expect((await yb(dir, ['pay', '--month', '2025-01'])).stdout).toContain('无权重: 1 of 10 grouped cases (10.00%; the policy allows up to 10.00%) are in DRGs without a weight, paid by their items: BR21 1')
  })
})

describe('a computed rate far from its reference (defect 8)', () => {
  // The template's budget (997,500,000.00 available) over one month of one case: 职工 0.60 × 997,500,000 ÷ 12 ÷ ρ 0.70 ÷ Σ RW 1.5 = 47,500,000.00 per weight.
  const computed = (reference: string) => yearPolicy().replace('rate_yuan_per_weight: {职工: 10000.00, 居民: 10000.00}', 'rate_yuan_per_weight: computed').replace('reference: previous_year', `reference: ${reference}`)

  it('refuses it against a stated reference, and pays it with --accept-rate-deviation, warning', async () => {
    const dir = await yearRegion({cases: {'2025-01': [stroke('S1', 'H001')]}, policy: computed('{职工: 10000.00, 居民: 10000.00}')})
    const refused = await yb(dir, ['pay', '--month', '2025-01'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toBe(
      'error: 2025-01 rate_check: computed 费率 职工 47500000.00 is 474900.0% from the reference 10000.00 (rate_check.reference), beyond rate_check.max_deviation 0.5 (check the period’s cases and weights against the budget; pass --accept-rate-deviation to run at this value anyway)\n',
    )
    const accepted = await yb(dir, ['pay', '--month', '2025-01', '--accept-rate-deviation', '--json'])
    expect(accepted.exitCode, accepted.stderr).toBe(0)
    expect(JSON.parse(accepted.stdout).warnings).toEqual(['accepted: computed 费率 职工 47500000.00 is 474900.0% from the reference 10000.00 (rate_check.reference), beyond rate_check.max_deviation 0.5'])
    expect(accepted.stderr).toContain('warning: accepted: computed 费率 职工 47500000.00')
  })

  it('takes the previous year’s published rate as the reference, and passes a value inside the bound', async () => {
    const dir = await yearRegion({cases: {'2025-01': [stroke('S1', 'H001')]}, policy: computed('previous_year')})
    writeFileSync(join(dir, 'p24.yaml'), yearPolicy(2024))
    await ybAll(dir, [['policy', 'import', 'p24.yaml']])
    expect((await yb(dir, ['pay', '--month', '2025-01'])).stderr).toContain('from the reference 10000.00 (policy 2024 v1, published)')
    // A budget that gives 14,000.00 per weight: 40% above 10,000.00, inside 0.5. 14,000 × 1.5 × 12 × 0.7 ÷ 0.6 = 294,000.00 available.
    writeFileSync(join(dir, 'p25.yaml'), computed('previous_year').replace('base_yuan: 1000000000.00', 'base_yuan: 294000.00').replace('growth: 0.05', 'growth: 0').replace('reserve_rate: 0.05', 'reserve_rate: 0'))
    await ybAll(dir, [['policy', 'import', 'p25.yaml']])
    const paid = await json<{rates: unknown[]; warnings: string[]}>(dir, ['pay', '--month', '2025-01'])
    expect(paid.rates[0]).toEqual({pool: '职工', source: 'computed', rateYuanPerWeight: '14000.00'})
    expect(paid.warnings).toEqual([])
  })
})

describe('the 特例单议 cap (defect 9)', () => {
  const decisions = (ids: readonly string[]) => ['settlement_id,decision,approved_cost_yuan,note', ...ids.map((id) => `${id},approved,30000.00,专家组认定`)].join('\n')

  it('allows approvals up to 5% of the discharges, refuses one more, and reports the share', async () => {
    const dir = await yearRegion({cases: {'2025-01': Array.from({length: 40}, (_, k) => stroke(`S${k + 1}`, 'H001'))}})
    writeFileSync(join(dir, 's.csv'), decisions(['S1', 'S2']))
    const within = await yb(dir, ['special', 'import', 's.csv'])
    expect(within.exitCode, within.stderr).toBe(0)
    // 2 ≤ 0.05 × 40: exactly at the cap.
    expect(within.stdout).toContain('特例单议 cap 统筹区 2025: 2 approved of 40 discharges (5.00%, cap 0.05: at most 2)')
    writeFileSync(join(dir, 's3.csv'), decisions(['S3']))
    const beyond = await yb(dir, ['special', 'import', 's3.csv'])
    expect(beyond.exitCode).toBe(1)
    expect(beyond.stderr).toBe('error: policy 2025 v1 special_case.cap_share: 统筹区 2025: 3 approved 特例单议 case(s) of 40 discharges (7.50%) exceed the cap 0.05 (at most 2) (reject or defer approvals beyond the cap, or set special_case.beyond_cap: ALLOW in the policy)\n')
    expect(JSON.parse((await yb(dir, ['special', 'list', '--year', '2025', '--json'])).stdout).cases).toHaveLength(2)
    // A policy that allows it: imported, and reported as beyond the cap; the clearing reports it too.
    writeFileSync(join(dir, 'allow.yaml'), yearPolicy().replace('beyond_cap: REFUSE', 'beyond_cap: ALLOW'))
    await ybAll(dir, [['policy', 'import', 'allow.yaml']])
    expect((await yb(dir, ['special', 'import', 's3.csv'])).stdout).toContain('3 approved of 40 discharges (7.50%, cap 0.05: at most 2) — beyond the cap, allowed by the policy')
    await ybAll(dir, [['pay', '--month', '2025-01'], closeMonths()])
    const cleared = await json<{special: {rows: unknown[]}}>(dir, ['clear', '--year', '2025'])
    expect(cleared.special.rows).toEqual([{scope: '统筹区', period: '2025', approved: 3, discharges: 40, sharePercent: '7.50', capShare: '0.05', limitCases: 2, within: false}])
    // The policy refuses again: so does the clearing.
    writeFileSync(join(dir, 'refuse.yaml'), yearPolicy().replace('growth: 0.05', 'growth: 0.04'))
    await ybAll(dir, [['policy', 'import', 'refuse.yaml']])
    const refused = await yb(dir, ['clear', '--year', '2025'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('special_case.cap_share: 统筹区 2025: 3 approved 特例单议 case(s) of 40 discharges (7.50%) exceed the cap 0.05')
  })

  it('caps each institution too when the policy says so, per quarter', async () => {
    const policy = yearPolicy().replace('institution_cap_share: none', 'institution_cap_share: 0.25').replace('cap_share: 0.05 ', 'cap_share: 0.50 ').replace('period: YEAR ', 'period: QUARTER ')
    const cases = {'2025-01': [stroke('A1', 'H001'), stroke('A2', 'H001'), stroke('B1', 'H002'), stroke('B2', 'H002')], '2025-04': [stroke('A3', 'H001')]}
    const dir = await yearRegion({institutions: ['H001,一院,三级,1.00,职工', 'H002,二院,二级,1.00,职工'], cases, policy})
    // Q1: H001 approves 1 of its 2 (50% > 25%); the region 1 of 4 (25% ≤ 50%).
    writeFileSync(join(dir, 's.csv'), decisions(['A1']))
    const refused = await yb(dir, ['special', 'import', 's.csv'])
    expect(refused.stderr).toBe('error: policy 2025 v1 special_case.cap_share: H001 2025-Q1: 1 approved 特例单议 case(s) of 2 discharges (50.00%) exceed the cap 0.25 (at most 0) (reject or defer approvals beyond the cap, or set special_case.beyond_cap: ALLOW in the policy)\n')
  })
})

describe('QY and 0000 cases, one rule everywhere (defect 10)', () => {
  it('pays them 统筹基金记账 × the discount, as yb case show, the policy template and docs/settlement.md say', async () => {
    // Z51.100 is 0000 in the demo scheme: 7,000.00 recorded × 0.80 = 5,600.00, with no fund formula after it.
    const dir = await yearRegion({cases: {'2025-01': [`S5,H001,职工,1,50,18300,,5,Z51.100,,9000.00,7000.00`]}})
    await ybAll(dir, [['pay', '--month', '2025-01']])
    const shown = await yb(dir, ['case', 'show', 'S5'])
    expect(shown.stdout).toContain('无法入组: 统筹基金记账 7000.00 × 折算比例 0.8 = 基金 5600.00 (按项目折算, 个人负担已在记账中扣除)')
    await ybAll(dir, [['policy', 'init', 'new.yaml', '--year', '2026']])
    const template = readFileSync(join(dir, 'new.yaml'), 'utf8')
    expect(template).toContain("qy_discount: 0.80           # QY (歧义组): the fund pays 统筹基金记账 × this share; no fund formula follows (the recorded fund is already net of the patient's parts)")
    const docs = readFileSync(join(ROOT, 'docs', 'settlement.md'), 'utf8')
    expect(docs).toContain("QY (歧义组), 0000 (无法入组) and a DRG without a weight: the fund pays the case's 统筹基金记账 × the policy's discount; no fund formula follows (the recorded fund is already net of the patient's parts)")
  })
})
