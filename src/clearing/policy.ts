/**
 * The region's policy for one year: every parameter a formula uses (settlement-rules §8), in a
 * YAML file checked by zod. Scalars are read as text (YAML's failsafe schema), so a decimal such
 * as 0.05 never passes through a floating-point number; each error names its path and line.
 *
 *   parsePolicy('policy.yaml', text) → {policy: {year: 2025, method: 'DRG', band: {variant: 'V2_QUOTA_BANDS', …}}, errors: []}
 */
import {LineCounter, parseDocument} from 'yaml'
import {z} from 'zod'
import {type InputError, inputError} from '../errors.js'
import type {BandRule, ExcessDeduction} from './cycle.js'
import type {CapPeriod} from './special-cap.js'
import type {FundMode, SettleMethod} from './dip-pricing.js'
import type {HighThreshold} from './drg-pricing.js'
import {type Dec, parseDecimal, type RoundingMode} from './money.js'
import {rangeErrors} from './policy-ranges.js'
import {DEFAULT_TIME_ZONE, knownTimeZone} from '../io/local-time.js'

const decimal = z
  .string()
  .regex(/^-?[0-9]+(\.[0-9]+)?$/, 'must be a decimal number such as 0.05 (no commas, no exponent)')
  .transform((text) => parseDecimal(text))
const amount = z
  .string()
  .regex(/^[0-9]+(\.[0-9]{1,2})?$/, 'must be an amount in 元 with at most 2 decimals, such as 1000000.00')
  .transform((text) => parseDecimal(text))
