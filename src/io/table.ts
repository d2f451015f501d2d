/**
 * Plain-text tables for people, lined up by display width so that Chinese names (two columns
 * wide each) keep the columns straight.
 *
 *   renderTable(['MDC', '名称', '例数'], [['MDCB', '神经系统', '12']], {right: [2]})
 *   → 'MDC   名称       例数\n────  ────────  ────\nMDCB  神经系统    12'
 */
import {displayWidth} from './display-width.js'

export interface TableOptions {
  /** Column positions aligned right (numbers). */
  readonly right?: readonly number[]
  /**
   * The widest a line may be: a wider table is folded into blocks one under the other, each
   * starting with the key columns. Default: the terminal's width when stdout is one, else no
   * limit (a file or a pipe gets the table whole).
   */
  readonly maxWidth?: number
  /** How many leading columns name a row and start every block (default 1). */
  readonly keyColumns?: number
}

const GAP = 2

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const widths = headers.map((header, k) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[k] ?? ''))))
  const right = new Set(options.right ?? [])
  const maxWidth = options.maxWidth ?? (process.stdout.isTTY ? process.stdout.columns : undefined)
  const total = widths.reduce((sum, w) => sum + w, 0) + GAP * (widths.length - 1)
  const blocks = maxWidth === undefined || total <= maxWidth ? [headers.map((_, k) => k)] : foldColumns(widths, Math.min(options.keyColumns ?? 1, headers.length - 1), maxWidth)
  return blocks
    .map((columns) => {
      const line = (cells: readonly string[]): string =>
        columns
          .map((k, n) => {
            const cell = cells[k] ?? ''
            const pad = ' '.repeat(widths[k]! - displayWidth(cell))
            return right.has(k) ? pad + cell : n === columns.length - 1 ? cell : cell + pad
          })
          .join(' '.repeat(GAP))
      return [line(headers), columns.map((k) => '─'.repeat(widths[k]!)).join(' '.repeat(GAP)), ...rows.map(line)].join('\n')
    })
    .join('\n\n')
}

/** Column positions in blocks that fit `maxWidth`, each block the key columns and then as many others as fit (at least one). */
function foldColumns(widths: readonly number[], keys: number, maxWidth: number): number[][] {
  const keyColumns = Array.from({length: keys}, (_, k) => k)
  const keyWidth = keyColumns.reduce((sum, k) => sum + widths[k]! + GAP, 0)
  const blocks: number[][] = []
  let block: number[] = []
  let used = keyWidth
  for (let k = keys; k < widths.length; k++) {
    if (block.length > 0 && used + widths[k]! > maxWidth) {
      blocks.push([...keyColumns, ...block])
      block = []
      used = keyWidth
    }
    block.push(k)
    used += widths[k]! + GAP
  }
  if (block.length > 0) blocks.push([...keyColumns, ...block])
  return blocks
}

/** 1234567 → '1,234,567' (counts only; amounts are formatted from their decimal text elsewhere). */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}
