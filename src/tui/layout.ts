/**
 * Screens that fit the terminal: which columns a table shows at a width, and lines cut or
 * wrapped by display width (a CJK character takes two columns), so that no line is ever wider
 * than the terminal and nothing wraps by itself.
 *
 *   fitColumns([{title: '结算流水号', width: 17, priority: 1}, …], 80) → the columns that fit, each with its width
 *   fitLine('yb review 2025-03 — run 7 · 1,000,000 cases', 20) → 'yb review 2025-03 —…'
 */
import {displayWidth} from '../io/display-width.js'
import {cell} from './format.js'

export interface Column<R> {
  readonly title: string
  /** Columns it takes (the most for a flexible one). */
  readonly width: number
  /** A flexible column (a name) takes what is left, from `min` up to `width`. */
  readonly min?: number
  readonly align?: 'left' | 'right'
  /** 1 is shown first; a column of a higher number goes when the terminal is narrow. */
  readonly priority: number
  readonly value: (row: R) => string
}

export interface Fitted<R> {
  readonly column: Column<R>
  readonly width: number
}

/** The columns that fit in `width` (one column kept for the cursor mark), in their own order. */
export function fitColumns<R>(columns: readonly Column<R>[], width: number): Fitted<R>[] {
  const room = Math.max(10, width - 1)
  const byPriority = [...columns].sort((a, b) => a.priority - b.priority)
  const chosen = new Set<Column<R>>()
  let used = -1
  for (const column of byPriority) {
    const need = (column.min ?? column.width) + 1
    if (used + need <= room) {
      chosen.add(column)
      used += need
    }
  }
  if (chosen.size === 0) chosen.add(byPriority[0]!)
  let spare = Math.max(0, room - used)
  return columns
    .filter((column) => chosen.has(column))
    .map((column) => {
      if (column.min === undefined) return {column, width: column.width}
      const grow = Math.min(spare, column.width - column.min)
      spare -= grow
      return {column, width: column.min + grow}
    })
}

/** The header and a row of fitted columns, each exactly as wide as the fitted widths. */
export function headerText<R>(fitted: readonly Fitted<R>[]): string {
  return fitted.map(({column, width}) => cell(column.title, width, column.align)).join(' ')
}

export function rowLine<R>(fitted: readonly Fitted<R>[], row: R): string {
  return fitted.map(({column, width}) => cell(column.value(row), width, column.align)).join(' ')
}

/** A line cut to `width` columns (with … when cut), not padded. */
export function fitLine(text: string, width: number): string {
  return displayWidth(text) <= width ? text : cell(text, width).trimEnd()
}

/** A line wrapped into lines of at most `width` columns (by display width). */
export function wrapLine(text: string, width: number): string[] {
  if (displayWidth(text) <= width) return [text]
  const lines: string[] = []
  let line = ''
  let used = 0
  for (const ch of text) {
    const w = displayWidth(ch)
    if (used + w > width) {
      lines.push(line)
      line = ''
      used = 0
    }
    line += ch
    used += w
  }
  if (line !== '') lines.push(line)
  return lines
}
