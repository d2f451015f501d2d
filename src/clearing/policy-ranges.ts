/**
 * The ranges of a policy's values that change money, checked where the policy enters (`yb
 * policy check` and `import`), so that a policy that passes never makes a run fail or pay
 * nonsense: rates and point values above 0, ρ above 0, a tier table that ends with an open
 * tier, band tables that start at 0 and follow on, deviation thresholds in order, and so on.
 *
 *   rangeErrors(data, at) → at(['drg', 'high', 'threshold', 'tiers'], 'the last tier must be open (weight_max: none) …')
 */
import {globalBudget} from './cycle.js'
import {type Dec, parseDecimal, sum, ZERO} from './money.js'
import type {PolicyFile} from './policy.js'

type At = (path: string[], message: string) => void

const positive = (at: At, path: string[], value: Dec | undefined, what = 'must be above 0'): void => {
  if (value !== undefined && !value.gt(0)) at(path, `${what}, not ${value.toString()}`)
}
const nonNegative = (at: At, path: string[], value: Dec | undefined): void => {
  if (value !== undefined && value.lt(0)) at(path, `must be 0 or more, not ${value.toString()}`)
}
const eachPositive = (at: At, path: string[], map: Readonly<Record<string, Dec>> | 'computed' | undefined, most?: Dec): void => {
  if (map === undefined || map === 'computed') return
  for (const [key, value] of Object.entries(map)) {
    positive(at, [...path, key], value)
    atMost(at, [...path, key], value, most)
  }
}
/** Upper bounds far beyond any real value, so that no amount leaves exact integer 分. */
const atMost = (at: At, path: string[], value: Dec | undefined, most: Dec | undefined): void => {
  if (value !== undefined && most !== undefined && value.gt(most)) at(path, `must be at most ${most.toString()}, not ${value.toString()}`)
}
const d = parseDecimal
/** 元 per unit of weight, 元 per point, a coefficient, a multiple of the basis, points per weight. */
const MOST = {rate: d('100000000'), pointValue: d('10000000'), coefficient: d('10'), times: d('100'), pointsPerWeight: d('100000'), budget: d('1000000000000'), months: d('24'), daily: d('1000000')}

export function rangeErrors(data: PolicyFile, at: At): void {
  const drg = data.drg
  if (data.audit !== undefined) {
    positive(at, ['audit', 'z_min'], data.audit.z_min)
    atMost(at, ['audit', 'z_min'], data.audit.z_min, d('100'))
    positive(at, ['audit', 'cheap_share'], data.audit.cheap_share)
  }
  for (const [pool, c] of Object.entries(data.capitation?.pools ?? {})) {
    positive(at, ['capitation', 'pools', pool, 'standard_yuan'], c.standard_yuan)
    atMost(at, ['capitation', 'pools', pool, 'standard_yuan'], c.standard_yuan, MOST.daily)
    if (!data.pools.includes(pool)) at(['capitation', 'pools', pool], `pool ${pool} is not one of the policy's pools (${data.pools.join(', ')})`)
    for (const [category, coefficient] of Object.entries(c.category_coefficients)) {
      positive(at, ['capitation', 'pools', pool, 'category_coefficients', category], coefficient)
      atMost(at, ['capitation', 'pools', pool, 'category_coefficients', category], coefficient, MOST.coefficient)
      if ((data.capitation?.packages ?? []).some((p) => p.code === category)) at(['capitation', 'pools', pool, 'category_coefficients', category], `${category} is also a package code: a category is either`)
    }
  }
  const packages = new Set<string>()
  ;(data.capitation?.packages ?? []).forEach((p, k) => {
    positive(at, ['capitation', 'packages', String(k), 'yuan_per_patient_year'], p.yuan_per_patient_year)
    if (packages.has(p.code)) at(['capitation', 'packages', String(k), 'code'], `package ${p.code} is given twice`)
    packages.add(p.code)
  })
  eachPositive(at, ['reimbursement_ratio'], data.reimbursement_ratio)
  eachPositive(at, ['drg', 'rate_yuan_per_weight'], drg.rate_yuan_per_weight, MOST.rate)
  eachPositive(at, ['drg', 'point_value_yuan'], drg.point_value_yuan, MOST.pointValue)
  positive(at, ['drg', 'points_per_weight'], drg.points_per_weight)
  atMost(at, ['drg', 'points_per_weight'], drg.points_per_weight, MOST.pointsPerWeight)
  eachPositive(at, ['coefficients', 'by_level'], data.coefficients.by_level, MOST.coefficient)
  eachPositive(at, ['coefficients', 'by_institution'], data.coefficients.by_institution, MOST.coefficient)
  atMost(at, ['budget', 'base_yuan'], data.budget.base_yuan, MOST.budget)
  atMost(at, ['budget', 'growth'], data.budget.growth, d('10'))
  if (!data.budget.growth.gt(-1)) at(['budget', 'growth'], `must be above -1 (a budget of base × (1 + growth)), not ${data.budget.growth.toString()}`)
  else {
    const {availableYuan} = globalBudget({baseYuan: data.budget.base_yuan, growth: data.budget.growth, reserveRate: data.budget.reserve_rate, carveOutsYuan: data.budget.carve_outs_yuan}, data.rounding.mode)
    if (availableYuan.lt(0)) at(['budget', 'carve_outs_yuan'], `the carve-outs leave ${availableYuan.toFixed(2)} of the budget after the reserve: at most the budget less the reserve`)
  }
  highThresholdErrors(data, at)
  const low = drg.low.times
  if (low.lt(0) || low.gt(1)) at(['drg', 'low', 'times'], `must be from 0 to 1 (a share of the basis), not ${low.toString()}`)
  const uplift = drg.mid_low_uplift
  if (uplift !== null) {
    if (uplift.from.lt(0) || !uplift.to.gt(uplift.from)) at(['drg', 'mid_low_uplift'], `needs 0 ≤ from < to, not from ${uplift.from.toString()} to ${uplift.to.toString()}`)
    nonNegative(at, ['drg', 'mid_low_uplift', 'add'], uplift.add)
  }
  nonNegative(at, ['prepay', 'months'], data.prepay.months)
  atMost(at, ['prepay', 'months'], data.prepay.months, MOST.months)
  for (const [pool, months] of Object.entries(data.prepay.pool_reserve_months_min)) nonNegative(at, ['prepay', 'pool_reserve_months_min', pool], months)
  dipErrors(data, at)
  data.per_diem?.categories.forEach((c, k) => {
    const path = ['per_diem', 'categories', String(k)]
    positive(at, [...path, 'daily_points'], c.daily_points)
    atMost(at, [...path, 'daily_points'], c.daily_points, MOST.daily)
    positive(at, [...path, 'daily_rate_yuan'], c.daily_rate_yuan)
    atMost(at, [...path, 'daily_rate_yuan'], c.daily_rate_yuan, MOST.daily)
    positive(at, [...path, 'max_points'], c.max_points)
    positive(at, [...path, 'max_yuan'], c.max_yuan)
  })
  const capitationBand = data.capitation?.band
  if (capitationBand?.variant === 'V3_TABLE') {
    bandTableErrors(capitationBand.overspend, ['capitation', 'band', 'overspend'], at)
    bandTableErrors(capitationBand.surplus, ['capitation', 'band', 'surplus'], at)
  }
  if (data.band.variant === 'V3_TABLE') {
    bandTableErrors(data.band.overspend, ['band', 'overspend'], at)
    bandTableErrors(data.band.surplus, ['band', 'surplus'], at)
  }
  const check = data.rate_check
  if (check !== undefined) {
    positive(at, ['rate_check', 'max_deviation'], check.max_deviation)
    if (typeof check.reference === 'object') {
      eachPositive(at, ['rate_check', 'reference'], check.reference)
      for (const pool of data.pools) if (!(pool in check.reference)) at(['rate_check', 'reference'], `has no value for pool ${pool} (pools: ${data.pools.join(', ')})`)
    }
  }
}

