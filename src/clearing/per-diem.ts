/**
 * 按床日付费 (settlement-rules §4.5): a per-diem case is worth daily points × days (BED-1), at the
 * pool's point value, or a daily rate in 元 × days; days are capped at the category's max_days,
 * points at max_points, 元 at max_yuan. The fund's part then follows the year's fund rule.
 *
 *   perDiemValue({code: 'AN', dailyPoints: 35.5}, 12, 10.5, rounding) → {points: 426.0000, valueYuan: 4473.00}
 */
import {perDiemPoints, type Rounding} from './drg-pricing.js'
import {type Dec, decimalOfInteger, min, roundYuan} from './money.js'

export interface PerDiemCategory {
  readonly code: string
  readonly name: string
  /** Points per day (point methods); exactly one of this and dailyRateYuan. */
  readonly dailyPoints?: Dec
  readonly dailyRateYuan?: Dec
  readonly maxDays?: number
  readonly maxPoints?: Dec
  readonly maxYuan?: Dec
}

export interface PerDiemValue {
  /** Days paid (the stay, capped at maxDays). */
  readonly days: Dec
  /** Points before and after maxPoints (undefined for a 元 category). */
  readonly rawPoints: Dec | undefined
  readonly points: Dec | undefined
  readonly valueYuan: Dec
  readonly valueExactYuan: Dec
  readonly step: string
}

const y = (x: Dec): string => x.toFixed(2)

/** The days and points of a case in a points category, for the year's Σ points (no point value needed). */
export function perDiemPointsOf(category: PerDiemCategory, losDays: Dec, rounding: Rounding): {days: Dec; rawPoints: Dec; points: Dec} | undefined {
  if (category.dailyPoints === undefined) return undefined
  const days = daysOf(category, losDays)
  const rawPoints = perDiemPoints(category.dailyPoints, days, rounding)
  return {days, rawPoints, points: category.maxPoints === undefined ? rawPoints : min(rawPoints, category.maxPoints)}
}

/** What a per-diem case is worth, with its build-up line; `pointValueYuan` prices a points category. */
export function perDiemValue(category: PerDiemCategory, losDays: Dec, pointValueYuan: Dec, rounding: Rounding): PerDiemValue {
  const days = daysOf(category, losDays)
  const capped = category.maxDays !== undefined && losDays.gt(days) ? ` (住院 ${losDays.toString()} 天, 限 ${category.maxDays} 天)` : ''
  const label = `床日 ${category.code} ${category.name}: ${days.toString()} 天${capped}`
  const counted = perDiemPointsOf(category, losDays, rounding)
  if (counted !== undefined) {
    const valueExactYuan = counted.points.times(pointValueYuan)
    const valueYuan = roundYuan(valueExactYuan, rounding.mode)
    const limit = counted.points.eq(counted.rawPoints) ? '' : `, 限 ${counted.points.toString()} 点`
    return {days, rawPoints: counted.rawPoints, points: counted.points, valueYuan, valueExactYuan, step: `${label} × ${category.dailyPoints!.toString()} 点 = ${counted.rawPoints.toString()} 点${limit}; 金额 = ${counted.points.toString()} × 点值 ${pointValueYuan.toString()} = ${y(valueYuan)}`}
  }
  const rawYuan = roundYuan(category.dailyRateYuan!.times(days), rounding.mode)
  const valueYuan = category.maxYuan === undefined ? rawYuan : min(rawYuan, category.maxYuan)
  return {days, rawPoints: undefined, points: undefined, valueYuan, valueExactYuan: valueYuan, step: `${label} × ${y(category.dailyRateYuan!)} = ${y(rawYuan)}${valueYuan.eq(rawYuan) ? '' : `, 限 ${y(valueYuan)}`}`}
}

function daysOf(category: PerDiemCategory, losDays: Dec): Dec {
  return category.maxDays === undefined ? losDays : min(losDays, decimalOfInteger(category.maxDays))
}
