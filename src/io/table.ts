/**
 * Plain-text tables for people, lined up by display width so that Chinese names (two columns
 * wide each) keep the columns straight.
 *
 *   renderTable(['MDC', '名称', '例数'], [['MDCB', '神经系统', '12']], {right: [2]})
 *   → 'MDC   名称       例数\n────  ────────  ────\nMDCB  神经系统    12'
 */
import stringWidth from 'string-width'

export interface TableOptions {
  /** Column positions aligned right (numbers). */
  readonly right?: readonly number[]
}

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const widths = headers.map((header, k) => Math.max(stringWidth(header), ...rows.map((row) => stringWidth(row[k] ?? ''))))
  const right = new Set(options.right ?? [])
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, k) => {
        const pad = ' '.repeat(widths[k]! - stringWidth(cell))
        return right.has(k) ? pad + cell : k === cells.length - 1 ? cell : cell + pad
      })
      .join('  ')
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** 1234567 → '1,234,567' (counts only; amounts are formatted from their decimal text elsewhere). */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}
