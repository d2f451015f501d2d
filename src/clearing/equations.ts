/**
 * Check equations as data (a 汇总 cell, or a sum or count over 明细 rows, on each side), and their
 * evaluation on the figures of a statement as written: what `yb reconcile` puts in the 校验 sheet
 * and what `yb reconcile verify` evaluates on a returned file. Amounts compare in whole 分.
 *
 *   evaluate([{name: '出院人次 = 明细行数', left: [{sign: 1, term: {cell: '出院人次'}}], right: [{sign: 1, term: {detailCount: true}}]}], data)
 *   → [{name: '出院人次 = 明细行数', left: '2', right: '2', holds: true}]
 */
import {fenOfYuan, fenText, parseFen} from './fen.js'
import {Dec, isDecimalText} from './money.js'

/** 明细 lines that are not discharges: a correction's reversal (冲正) and its corrected payment (补退). */
export const CORRECTION_LINES: ReadonlySet<string> = new Set(['冲正', '补退'])

/** A term of an equation: a 汇总 cell of the row, a sum over the pool's 明细 rows, or the count of its discharges (correction lines aside). */
export type Term = {readonly cell: string} | {readonly detailSum: string} | {readonly detailCount: true}
export interface Equation {
  readonly name: string
  readonly left: readonly {readonly sign: 1 | -1; readonly term: Term}[]
  readonly right: readonly {readonly sign: 1 | -1; readonly term: Term}[]
  /** The right side floored at 0 (a month's fund due is never negative). */
  readonly rightFloor0?: boolean
}

/** 分 of an amount as a file gives it ('12.3', '-1,234.50', '12126.670000000002'), rounded HALF_UP to the 分; undefined when not a number. */
export function fenOfCell(text: string | undefined): number | undefined {
  // The common case, an amount as written here: straight to 分 without a decimal object.
  if (text !== undefined && CANONICAL.test(text)) return parseFen(text)
  const clean = (text ?? '').trim().replace(/,/g, '')
  if (clean === '') return 0
  if (!isDecimalText(clean) && !/^-?[0-9]*\.?[0-9]+(e[-+]?[0-9]+)?$/i.test(clean)) return undefined
  return fenOfYuan(new Dec(clean).toDecimalPlaces(2, Dec.ROUND_HALF_UP))
}

const CANONICAL = /^-?[0-9]{1,13}\.[0-9]{2}$/

export interface EvaluatedCheck {
  readonly name: string
  readonly left: string
  readonly right: string
  readonly holds: boolean
}

/** What the equations read of a pool's 明细 lines: the discharges, and Σ 分 of a column (or its first cell that is not an amount). */
export interface DetailFigures {
  readonly discharges: number
  sum(header: string): {fen: number} | {bad: string}
}

/** A 汇总 row, as header → text, and the figures of its pool's 明细 lines (DetailTotals). */
export interface RowData {
  readonly summary: Readonly<Record<string, string>>
  readonly details: DetailFigures
}

/** The 明细 columns some equation sums. */
export function summedColumns(equationsOfRow: readonly Equation[]): string[] {
  const columns = new Set<string>()
  for (const eq of equationsOfRow) for (const {term} of [...eq.left, ...eq.right]) if ('detailSum' in term) columns.add(term.detailSum)
  return [...columns]
}

/** Evaluates one row's equations on the figures as given (a count compares counts, everything else 分). */
export function evaluate(equationsOfRow: readonly Equation[], data: RowData): EvaluatedCheck[] {
  const value = (term: Term): {fen: number} | {count: number} | {bad: string} => {
    if ('detailCount' in term) return {count: data.details.discharges}
    if ('detailSum' in term) {
      const total = data.details.sum(term.detailSum)
      return 'bad' in total ? {bad: `明细 ${term.detailSum} "${total.bad}"`} : total
    }
    if (term.cell === '出院人次') return /^[0-9]+$/.test(data.summary[term.cell] ?? '') ? {count: Number(data.summary[term.cell])} : {bad: `汇总 出院人次 "${data.summary[term.cell] ?? ''}"`}
    const fen = fenOfCell(data.summary[term.cell])
    return fen === undefined ? {bad: `汇总 ${term.cell} "${data.summary[term.cell]}"`} : {fen}
  }
  const side = (terms: Equation['left']): {text: string; number: number} | {bad: string} => {
    let total = 0
    let count = false
    for (const {sign, term} of terms) {
      const v = value(term)
      if ('bad' in v) return v
      if ('count' in v) count = true
      total += sign * ('count' in v ? v.count : v.fen)
    }
    return {text: count ? String(total) : fenText(total), number: total}
  }
  return equationsOfRow.map((eq) => {
    const left = side(eq.left)
    let right = side(eq.right)
    if ('bad' in left || 'bad' in right) return {name: eq.name, left: 'bad' in left ? left.bad : left.text, right: 'bad' in right ? right.bad : right.text, holds: false}
    if (eq.rightFloor0 === true && right.number < 0) right = {text: fenText(0), number: 0}
    return {name: eq.name, left: left.text, right: right.text, holds: left.number === right.number}
  })
}
