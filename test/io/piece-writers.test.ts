// The statement files written piece by piece (src/io/piece-writers.ts): the same bytes as the
// text written whole, whatever the pieces' boundaries, for a CSV in UTF-8 and GB18030 and for a
// deflated sheet held in memory or spilled to its temporary file.
import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {inflateRawSync, crc32} from 'node:zlib'
import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'
import {CsvFile, DeflatedSheet} from '../../src/io/piece-writers.js'

/** Text that does not compress much (so a sheet's deflated bytes grow), mixing ASCII letters, CJK and a character outside the BMP (nothing a CSV quotes). */
function noisyText(seed: number, length: number): string {
  let x = seed
  let text = ''
  while (text.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    const pick = x % 7
    text += pick === 0 ? '医保结算' : pick === 1 ? '𠀀' : String.fromCharCode(65 + (x % 26))
  }
  return text
}

describe('CsvFile', () => {
  it('writes the same bytes as the whole text encoded at once, with rows above a piece and across pieces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yb-pieces-'))
    const rows = [['结算流水号', '金额'], ...Array.from({length: 3000}, (_, k) => [`S${k}`, noisyText(k, k % 500 === 0 ? 400_000 : 200)])]
    const expected = rows.map((row) => `${row.join(',')}\n`).join('')
    for (const encoding of ['utf-8', 'gb18030'] as const) {
      const path = join(dir, `${encoding}.csv`)
      const csv = new CsvFile(path, encoding)
      for (const row of rows) csv.row(row)
      const sha = csv.close()
      const bytes = readFileSync(path)
      const whole = encoding === 'utf-8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(expected, 'utf8')]) : iconv.encode(expected, 'gb18030')
      expect(bytes.equals(whole)).toBe(true)
      expect(sha).toBe(createHash('sha256').update(whole).digest('hex'))
    }
  })
})

describe('DeflatedSheet', () => {
  const write = async (path: string, heldBytes: number | undefined, pieces: readonly string[]) => {
    const sheet = heldBytes === undefined ? new DeflatedSheet(path, 1) : new DeflatedSheet(path, 1, heldBytes)
    for (const piece of pieces) await sheet.write(piece)
    return sheet.end('xl/worksheets/sheet2.xml')
  }
  const pieces = Array.from({length: 4000}, (_, k) => noisyText(k, k === 1000 ? 300_000 : 300))
  const xml = Buffer.from(pieces.join(''), 'utf8')

  it('holds a small sheet in memory: no temporary file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'yb-sheet-')), '.sheet.deflate')
    const entry = await write(path, undefined, pieces)
    expect(existsSync(path)).toBe(false)
    const compressed = Buffer.concat([...entry.compressed])
    expect([entry.size, entry.compressedSize, entry.crc]).toEqual([xml.length, compressed.length, crc32(xml)])
    expect(inflateRawSync(compressed).equals(xml)).toBe(true)
    entry.remove()
  })

  it('spills to its temporary file beyond the bytes it may hold, with the same bytes, and removes it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'yb-sheet-')), '.sheet.deflate')
    const entry = await write(path, 4096, pieces)
    expect(existsSync(path)).toBe(true)
    const compressed = Buffer.concat([...entry.compressed])
    expect([entry.size, entry.compressedSize, entry.crc]).toEqual([xml.length, compressed.length, crc32(xml)])
    expect(inflateRawSync(compressed).equals(xml)).toBe(true)
    const held = await write(join(path, '..', '.other.deflate'), undefined, pieces)
    expect(Buffer.concat([...held.compressed]).equals(compressed)).toBe(true)
    entry.remove()
    expect(existsSync(path)).toBe(false)
  })
})
