/**
 * Columns a text takes on a terminal. Table cells are ASCII and Chinese almost always: those are
 * measured here (ASCII, Latin-1, dashes, arrows, operators and box drawing one column; CJK
 * ideographs, kana, Hangul and fullwidth forms two), and anything else (combining marks, emoji, other scripts) by string-width, whose Unicode
 * tables cost about 15 ms to build on first use: a command that prints a table of Chinese names
 * no longer pays that at start-up.
 *
 *   displayWidth('MDCB') → 4;  displayWidth('神经系统') → 8;  displayWidth('✅') → 2 (string-width)
 */
import stringWidth from 'string-width'

/** East Asian Wide and Fullwidth blocks (Unicode EastAsianWidth W/F) that Chinese tables use. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115e],
  [0x2e80, 0x2e99],
  [0x2e9b, 0x2ef3],
  [0x2f00, 0x2fd5],
  [0x2ff0, 0x303e],
  [0x3041, 0x3096],
  [0x3099, 0x30ff],
  [0x3105, 0x312f],
  [0x3131, 0x3163],
  [0x3165, 0x318e],
  [0x3190, 0x31e5],
  [0x31ef, 0x321e],
  [0x3220, 0x3247],
  [0x3250, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa48c],
  [0xa490, 0xa4c6],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff01, 0xff60],
  [0xffe0, 0xffe6],
]

/** Combining marks inside those blocks (zero columns): left to string-width. */
const MARKS = new Set([0x302a, 0x302b, 0x302c, 0x302d, 0x302e, 0x302f, 0x3099, 0x309a])

function wide(code: number): boolean {
  if (MARKS.has(code)) return false
  for (const [from, to] of WIDE) if (code >= from && code <= to) return true
  return false
}

/** Punctuation, arrows, operators and box drawing that statements and tables print (one column each). */
const NARROW: readonly (readonly [number, number])[] = [
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x2190, 0x21ff],
  [0x2200, 0x22ff],
  [0x2500, 0x257f],
]

function narrow(code: number): boolean {
  for (const [from, to] of NARROW) if (code >= from && code <= to) return true
  return false
}

export function displayWidth(text: string): number {
  let width = 0
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k)
    // U+00AD (soft hyphen) takes no column.
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code < 0x300 && code !== 0xad)) width += 1
    else if (wide(code)) width += 2
    else if (narrow(code)) width += 1
    else return stringWidth(text)
  }
  return width
}
