// Proves the streaming CSV parser agrees with csv-parse (the independent oracle) on tricky
// RFC 4180 input, whatever the chunk boundaries, and reports the line each row starts on.
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {CsvParser, isBlankRow, MAX_RECORD_CHARS, parseCsvText} from '../../src/io/csv-reader.js'

const TRICKY = [
  'a,b,c',
  '1,"x, y",3',
  '"multi',
  'line",2,"say ""hi"""',
  '',
  'plain,,end',
  '"",  spaced  ,"中文,逗号"',
].join('\r\n') + '\r\n'

function parseInChunks(text: string, size: number): {fields: string[]; line: number; raw: string}[] {
  const rows: {fields: string[]; line: number; raw: string}[] = []
  const parser = new CsvParser(
    (fields, line, raw) => {
      if (!isBlankRow(fields)) rows.push({fields, line, raw})
    },
    (line, message) => {
      throw new Error(`${line}: ${message}`)
    },
  )
  for (let k = 0; k < text.length; k += size) parser.push(text.slice(k, k + size))
  parser.end()
  return rows
}

describe('CsvParser', () => {
  it('passes over the quote-free lines skipLine asks it to, and gives every other record with its own line', () => {
    const text = ['h1,h2', 'a,1', '"q, 1",2', 'b,3', '', '"multi', 'line",4', 'c,5', 'd,6'].join('\n')
    for (const size of [1, 3, 7, 1000]) {
      const rows: [number, string][] = []
      let asked = 0
      const parser = new CsvParser(
        (fields, line) => rows.push([line, fields.join('|')]),
        (line, message) => {
          throw new Error(`${line}: ${message}`)
        },
        () => asked++ % 2 === 1,
      )
      for (let k = 0; k < text.length; k += size) parser.push(text.slice(k, k + size))
      parser.end()
      // Quote-free lines alternate (asked: h1, a, b, '', c, d): a, '' and d are passed over; quoted records are always parsed.
      expect(rows, `chunks of ${size}`).toEqual([
        [1, 'h1|h2'],
        [3, 'q, 1|2'],
        [4, 'b|3'],
        [6, 'multi\nline|4'],
        [8, 'c|5'],
      ])
      expect(asked).toBe(6)
    }
  })

  it('matches csv-parse for every chunk size', () => {
    const expected = parse(TRICKY, {relax_column_count: true, skip_empty_lines: true}) as string[][]
    for (let size = 1; size <= TRICKY.length; size++) {
      expect(parseInChunks(TRICKY, size).map((row) => row.fields), `chunk size ${size}`).toEqual(expected)
    }
  })

  it('numbers rows by the physical line they start on, counting line breaks inside quotes', () => {
    expect(parseInChunks(TRICKY, 7).map((row) => row.line)).toEqual([1, 2, 3, 6, 7])
  })

  it('keeps the raw text of a row so that it can be copied without re-quoting', () => {
    expect(parseInChunks(TRICKY, 5)[1]!.raw).toBe('1,"x, y",3')
  })

  it('reads a last row without a final line break', () => {
    expect(parseCsvText('a,b\n1,2').rows.map((row) => row.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('reports an unclosed quote and text after a closing quote with their line', () => {
    expect(parseCsvText('a\n"open\n').errors).toEqual([{line: 2, message: 'a quoted field opened on this line is not closed before the end of the file', raw: '"open', code: 'quote_unclosed'}])
    expect(parseCsvText('a,b\n"x"y,2\n').errors[0]).toMatchObject({line: 2})
    expect(parseCsvText('a,b\nx"y,2\n').errors[0]).toMatchObject({line: 2})
  })

  it('strips a UTF-8 byte order mark', () => {
    expect(parseCsvText('\uFEFFsettlement_id\nS1\n').rows[0]!.fields).toEqual(['settlement_id'])
  })

  it('resumes after a stray quote at the next line, with the right line numbers and nothing lost', () => {
    const lines = ['id,name,n', ...Array.from({length: 3000}, (_, k) => `S${k},name${k},${k}`)]
    lines[101] = 'S100,na"me100,100'
    const text = `${lines.join('\n')}\n`
    for (const size of [7, 1000, 1 << 16]) {
      const rows: {fields: string[]; line: number}[] = []
      const errors: {line: number; raw: string}[] = []
      const parser = new CsvParser((fields, line) => rows.push({fields, line}), (line, _message, raw) => errors.push({line, raw}))
      for (let k = 0; k < text.length; k += size) parser.push(text.slice(k, k + size))
      parser.end()
      expect(errors, `chunk ${size}`).toEqual([{line: 102, raw: 'S100,na"me100,100'}])
      expect(rows.length + errors.length).toBe(3001)
      expect(rows.at(-1)).toEqual({fields: ['S2999', 'name2999', '2999'], line: 3001})
      expect(rows[101]).toEqual({fields: ['S101', 'name101', '101'], line: 103})
    }
  })

  it('takes a quote never closed as one bad line when the width is known, and when it is not', () => {
    const text = 'id,name,n\nS1,"open,1\nS2,b,2\nS3,c,3\n'
    const withWidth: number[] = []
    const errors: number[] = []
    const parser = new CsvParser(
      (fields, line) => {
        if (line === 1) parser.expectWidth(fields.length)
        else withWidth.push(line)
      },
      (line) => errors.push(line),
    )
    parser.push(text)
    parser.end()
    expect(errors).toEqual([2])
    expect(withWidth).toEqual([3, 4])
    expect(parseCsvText('a\n"never closed\nx\ny\n')).toMatchObject({rows: [{line: 1}, {line: 3}, {line: 4}], errors: [{line: 2}]})
  })

  it('ends lines at LF, CRLF and a lone CR, mixed in one file and split across chunks', () => {
    const text = 'a,b\r1,2\r\n3,4\n5,6\r'
    for (let size = 1; size <= text.length; size++) {
      expect(parseInChunks(text, size).map((row) => [row.line, ...row.fields]), `chunk size ${size}`).toEqual([
        [1, 'a', 'b'],
        [2, '1', '2'],
        [3, '3', '4'],
        [4, '5', '6'],
      ])
    }
  })

  it('delivers blank records, so that a reader can count them as skipped', () => {
    expect(parseCsvText('a,b\n\n1,2\n,\n')).toMatchObject({rows: [{line: 1}, {line: 3}], skipped: 2})
  })

  it('bounds a line without an end, reporting it once and reading on', () => {
    const errors: number[] = []
    const rows: number[] = []
    const parser = new CsvParser((_, line) => rows.push(line), (line) => errors.push(line))
    parser.push('a\n')
    for (let k = 0; k < 40; k++) parser.push('x'.repeat(MAX_RECORD_CHARS / 16))
    parser.push('\nb\n')
    parser.end()
    expect(errors).toEqual([2])
    expect(rows).toEqual([1, 3])
  })
})