const ratio = decimal.refine((x) => x.gte(0) && x.lte(1), 'must be between 0 and 1')
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be from ${min} to ${max}`)
const bool = z.enum(['true', 'false']).transform((text) => text === 'true')
const poolMap = <T extends z.ZodType>(value: T) => z.record(z.string().min(1), value)

const bandSchema = z.discriminatedUnion('variant', [
  z.object({variant: z.literal('V1_PURE'), basis: z.enum(['FUND_RECORDED', 'TOTAL_COST'])}),
  z.object({
    variant: z.literal('V2_QUOTA_BANDS'),
    basis: z.enum(['FUND_RECORDED', 'TOTAL_COST']),
    reward: ratio,
    reward_cap: ratio,
    band: ratio,
    share: ratio,
  }),
  z.object({
    variant: z.literal('V3_TABLE'),
    basis: z.enum(['FUND_RECORDED', 'TOTAL_COST']),
    overspend: z.array(z.object({from: decimal, to: decimal.nullable().or(z.literal('none').transform(() => null)), fund_share: ratio})),
    surplus: z.array(z.object({from: decimal, to: decimal.nullable().or(z.literal('none').transform(() => null)), fund_share: ratio})),
  }),
])

const highThresholdSchema = z.discriminatedUnion('variant', [
  z.object({variant: z.literal('FLAT'), times: decimal}),
  z.object({variant: z.literal('RW_TIERED'), tiers: z.array(z.object({weight_max: decimal.or(z.literal('none').transform(() => null)), times: decimal})).min(1)}),
  z.object({variant: z.literal('LEVEL_TIERED'), by_level: z.record(z.string(), decimal)}),
])

export const policySchema = z.object({
  format: z.literal('yb-policy/1'),
  region: z.object({
    code: z.string().min(1),
    name: z.string().min(1),
    // Statements show times in it (制单时间): an IANA name such as Asia/Shanghai or Asia/Urumqi.
    time_zone: z.string().refine(knownTimeZone, 'must be a time zone name such as Asia/Shanghai').default(DEFAULT_TIME_ZONE),
  }),
  year: integer(2000, 2100),
  method: z.enum(['DRG', 'DIP']),
  pools: z.array(z.string().min(1)).min(1),
  scheme: z.string().min(1),
  budget: z.object({
    base_yuan: amount,
    growth: decimal,
    reserve_rate: ratio,
    carve_outs_yuan: amount,
    /** The share of the available budget per pool. */
    pool_shares: poolMap(ratio),
  }),
  reimbursement_ratio: poolMap(ratio),
  drg: z.object({
    family: z.enum(['RATE', 'POINTS']),
    /** Published rate per pool; `computed` derives it from the budget (DRG-RATE-1). */
    rate_yuan_per_weight: poolMap(decimal).or(z.literal('computed')),
    /** 点数法: base points per unit of weight (RW × 100, §4.1). Required when family is POINTS. */
    points_per_weight: decimal.optional(),
    /** 点数法: published point value per pool, or `computed` = (available × share ÷ ρ) ÷ Σ points (DRG-PV-1). */
    point_value_yuan: poolMap(decimal).or(z.literal('computed')).optional(),
    fund_mode: z.enum(['CHS_FORMULA', 'STD_MINUS_PATIENT']),
    fund_ratio: poolMap(ratio),
    high: z.object({threshold: highThresholdSchema, basis: z.enum(['GROUP_AVERAGE', 'STANDARD']), payment: z.enum(['PARTIAL_EXCESS', 'ADD_POINTS', 'FFS']), share: ratio, inclusive: bool}),
    low: z.object({times: decimal, inclusive: bool, payment: z.enum(['PRORATA', 'FFS'])}),
    mid_low_uplift: z.object({from: decimal, to: decimal, add: decimal}).or(z.literal('none').transform(() => null)),
    qy_discount: ratio,
    ungroupable_discount: ratio,
    /** pay and clear refuse a period with more than this share of its grouped cases in DRGs the year's weights lack (default 0.01). */
    missing_weight_max_share: ratio.optional(),
  }),
  dip: z
    .object({
      /** The DIP catalog (id[@version] stored in the workspace) the year pays by. */
      catalog: z.string().min(1).optional(),
      /** Published point value per pool, or computed (§3.4 b at the clearing, c monthly). */
      point_value_yuan: poolMap(decimal).or(z.literal('computed')).optional(),
      score_scale: decimal,
      history_weights: z.array(decimal).min(1),
      deviation: z.object({high: decimal, low: decimal, extreme: decimal, boundary_inclusive: bool}),
      hospital_factor_stage: z.enum(['SCORE', 'PAYMENT']),
      settle_method: z.enum(['TOTAL_COST', 'FUND_ONLY']),
      fund_mode: z.enum(['TOTAL_MINUS_PATIENT', 'TOTAL_TIMES_RATIO', 'FUND_DIRECT']),
      monthly_point_value: z.object({method: z.enum(['FIXED', 'MONTHLY_CALC']), factor: decimal}),
    })
    .optional(),
  /** 按床日付费 (§4.5): cases whose payment method is 床日, by category. */
  per_diem: z
    .object({
      categories: z
        .array(
          z.object({
            code: z.string().min(1),
            name: z.string().min(1),
            /** Points per day (point methods: DRG POINTS, DIP); the points join the year's Σ points. */
            daily_points: decimal.optional(),
            /** 元 per day (any method); paid outside the point pool. */
            daily_rate_yuan: amount.optional(),
            max_days: integer(1, 3650).optional(),
            max_points: decimal.optional(),
            max_yuan: amount.optional(),
            /** Principal diagnoses (code prefixes) that place a case in this category when its file names none. */
            dx_prefixes: z.array(z.string().min(1)).optional(),
          }),
        )
        .min(1),
    })
    .optional(),
  /** 结算清单质控 (docs/quality.md): the rules a month is checked by, and whether yb pay holds a case that fails an error rule. */
  quality: z
    .object({
      /** A rules pack stored with `yb qc import` (id[@version]); `default` is the bundled set unless one is stored under that id. */
      rules: z.string().min(1).default('default'),
      /** yb pay pays a case that fails an error rule of these rules as 待更正 (invalid, reason qc:<ids>) until it is corrected. */
      hold_errors: bool.default(false),
    })
    .optional(),
  /** The supervision signals of yb audit (docs/quality.md). */
  audit: z
    .object({
      /** 分解住院: a readmission to the same institution within this many days of a discharge. */
      readmission_days: integer(1, 365).default(15),
      /** An institution is flagged when its z-score over the region reaches this. */
      z_min: decimal.default(() => parseDecimal('3')),
      /** ... and it has at least this many cases in what the signal compares. */
      cases_min: integer(1, 1000000).default(30),
      /** 低标入院: a stay of at most this many days ... */
      short_stay_days: integer(0, 30).default(2),
      /** ... costing less than this share of its group's mean cost in the region. */
      cheap_share: ratio.default(() => parseDecimal('0.3')),
    })
    .optional(),
  coefficients: z.object({by_level: z.record(z.string(), decimal), by_institution: z.record(z.string(), decimal), exempt_groups: z.array(z.string())}),
  prepay: z.object({
    months: decimal,
    history_years: integer(1, 3),
    recovery_mode: z.enum(['OFFSET', 'REFUND']),
    pool_reserve_months_min: poolMap(decimal),
  }),
  monthly: z.object({
    pre_settle_ratio: ratio,
    /** A month's deductions beyond its payment: carried to the next month as 待扣 (default), or paid as a negative payment. */
    excess_deduction: z.enum(['CARRY_FORWARD', 'NEGATIVE_PAYMENT']).optional(),
  }),
  /** The sanity bound on every computed rate or point value (monthly and final). */
  rate_check: z
    .object({
      reference: poolMap(decimal).or(z.enum(['previous_year', 'none'])),
      max_deviation: decimal,
    })
    .optional(),
  /** 特例单议 caps (N3/N5: DRG 5%, DIP 5‰ of discharges). */
  special_case: z
    .object({
      cap_share: ratio,
      institution_cap_share: ratio.or(z.literal('none').transform(() => null)),
      period: z.enum(['YEAR', 'QUARTER']),
      beyond_cap: z.enum(['REFUSE', 'ALLOW']),
    })
    .optional(),
  /** 按人头付费 and 门特 packages (docs/settlement.md): per pool the standard and the monthly rule; the year-end band (default: the policy's) and deposit (default: quality_deposit). */
  capitation: z
    .object({
      pools: z.record(
        z.string().min(1),
        z.object({
          /** 元 per enrolled person per month. */
          standard_yuan: amount,
          /** BUDGET: the month owes its budget; ACTUAL_CAPPED: its spending up to the budget. */
          monthly_rule: z.enum(['BUDGET', 'ACTUAL_CAPPED']).default('BUDGET'),
          /** The share of the month's due paid at once; the rest is held back to the clearing. */
          pre_settle_ratio: ratio,
          /** Spending on the enrolled at other institutions (外转/外诊) counts against the enrolling one. */
          charge_outside: bool.default(false),
          /** Enrolment categories paid the standard × a coefficient (an age band such as 老年: 1.50); a category that is neither this nor a package is refused. */
          category_coefficients: z.record(z.string().min(1), decimal).default({}),
        }),
      ),
      /** 门特 packages: a standard per enrolled patient per year, by category code. */
      packages: z.array(z.object({code: z.string().min(1), name: z.string().min(1), yuan_per_patient_year: amount})).default([]),
      band: bandSchema.optional(),
      deposit_rate: ratio.optional(),
    })
    .optional(),
  quality_deposit: z.object({rate: ratio}),
  assessment: z.object({mode: z.enum(['SCORE_PCT', 'COEFFICIENT'])}),
  band: bandSchema,
  rounding: z.object({
    mode: z.enum(['HALF_UP', 'HALF_EVEN', 'DOWN']),
    pv_scale: integer(0, 10),
    score_scale: integer(0, 10),
    rate_scale: integer(0, 10),
    money_scale: z.literal('2'),
    money_rounding_stage: z.enum(['CASE', 'INSTITUTION']),
  }),
})

export type PolicyFile = z.output<typeof policySchema>

/** The parts of a policy the engine's functions take directly. */
export interface Policy {
  readonly file: PolicyFile
  readonly band: BandRule
  /** The capitation year's band rule: its own, else the policy's. */
  readonly capitationBand: BandRule
  readonly highThreshold: HighThreshold
  readonly roundingMode: RoundingMode
  readonly missingWeightMaxShare: Dec
  readonly excessDeduction: ExcessDeduction
  readonly rateCheck: {readonly reference: 'previous_year' | 'none' | Readonly<Record<string, Dec>>; readonly maxDeviation: Dec}
  readonly specialCap: {readonly capShare: Dec; readonly institutionCapShare: Dec | null; readonly period: CapPeriod; readonly beyondCap: 'REFUSE' | 'ALLOW'}
  readonly dipSettleMethod?: SettleMethod
  readonly dipFundMode?: FundMode
}

export function parsePolicy(file: string, text: string): {policy?: Policy; errors: InputError[]} {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {schema: 'failsafe', lineCounter, prettyErrors: false})
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((error) => inputError(file, lineCounter.linePos(error.pos[0]).line, '', 'value_not_allowed', `not valid YAML: ${error.message.split('\n')[0]}`)),
    }
  }
  const result = policySchema.safeParse(doc.toJS())
  if (!result.success) {
    return {
      errors: result.error.issues.map((issue) => {
        const path = issue.path.map(String)
        return inputError(file, lineOf(doc, lineCounter, path), path.join('.'), 'value_not_allowed', issue.message)
      }),
    }
  }
  const errors = crossCheck(file, doc, lineCounter, result.data)
  if (errors.length > 0) return {errors}
  return {policy: toPolicy(result.data), errors: []}
}

/** The line of the deepest node of `path` that exists (a missing key points at its parent). */
function lineOf(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: readonly string[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as {range?: [number, number, number]} | undefined
    if (node?.range) return lineCounter.linePos(node.range[0]).line
  }
  return 1
}

/** Rules that span fields: every pool has its parameters, shares add up to 1, DIP has its section. */
function crossCheck(file: string, doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, data: PolicyFile): InputError[] {
  const errors: InputError[] = []
  const at = (path: string[], message: string) => errors.push(inputError(file, lineOf(doc, lineCounter, path), path.join('.'), 'value_not_allowed', message))
  const perPool: [string[], Record<string, unknown>][] = [
    [['budget', 'pool_shares'], data.budget.pool_shares],
    [['reimbursement_ratio'], data.reimbursement_ratio],
    [['drg', 'fund_ratio'], data.drg.fund_ratio],
    [['prepay', 'pool_reserve_months_min'], data.prepay.pool_reserve_months_min],
  ]
  if (data.drg.rate_yuan_per_weight !== 'computed') perPool.push([['drg', 'rate_yuan_per_weight'], data.drg.rate_yuan_per_weight])
  for (const [path, map] of perPool) {
    for (const pool of data.pools) if (!(pool in map)) at(path, `has no value for pool ${pool} (pools: ${data.pools.join(', ')})`)
    for (const key of Object.keys(map)) if (!data.pools.includes(key)) at([...path, key], `"${key}" is not one of the pools (${data.pools.join(', ')})`)
  }
  const shares = Object.values(data.budget.pool_shares).reduce((total: Dec, share) => total.plus(share), parseDecimal('0'))
  if (!shares.eq(1)) at(['budget', 'pool_shares'], `the pool shares add up to ${shares.toString()}, not 1`)
  if (data.method === 'DIP' && data.dip === undefined) at(['dip'], 'method DIP needs a dip section')
  if (data.method === 'DIP' && data.dip !== undefined) {
    if (data.dip.catalog === undefined) at(['dip', 'catalog'], 'method DIP needs the catalog it pays by (dip.catalog: an id stored with `yb dip import`)')
    const pv = data.dip.point_value_yuan
    if (pv !== undefined && pv !== 'computed') for (const pool of data.pools) if (!(pool in pv)) at(['dip', 'point_value_yuan'], `has no value for pool ${pool}`)
    if (data.dip.monthly_point_value.method === 'FIXED' && (pv === undefined || pv === 'computed')) {
      at(['dip', 'monthly_point_value', 'method'], 'FIXED monthly point values are the published point value × factor: publish dip.point_value_yuan per pool, or use MONTHLY_CALC')
    }
  }
  const d = data.drg
  const pointMethod = data.method === 'DIP' || d.family === 'POINTS'
  const codes = new Set<string>()
  data.per_diem?.categories.forEach((c, k) => {
    const path = ['per_diem', 'categories', String(k)]
    if (codes.has(c.code)) at([...path, 'code'], `category ${c.code} is given twice`)
    codes.add(c.code)
    if ((c.daily_points === undefined) === (c.daily_rate_yuan === undefined)) at(path, `category ${c.code} needs exactly one of daily_points and daily_rate_yuan`)
    if (c.daily_points !== undefined && !pointMethod) at([...path, 'daily_points'], `daily points need a point value: method DIP or drg.family POINTS (this policy is ${data.method} ${d.family}); use daily_rate_yuan`)
    if (c.max_points !== undefined && c.daily_points === undefined) at([...path, 'max_points'], 'max_points caps daily_points; this category pays daily_rate_yuan (use max_yuan)')
    if (c.max_yuan !== undefined && c.daily_rate_yuan === undefined) at([...path, 'max_yuan'], 'max_yuan caps daily_rate_yuan; this category pays daily_points (use max_points)')
  })
  if (d.family === 'POINTS') {
    if (d.points_per_weight === undefined) at(['drg', 'points_per_weight'], 'the point method (POINTS) needs points_per_weight, e.g. 100 (base points = RW × 100)')
    if (d.point_value_yuan === undefined) at(['drg', 'point_value_yuan'], 'the point method (POINTS) needs point_value_yuan: published per pool, or computed')
    else if (d.point_value_yuan !== 'computed') {
      for (const pool of data.pools) if (!(pool in d.point_value_yuan)) at(['drg', 'point_value_yuan'], `has no value for pool ${pool} (pools: ${data.pools.join(', ')})`)
    }
    // Under points, an outlier's worth is counted in points (not in 元), so the 元-based variants do not apply.
    if (d.high.payment !== 'ADD_POINTS') at(['drg', 'high', 'payment'], `the point method pays high outliers by ADD_POINTS, not ${d.high.payment}`)
    if (d.low.payment !== 'PRORATA') at(['drg', 'low', 'payment'], `the point method pays low outliers PRORATA, not ${d.low.payment}`)
    if (d.high.basis !== 'GROUP_AVERAGE') at(['drg', 'high', 'basis'], 'the point method compares a case with its group average (GROUP_AVERAGE)')
  } else if (d.high.payment === 'ADD_POINTS') {
    at(['drg', 'high', 'payment'], 'ADD_POINTS belongs to the point method (family POINTS): use PARTIAL_EXCESS or FFS with RATE')
  }
  rangeErrors(data, at)
  return errors
}

function bandRuleOf(b: PolicyFile['band']): BandRule {
  return b.variant === 'V1_PURE'
    ? {variant: 'V1_PURE'}
    : b.variant === 'V2_QUOTA_BANDS'
      ? {variant: 'V2_QUOTA_BANDS', reward: b.reward, rewardCap: b.reward_cap, band: b.band, share: b.share}
      : {
          variant: 'V3_TABLE',
          overspend: b.overspend.map((x) => ({from: x.from, to: x.to, fundShare: x.fund_share})),
          surplus: b.surplus.map((x) => ({from: x.from, to: x.to, fundShare: x.fund_share})),
        }
}

function toPolicy(file: PolicyFile): Policy {
  const band = bandRuleOf(file.band)
  const t = file.drg.high.threshold
  const highThreshold: HighThreshold =
    t.variant === 'FLAT'
      ? {variant: 'FLAT', times: t.times}
      : t.variant === 'RW_TIERED'
        ? {variant: 'RW_TIERED', tiers: t.tiers.map((tier) => ({weightMax: tier.weight_max, times: tier.times}))}
        : {variant: 'LEVEL_TIERED', byLevel: t.by_level}
  const special = file.special_case
  return {
    file,
    band,
    capitationBand: file.capitation?.band === undefined ? band : bandRuleOf(file.capitation.band),
    highThreshold,
    roundingMode: file.rounding.mode,
    missingWeightMaxShare: file.drg.missing_weight_max_share ?? parseDecimal('0.01'),
    excessDeduction: file.monthly.excess_deduction ?? 'CARRY_FORWARD',
    rateCheck: {reference: file.rate_check?.reference ?? 'previous_year', maxDeviation: file.rate_check?.max_deviation ?? parseDecimal('0.5')},
    specialCap: {
      // National caps (N3/N5): DRG 5% of discharges, DIP 5‰.
      capShare: special?.cap_share ?? parseDecimal(file.method === 'DIP' ? '0.005' : '0.05'),
      institutionCapShare: special?.institution_cap_share ?? null,
      period: special?.period ?? 'YEAR',
      beyondCap: special?.beyond_cap ?? 'REFUSE',
    },
    ...(file.dip ? {dipSettleMethod: file.dip.settle_method, dipFundMode: file.dip.fund_mode} : {}),
  }
}
