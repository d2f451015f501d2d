/**
 * 按人头付费 (outpatient capitation) and 门特 per-patient packages, exact to the 分 (docs/settlement.md,
 * 按人头付费):
 *
 *   month budget    = enrolled × standard (元/人/月) × coefficient, rounded to the 分 (a 门特 package's
 *                     standard is per patient per year: ÷ 12 a month);
 *   month due       = the budget (rule BUDGET), or the month's spending up to the budget (ACTUAL_CAPPED);
 *   month payment   = p × due, the rest held back (monthlyPayment, as for cases);
 *   year            = Σ budgets against Σ spending (own, and outside where charged) in the band rule
 *                     (结余留用 / 超支分担, bandDue), the quality deposit released by the assessment,
 *                     less the months paid: the balance, as printed lines whose signed sum it is.
 *
 *   capitationBudgetYuan({persons: 10000, standardYuan: parseDecimal('30.00')}) → 300000.00
 */
import {type Assessment, bandDue, type BandRule, type Clearing, type ClearingLine, releasedShare, signedSum} from './cycle.js'
import {type Dec, decimalOfInteger, min, ONE, parseDecimal, roundYuan, type RoundingMode, sum, ZERO} from './money.js'

export type CapitationMonthlyRule = 'BUDGET' | 'ACTUAL_CAPPED'

/** A month's budget of an institution, pool and category: enrolled × standard × coefficient (÷ 12 for a per-year package). */
export function capitationBudgetYuan(input: {persons: number; standardYuan: Dec; coefficient?: Dec; perYear?: boolean}, mode: RoundingMode = 'HALF_UP'): Dec {
  const monthly = input.perYear === true ? input.standardYuan.div(12) : input.standardYuan
  return roundYuan(decimalOfInteger(input.persons).times(monthly).times(input.coefficient ?? ONE), mode)
}

/** What the month owes: its budget, or its spending up to the budget. */
export function capitationDueYuan(rule: CapitationMonthlyRule, budgetYuan: Dec, spendingYuan: Dec): Dec {
  return rule === 'BUDGET' ? budgetYuan : min(spendingYuan, budgetYuan)
}

export interface CapitationYearInput {
  /** Σ of the months' budgets. */
  readonly budgetYuan: Dec
  /** Σ of the months' spending on the enrolled (outside spending included where it is charged). */
  readonly spendingYuan: Dec
  readonly band: BandRule
  readonly depositRate: Dec
  readonly assessment: Assessment
  /** Σ of the months' capitation payments as paid. */
  readonly monthlyPaidYuan: Dec
}

/** 年终清算 of capitation for an institution, pool and category: each step a 2-dp line, the balance their signed sum (应补 > 0, 应扣 < 0). */
export function clearCapitation(input: CapitationYearInput, mode: RoundingMode = 'HALF_UP'): Clearing {
  const dueAfterBand = bandDue(input.band, input.budgetYuan, input.spendingYuan, mode)
  const depositYuan = roundYuan(input.depositRate.times(dueAfterBand), mode)
  const releasedYuan = roundYuan(depositYuan.times(releasedShare(input.assessment)), mode)
  const forfeitedYuan = depositYuan.minus(releasedYuan)
  const finalYuan = dueAfterBand.minus(forfeitedYuan)
  const lines: ClearingLine[] = [
    {key: 'budget', label: '年度人头预算', amountYuan: input.budgetYuan, sign: 0},
    {key: 'spending', label: '实际门诊统筹支出', amountYuan: input.spendingYuan, sign: 0},
    {key: 'dueAfterBand', label: '结余留用/超支分担后应支付', amountYuan: dueAfterBand, sign: 1},
    {key: 'bandAdjustment', label: '结余留用/超支分担调整', amountYuan: dueAfterBand.minus(input.budgetYuan), sign: 0},
    {key: 'depositReserved', label: '质量保证金预留', amountYuan: depositYuan, sign: 0},
    {key: 'depositReleased', label: '质量保证金返还', amountYuan: releasedYuan, sign: 0},
    {key: 'depositForfeited', label: '质量保证金扣除', amountYuan: forfeitedYuan, sign: -1},
    {key: 'finalEntitled', label: '年度应支付合计', amountYuan: finalYuan, sign: 0},
    {key: 'monthlyPaid', label: '已预结算合计', amountYuan: input.monthlyPaidYuan, sign: -1},
  ]
  return {lines, balanceYuan: signedSum(lines)}
}

/** What a month's capitation needs of the policy, per pool and package. */
export interface CapitationRules {
  readonly pools: Readonly<Record<string, {readonly standardYuan: Dec; readonly rule: CapitationMonthlyRule; readonly preSettleRatio: Dec; readonly chargeOutside: boolean; readonly coefficients: ReadonlyMap<string, Dec>}>>
  /** 门特 packages by category code: 元 per patient per year. */
  readonly packages: ReadonlyMap<string, {readonly name: string; readonly yuanPerPatientYear: Dec}>
}

