/**
 * The figures of a statement's 明细 (detail) lines that its 汇总 (summary) row and check
 * equations read, added one line at a time, so that a statement of a million cases is summed
 * without holding its lines: Σ 分 per amount column, the count of discharges (correction lines
 * aside), counts of values such as 入组状态 = 入组, and Σ points exactly.
 *
 *   const t = new DetailTotals(['医疗总费用', '结算类型', '入组状态'], {sums: ['医疗总费用'], counts: ['入组状态']})
 *   t.add(['1200.50', '正常', '入组']); t.add(['-3.00', '冲正', ''])
 *   t.sumText('医疗总费用') → '1197.50';  t.discharges → 1;  t.countOf('入组状态', ['入组']) → 1
 */
import {assert} from '../errors.js'
import {CORRECTION_LINES, type DetailFigures, fenOfCell} from './equations.js'
import {fenText} from './fen.js'
import {unitsOf, unitsText} from './units.js'

/** Points are kept at 10 places (a score scale gives at most that) and shown with at least 4 (§6.3). */
const POINT_PLACES = 10
const POINT_MIN_PLACES = 4

export interface DetailColumns {
  /** Columns summed in 分. */
  readonly sums: readonly string[]
  /** Columns of few values (statuses, outlier types) whose values are counted. */
  readonly counts?: readonly string[]
  /** The column of case points, summed exactly. */
  readonly points?: string
}

export class DetailTotals implements DetailFigures {
  /** Lines added (discharges and correction lines). */
  lines = 0
  /** Discharges: lines that are not 冲正 / 补退. */
  discharges = 0
  private readonly sums: readonly string[]
  private readonly sumAt: readonly number[]
  private readonly fen: number[]
  /** The first cell of each summed column that is not an amount (a returned file may hold anything). */
  private readonly bad: (string | undefined)[]
  private readonly counted: readonly string[]
  private readonly countAt: readonly number[]
  private readonly values: Map<string, number>[]
  private readonly lineType: number
  private points = 0n
  private hasPoints = false
  private readonly pointsAt: number

  /** `headers`: the 明细 columns in file order (a row is read by position). */
  constructor(headers: readonly string[], columns: DetailColumns) {
    const at = (header: string): number => headers.indexOf(header)
    this.sums = columns.sums
    this.sumAt = columns.sums.map(at)
    this.fen = columns.sums.map(() => 0)
    this.bad = columns.sums.map(() => undefined)
    this.counted = columns.counts ?? []
    this.countAt = this.counted.map(at)
    this.values = this.counted.map(() => new Map())
    this.lineType = at('结算类型')
    this.pointsAt = columns.points === undefined ? -1 : at(columns.points)
  }

  add(row: readonly (string | undefined)[]): void {
    this.lines++
    if (this.lineType < 0 || !CORRECTION_LINES.has(row[this.lineType] ?? '')) this.discharges++
    for (let k = 0; k < this.countAt.length; k++) {
      const cell = row[this.countAt[k]!] ?? ''
      const counts = this.values[k]!
      counts.set(cell, (counts.get(cell) ?? 0) + 1)
    }
    for (let k = 0; k < this.sumAt.length; k++) {
      if (this.bad[k] !== undefined) continue
      const cell = this.sumAt[k]! < 0 ? '' : (row[this.sumAt[k]!] ?? '')
      const fen = fenOfCell(cell)
      if (fen === undefined) this.bad[k] = cell
      else {
        this.fen[k] = this.fen[k]! + fen
        assert(Number.isSafeInteger(this.fen[k]), 'a sum of 分 stays a safe integer')
      }
    }
    if (this.pointsAt >= 0) {
      const points = row[this.pointsAt] ?? ''
      if (points !== '' && /^-?[0-9]+(\.[0-9]{1,10})?$/.test(points)) {
        this.points += unitsOf(points, POINT_PLACES)
        this.hasPoints = true
      }
    }
  }

  /** Σ 分 of a column, or the first cell that is not an amount. */
  sum(header: string): {fen: number} | {bad: string} {
    const k = this.sums.indexOf(header)
    assert(k >= 0, `明细 ${header} is summed`)
    const bad = this.bad[k]
    return bad === undefined ? {fen: this.fen[k]!} : {bad}
  }

  /** Σ of a column of amounts as canonical 2-dp text (the statement's own columns are always amounts). */
  sumText(header: string): string {
    const total = this.sum(header)
    assert('fen' in total, `明细 ${header} holds amounts`)
    return fenText(total.fen)
  }

  /** Lines whose `header` is one of `values` (columns of few distinct values: statuses, outlier types). */
  countOf(header: string, values: readonly string[]): number {
    const counts = this.values[this.counted.indexOf(header)]
    assert(counts !== undefined, `明细 ${header} is counted`)
    return values.reduce((n, value) => n + (counts.get(value) ?? 0), 0)
  }

  /** Σ points exactly (at least 4 places), or '' when no line has points. */
  pointsText(): string {
    return this.hasPoints ? unitsText(this.points, POINT_PLACES, POINT_MIN_PLACES) : ''
  }
}
