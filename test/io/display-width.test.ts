// displayWidth measures ASCII and Chinese itself and agrees with string-width on every character
// it measures, on every name of the bundled and real packs, and on what it hands over.
import {readdirSync, readFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import {displayWidth} from '../../src/io/display-width.js'
import {DEMO_DIR, SHARED} from '../helpers.js'

describe('displayWidth', () => {
  it('gives string-width for every BMP character and for texts of the packs', () => {
    const mismatches: string[] = []
    for (let code = 0x20; code < 0xd800; code++) {
      const ch = String.fromCharCode(code)
      if (displayWidth(ch) !== stringWidth(ch)) mismatches.push(code.toString(16))
    }
    for (let code = 0xe000; code <= 0xffff; code++) {
      const ch = String.fromCharCode(code)
      if (displayWidth(ch) !== stringWidth(ch)) mismatches.push(code.toString(16))
    }
    expect(mismatches).toEqual([])
    const packs = [DEMO_DIR, ...['chs-drg-1.1', 'harbin-2022'].map((id) => join(SHARED, 'schemes', id)).filter((dir) => existsSync(dir))]
    // The packs' distinct non-ASCII texts (names), a few thousand.
    const texts = [...new Set(packs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.csv')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split(/[\n,]/))))].filter((t) => /[^\x20-\x7e]/.test(t)).slice(0, 5000)
    expect(texts.length).toBeGreaterThan(100)
    for (const text of [...texts, '感染及寄生虫病  (全身性或不明确部位的)', '✅ 通过', 'e\u0301', '\u001b[1m粗\u001b[0m', '𠀀', '市第一人民医院（三级）']) expect(displayWidth(text), text).toBe(stringWidth(text))
  })
})