/** One institution, pool and category of a month: its enrolment and the fund's spending on it. */
export interface CapitationInput {
  readonly institutionId: string
  readonly pool: string
  /** '' for general capitation, else a 门特 package code. */
  readonly category: string
  readonly persons: number
  readonly ownYuan: Dec
  readonly outsideYuan: Dec
}

export interface CapitationMonthLine {
  readonly institutionId: string
  readonly pool: string
  readonly category: string
  readonly name: string
  readonly persons: number
  readonly budgetYuan: Dec
  /** The spending that counts: own, plus outside where it is charged. */
  readonly spendingYuan: Dec
  readonly dueYuan: Dec
  readonly payYuan: Dec
  readonly withheldYuan: Dec
}

/** A month of capitation: budget, due by the pool's rule, p of it paid and the rest held back; paid + held back = due, each line. */
export function capitationMonth(input: CapitationInput, rules: CapitationRules, mode: RoundingMode): CapitationMonthLine {
  const pool = rules.pools[input.pool]
  if (pool === undefined) throw new RangeError(`pool ${input.pool} has no capitation rule (checked before)`)
  const pack = input.category === '' ? undefined : rules.packages.get(input.category)
  const coefficient = input.category === '' || pack !== undefined ? undefined : pool.coefficients.get(input.category)
  if (input.category !== '' && pack === undefined && coefficient === undefined) throw new RangeError(`category ${input.category} is neither a package nor a coefficient of the policy (checked before)`)
  const budgetYuan = pack === undefined ? capitationBudgetYuan({persons: input.persons, standardYuan: pool.standardYuan, ...(coefficient === undefined ? {} : {coefficient})}, mode) : capitationBudgetYuan({persons: input.persons, standardYuan: pack.yuanPerPatientYear, perYear: true}, mode)
  const spendingYuan = pool.chargeOutside ? input.ownYuan.plus(input.outsideYuan) : input.ownYuan
  const dueYuan = capitationDueYuan(pool.rule, budgetYuan, spendingYuan)
  const payYuan = roundYuan(dueYuan.times(pool.preSettleRatio), mode)
  return {institutionId: input.institutionId, pool: input.pool, category: input.category, name: pack?.name ?? (coefficient === undefined ? '按人头' : `按人头 ×${coefficient.toString()}`), persons: input.persons, budgetYuan, spendingYuan, dueYuan, payYuan, withheldYuan: dueYuan.minus(payYuan)}
}

/** Paid + held back = due: each month line's check. */
export function monthLineHolds(line: {readonly payYuan: string; readonly withheldYuan: string; readonly dueYuan: string}): boolean {
  return parseDecimal(line.payYuan).plus(parseDecimal(line.withheldYuan)).eq(parseDecimal(line.dueYuan))
}

/** Σ of month lines' amounts, 2 dp (the totals of a month). */
export function sumYuanText(values: readonly string[]): string {
  return sum(values.map((v) => parseDecimal(v))).toFixed(2)
}

export interface CapitationYearSums {
  readonly name: string
  budgetYuan: Dec
  spendingYuan: Dec
  paidYuan: Dec
  months: number
}

/** The months' stored lines summed per institution, pool and category (`${institution}\t${pool}\t${category}`). */
export function capitationYearSums(lines: Iterable<{readonly institutionId: string; readonly pool: string; readonly category: string; readonly name: string; readonly budgetYuan: string; readonly spendingYuan: string; readonly payYuan: string}>): Map<string, CapitationYearSums> {
  const sums = new Map<string, CapitationYearSums>()
  for (const line of lines) {
    const key = `${line.institutionId}\t${line.pool}\t${line.category}`
    const s = sums.get(key) ?? {name: line.name, budgetYuan: ZERO, spendingYuan: ZERO, paidYuan: ZERO, months: 0}
    s.budgetYuan = s.budgetYuan.plus(parseDecimal(line.budgetYuan))
    s.spendingYuan = s.spendingYuan.plus(parseDecimal(line.spendingYuan))
    s.paidYuan = s.paidYuan.plus(parseDecimal(line.payYuan))
    s.months++
    sums.set(key, s)
  }
  return sums
}

/** The capitation year's identity: Σ months paid + balance = 年度应支付合计. */
export function capitationYearHolds(clearing: Clearing, paidYuan: Dec): boolean {
  const final = clearing.lines.find((line) => line.key === 'finalEntitled')!.amountYuan
  return paidYuan.plus(clearing.balanceYuan).eq(final)
}

/** A stored clearing's identity on its 2-dp lines: 已预结算 + 本期应补应扣 = 年度应支付合计. */
export function storedYearHolds(lines: readonly {readonly key: string; readonly amountYuan: string}[], balanceYuan: string): boolean {
  const at = (key: string) => parseDecimal(lines.find((line) => line.key === key)?.amountYuan ?? '0')
  return at('monthlyPaid').plus(parseDecimal(balanceYuan)).eq(at('finalEntitled'))
}
