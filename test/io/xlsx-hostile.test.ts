// Proves that reading a returned .xlsx is bounded: a zip bomb, a row number of 999,999,999, a
// column beyond XFD, thousands of unclosed <row> tags, corrupt deflate data, a central directory
// pointing past the file and invalid code points each end with a file error (InputErrors naming
// the file), not a crash, an out-of-memory abort or minutes of CPU. The time and memory each one
// took are printed (speed is not asserted here).
import {constants, deflateRawSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {InputErrors} from '../../src/errors.js'
import {readXlsx, workbookEntries, writeXlsx} from '../../src/io/xlsx.js'
import {writeZip} from '../../src/io/zip.js'

/** A workbook of one sheet whose XML is `sheet`. */
function workbook(sheet: string | Buffer): Buffer {
  return writeZip([...workbookEntries(['明细']), {name: 'xl/worksheets/sheet1.xml', data: Buffer.isBuffer(sheet) ? sheet : Buffer.from(sheet)}])
}

const SHEET = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`

/** 1 GiB of XML in about 1 MB: 1,024 deflate blocks of a MiB of spaces each, flushed, then a final one. */
function zipBomb(): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20, 0x20), {finishFlush: constants.Z_SYNC_FLUSH})
  const tail = deflateRawSync(Buffer.alloc(0))
  const compressed = Buffer.concat([...Array.from({length: 1024}, () => block), tail])
  // The workbook's other entries as writeZip makes them, then the sheet entry built by hand around the bomb.
  const entries = workbookEntries(['明细'])
  const plain = writeZip(entries)
  const name = Buffer.from('xl/worksheets/sheet1.xml')
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(compressed.length, 18)
  local.writeUInt32LE(1 << 30, 22)
  local.writeUInt16LE(name.length, 26)
  // Central directory of the plain workbook, plus the bomb's entry.
  const endAt = plain.length - 22
  const dirStart = plain.readUInt32LE(endAt + 16)
  const dirLength = plain.readUInt32LE(endAt + 12)
  const bombOffset = dirStart
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(compressed.length, 20)
  central.writeUInt32LE(1 << 30, 24)
  central.writeUInt16LE(name.length, 28)
  central.writeUInt32LE(bombOffset, 42)
  const directory = Buffer.concat([plain.subarray(dirStart, dirStart + dirLength), central, name])
  const end = Buffer.from(plain.subarray(endAt))
  end.writeUInt16LE(entries.length + 1, 8)
  end.writeUInt16LE(entries.length + 1, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(dirStart + 30 + name.length + compressed.length, 16)
  return Buffer.concat([plain.subarray(0, dirStart), local, name, compressed, directory, end])
}

const HOSTILE: [string, () => Buffer][] = [
  ['a zip bomb (1 MB inflating to 1 GiB)', zipBomb],
  ['a row number of 999,999,999', () => workbook(SHEET('<row r="999999999"><c t="inlineStr"><is><t>x</t></is></c></row>'))],
  ['a cell beyond column XFD', () => workbook(SHEET('<row r="1"><c r="ZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>'))],
  ['23 KB of unclosed <row> tags', () => workbook(SHEET('<row>'.repeat(4600)))],
  ['unclosed <c> tags in a row', () => workbook(SHEET(`<row>${'<c t="s">'.repeat(4000)}</row>`))],
  ['corrupt deflate data', () => {
    const bytes = writeXlsx([{name: '明细', rows: [['结算流水号'], ['S1']]}])
    const at = bytes.indexOf(Buffer.from('xl/worksheets/sheet1.xml')) + 'xl/worksheets/sheet1.xml'.length
    for (let k = at; k < at + 40; k++) bytes[k] = 0xff
    return bytes
  }],
  ['a central directory offset past the end', () => {
    const bytes = writeXlsx([{name: '明细', rows: [['结算流水号']]}])
    bytes.writeUInt32LE(0x7fffffff, bytes.length - 22 + 16)
    return bytes
  }],
  ['a local header offset past the end', () => {
    const bytes = writeXlsx([{name: '明细', rows: [['结算流水号']]}])
    const dir = bytes.readUInt32LE(bytes.length - 22 + 16)
    bytes.writeUInt32LE(0x7ffffff0, dir + 42)
    return bytes
  }],
  ['an invalid code point', () => workbook(SHEET('<row><c t="inlineStr"><is><t>&#x110000;</t></is></c></row>'))],
  ['a surrogate code point', () => workbook(SHEET('<row><c t="inlineStr"><is><t>&#xD800;</t></is></c></row>'))],
  ['a row number of 0', () => workbook(SHEET('<row r="0"/>'))],
  ['a sheet that is not UTF-8', () => workbook(Buffer.from([0x3c, 0x72, 0x6f, 0x77, 0x3e, 0xff, 0xfe]))],
  ['not a zip at all', () => Buffer.from('结算流水号,统筹基金应支付\nS1,1.00\n')],
]

describe('a hostile .xlsx', () => {
  it.each(HOSTILE)('%s is a file error', (_name, make) => {
    const bytes = make()
    const before = process.memoryUsage().rss
    const started = process.hrtime.bigint()
    let thrown: unknown
    try {
      readXlsx(bytes, 'hostile.xlsx')
    } catch (error) {
      thrown = error
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    console.log(`${_name}: ${bytes.length} bytes, ${ms.toFixed(0)} ms, rss +${((process.memoryUsage().rss - before) / 1e6).toFixed(0)} MB`)
    expect(thrown).toBeInstanceOf(InputErrors)
    expect((thrown as InputErrors).errors[0]).toMatchObject({file: 'hostile.xlsx', code: 'file_unreadable'})
  })

  it('while a good workbook still reads', () => {
    // An empty cell is left out of the file (as Excel does), so the last row ends at its last value.
    const bytes = writeXlsx([{name: '明细', rows: [['结算流水号', '金额'], ['S1', {n: '12.30'}], ['&<"中文"', null]]}])
    expect(readXlsx(bytes, 'good.xlsx').get('明细')).toEqual([['结算流水号', '金额'], ['S1', '12.30'], ['&<"中文"']])
  })
})
