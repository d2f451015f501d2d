/**
 * The commented policy template that `yb policy init` writes: the defaults of settlement-rules
 * §8 with their sources. Every value is text in YAML (quote nothing; the loader reads scalars as
 * text), and every one is a parameter to confirm against the region's own documents.
 *
 *   policyTemplate({year: 2025, regionCode: '230100', regionName: '哈尔滨市', scheme: 'harbin-2022'}) → 'format: yb-policy/1\n…'
 */
export interface TemplateOptions {
  readonly year: number
  readonly regionCode: string
  readonly regionName: string
  readonly scheme: string
  readonly method: 'DRG' | 'DIP'
}

export function policyTemplate(o: TemplateOptions): string {
  return `# yb region policy: every parameter of prepayment, monthly payment and year-end clearing.
# Defaults are those of settlement-rules §8 with their sources in brackets; confirm each
# against the region's own documents before paying. Check with: yb policy check <file>
format: yb-policy/1
region:
  code: ${o.regionCode}          # 统筹区/医保区划 code
  name: ${o.regionName}
  time_zone: Asia/Shanghai   # statements show times (制单时间) in this zone
year: ${o.year}
method: ${o.method}               # DRG (按病组) or DIP (按病种分值) for this year
pools: [职工, 居民]       # separate funds, rates and point values per pool [S-DIPCODE]
scheme: ${o.scheme}       # DRG scheme pack id in the workspace (yb scheme list)

budget:                   # 总额预算 §5.1
  base_yuan: 1000000000.00    # last year's actual fund spending (or a 3-year trend) [K]
  growth: 0.05
  reserve_rate: 0.05          # 调剂金/风险金 [DP]
  carve_outs_yuan: 0.00       # per-diem, FFS, outpatient … paid outside the DRG/DIP budget
  pool_shares: {职工: 0.60, 居民: 0.40}   # must add up to 1

reimbursement_ratio: {职工: 0.70, 居民: 0.60}   # ρ: fund share of total cost of these cases [K]

drg:
  family: RATE                # RATE (费率法) or POINTS (点数法) [DP]
  rate_yuan_per_weight: computed   # or published per pool, e.g. {职工: 12165.26, 居民: 12099.85}
  points_per_weight: 100      # POINTS only: base points = RW × 100 [JH, FQ]
  point_value_yuan: computed  # POINTS only: (available × share ÷ ρ) ÷ Σ points, or published per pool, e.g. {职工: 115.5556}
  fund_mode: CHS_FORMULA      # (standard − 全自费 − 先行自付 − 起付线) × fund ratio [S-DRGFORM]; or STD_MINUS_PATIENT [K]
  fund_ratio: {职工: 0.85, 居民: 0.70}
  high:                       # 高倍率 §4.4
    threshold:
      variant: RW_TIERED      # T = 3 if RW ≤ 1, 2 if RW ≤ 2, else 1.5 [K]; FLAT; LEVEL_TIERED
      tiers:
        - {weight_max: 1, times: 3}
        - {weight_max: 2, times: 2}
        - {weight_max: none, times: 1.5}
    basis: GROUP_AVERAGE      # or STANDARD
    payment: PARTIAL_EXCESS   # standard + (cost − T × basis) × share; FFS; ADD_POINTS (POINTS only: base × coef + base × (r − T))
    share: 0.70
    inclusive: false          # cost > T × basis (strict) unless true
  low:                        # 低倍率 §4.4
    times: 0.4                # [ZJ2]
    inclusive: true           # cost ≤ 0.4 × average
    payment: PRORATA          # standard × cost ÷ average, capped at the standard; or FFS
  mid_low_uplift: none        # or {from: 0.4, to: 0.8, add: 0.2} [ZJ2]
  qy_discount: 0.80           # QY (歧义组): the fund pays 统筹基金记账 × this share; no fund formula follows (the recorded fund is already net of the patient's parts) [ZJ2: city-set]
  ungroupable_discount: 0.80  # 0000 (无法入组), and a DRG the year's weights lack: 统筹基金记账 × this share, likewise
  missing_weight_max_share: 0.01   # yb pay / clear refuse a period where more of the grouped cases than this share are in DRGs without a weight (weights of another scheme or year)

dip:                          # 按病种分值付费 §3 (used when method is DIP)
  catalog: demo-dip           # the DIP catalog (yb dip import) the year pays by
  point_value_yuan: computed  # or published per pool, e.g. {职工: 9.6, 居民: 9.2}; computed at the clearing as §3.4 b
  score_scale: 1000           # 100 or 1000 [S]
  history_weights: [1, 2, 7]  # oldest first [N1]
  deviation: {high: 2, low: 0.5, extreme: 5, boundary_inclusive: false}   # [N1, S-DIPCODE]
  hospital_factor_stage: SCORE    # SCORE or PAYMENT [S-DIPCODE]
  settle_method: TOTAL_COST   # (F ÷ ρ) ÷ S [N1]; or FUND_ONLY F ÷ S [HA]
  fund_mode: TOTAL_MINUS_PATIENT
  monthly_point_value: {method: MONTHLY_CALC, factor: 1.0}   # FIXED: published PV × factor; MONTHLY_CALC: month budget (÷ ρ) ÷ month score (the factor applies to FIXED only)

# per_diem:                   # 按床日付费 §4.5: cases whose 付费方式 is 床日 (a category per case: its 床日病种 column, else dx_prefixes)
#   categories:
#     - {code: JS, name: 精神类, daily_rate_yuan: 260.00, max_days: 90, dx_prefixes: [F20, F25, F31]}   # 元 per day, any method
#     - {code: AN, name: 安宁疗护, daily_points: 35.5, max_points: 3000}   # points per day (DIP or drg.family POINTS) [ZJ1]

# 按人头付费 and 门特 packages (docs/settlement.md): uncomment to pay the enrolment of
# yb enrollment import by head, beside the cases.
# capitation:
#   pools:
#     居民: {standard_yuan: 30.00, monthly_rule: BUDGET, pre_settle_ratio: 0.9, charge_outside: false}
#   packages:
#     - {code: MT01, name: 糖尿病门特, yuan_per_patient_year: 3600.00}
#   deposit_rate: 0.05         # default: quality_deposit.rate; band: default the policy's band
# 结算清单质控 (docs/quality.md): the rules yb cases check runs by, and whether yb pay holds a case
# that fails an error rule as 待更正. Uncomment to use.
# quality:
#   rules: default             # the bundled set, or an id[@version] stored with yb qc import
#   hold_errors: false
# 监管 signals of yb audit (docs/quality.md); these are the defaults.
# audit:
#   readmission_days: 15       # 分解住院: back at the same institution within this many days
#   z_min: 3                   # an institution is raised at this z against its peers of the same level
#   cases_min: 30
#   short_stay_days: 2         # 低标入院: stays of at most this many days
#   cheap_share: 0.3           # ... costing less than this share of their group's mean cost

coefficients:                 # 医疗机构系数 §3.3 (illustrative values, no city table verified)
  by_level: {三级: 1.00, 二级: 0.90, 一级: 0.80}
  by_institution: {}          # id: coefficient, overrides the level
  exempt_groups: []           # 同病同价 / 基层病种 groups paid without a coefficient

prepay:                       # 年初预付 §5.2
  months: 1                   # [N2 art. 25]
  history_years: 3            # [N4]
  recovery_mode: OFFSET       # OFFSET against the clearing balance, or REFUND: returned by the institution, its own line beside the balance [ZY]
  pool_reserve_months_min: {职工: 12, 居民: 6}   # pool eligibility [N4]

monthly:
  pre_settle_ratio: 0.95      # p: share of the month's fund due (floored at 0) paid now [N2 art. 26: deposit ≤ 5%]
  excess_deduction: CARRY_FORWARD   # deductions beyond a month's payment: CARRY_FORWARD to the next month as 待扣 (and into the clearing), or NEGATIVE_PAYMENT

rate_check:                   # sanity bound on every computed 费率 / 点值, monthly and final (§7.3)
  reference: previous_year    # the previous year's final values in this workspace (its clearing, else its published ones); or per pool, e.g. {职工: 12165.26, 居民: 12099.85}; or none
  max_deviation: 0.5          # refuse a computed value more than 50% from its reference (yb pay/clear --accept-rate-deviation runs it, with a warning)

special_case:                 # 特例单议 caps [N3/N5: DRG 5%, DIP 5‰ of discharges; ZJ3: 5‰ per quarter]
  cap_share: ${o.method === 'DIP' ? '0.005' : '0.05'}             # approved cases ≤ this share of the region's discharges paid by the year's method
  institution_cap_share: none # or a share of each institution's own discharges
  period: YEAR                # YEAR, or QUARTER (by discharge month)
  beyond_cap: REFUSE          # REFUSE approvals beyond a cap (yb special import, yb clear), or ALLOW them (reported)

quality_deposit:
  rate: 0.05                  # q ≤ 5%, released at clearing by assessment [N2 art. 26]

assessment:
  mode: SCORE_PCT             # released = deposit × score ÷ 100 (scores 0–100); or COEFFICIENT: released = deposit × coefficient (0–1)

band:                         # 结余留用/超支分担 §5.4
  variant: V2_QUOTA_BANDS     # V1_PURE, V2_QUOTA_BANDS [TY], V3_TABLE
  basis: FUND_RECORDED        # compare with fund recorded by item, or TOTAL_COST
  reward: 0.30
  reward_cap: 0.03
  band: 0.20
  share: 0.50

rounding:                     # §7 (engine defaults; confirm with the local platform's output)
  mode: HALF_UP               # 四舍五入
  pv_scale: 4
  score_scale: 4
  rate_scale: 2
  money_scale: 2
  money_rounding_stage: CASE  # round each case, totals are sums of rounded amounts; or INSTITUTION
`
}