/** T must be above 0; a tier table ascends by weight and ends with an open tier, so every weight finds its T. */
function highThresholdErrors(data: PolicyFile, at: At): void {
  const t = data.drg.high.threshold
  const path = ['drg', 'high', 'threshold']
  if (t.variant === 'FLAT') {
    positive(at, [...path, 'times'], t.times)
    atMost(at, [...path, 'times'], t.times, MOST.times)
  }
  if (t.variant === 'LEVEL_TIERED') eachPositive(at, [...path, 'by_level'], t.by_level, MOST.times)
  if (t.variant !== 'RW_TIERED') return
  let previous: Dec | null = ZERO
  t.tiers.forEach((tier, k) => {
    positive(at, [...path, 'tiers', String(k), 'times'], tier.times)
    atMost(at, [...path, 'tiers', String(k), 'times'], tier.times, MOST.times)
    const last = k === t.tiers.length - 1
    if (tier.weight_max === null && !last) at([...path, 'tiers', String(k), 'weight_max'], 'only the last tier may be open (weight_max: none)')
    if (tier.weight_max !== null && previous !== null && !tier.weight_max.gt(previous)) at([...path, 'tiers', String(k), 'weight_max'], `tiers must ascend by weight_max: ${tier.weight_max.toString()} after ${previous.toString()}`)
    if (last && tier.weight_max !== null) at([...path, 'tiers', String(k), 'weight_max'], `the last tier must be open (weight_max: none), or a case weighing more than ${tier.weight_max.toString()} has no threshold`)
    previous = tier.weight_max
  })
}

function dipErrors(data: PolicyFile, at: At): void {
  const dip = data.dip
  if (dip === undefined) return
  eachPositive(at, ['dip', 'point_value_yuan'], dip.point_value_yuan, MOST.pointValue)
  positive(at, ['dip', 'score_scale'], dip.score_scale)
  dip.history_weights.forEach((w, k) => nonNegative(at, ['dip', 'history_weights', String(k)], w))
  if (!sum(dip.history_weights).gt(0)) at(['dip', 'history_weights'], 'the history weights must add up to more than 0')
  const dev = dip.deviation
  if (!dev.low.gt(0) || !dev.high.gt(dev.low) || dev.extreme.lt(dev.high)) {
    at(['dip', 'deviation'], `needs 0 < low < high ≤ extreme, not low ${dev.low.toString()}, high ${dev.high.toString()}, extreme ${dev.extreme.toString()}`)
  }
  positive(at, ['dip', 'monthly_point_value', 'factor'], dip.monthly_point_value.factor)
  atMost(at, ['dip', 'monthly_point_value', 'factor'], dip.monthly_point_value.factor, MOST.times)
}

/** Bands of a V3 table start at 0 and follow on ([0, a), [a, b), …); only the last may be open. */
function bandTableErrors(bands: readonly {readonly from: Dec; readonly to: Dec | null}[], path: string[], at: At): void {
  let expected: Dec | null = ZERO
  bands.forEach((band, k) => {
    const here = [...path, String(k)]
    if (expected === null) at(here, 'a band follows an open band (to: none): only the last band may be open')
    else if (!band.from.eq(expected)) at([...here, 'from'], `must be ${expected.toString()} (the bands start at 0 and each starts where the one before ends), not ${band.from.toString()}`)
    if (band.to !== null && !band.to.gt(band.from)) at([...here, 'to'], `must be above from (${band.from.toString()}), not ${band.to.toString()}`)
    expected = band.to
  })
}
