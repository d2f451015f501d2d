/**
 * Text for fixed-width terminal columns: padding and truncation by display width, so Chinese
 * names (two columns a character) keep the columns straight.
 *
 *   cell('市第一人民医院', 10) → '市第一人… '   cell('H001', 6) → 'H001  '
 */
export {groupedYuan} from '../cli/pay-text.js'
import {displayWidth} from '../io/display-width.js'

/** `text` cut to at most `width` columns (with … when cut) and padded to exactly `width`. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  let shown = text
  if (displayWidth(shown) > width) {
    let cut = ''
    for (const ch of shown) {
      if (displayWidth(cut + ch) > width - 1) break
      cut += ch
    }
    shown = `${cut}…`
  }
  const pad = ' '.repeat(Math.max(0, width - displayWidth(shown)))
  return align === 'right' ? pad + shown : shown + pad
}

export const STATUS_LABEL: Readonly<Record<string, string>> = {grouped: '入组', qy: 'QY', ungroupable: '0000', invalid: '待更正', per_diem: '床日', items: '项目'}
export const OUTLIER_LABEL: Readonly<Record<string, string>> = {normal: '', high: '高倍率', low: '低倍率', mid_low: '中低倍率', extreme: '极端'}
export const SPECIAL_LABEL: Readonly<Record<string, string>> = {pending: '★待审', approved: '通过', rejected: '不通过'}
