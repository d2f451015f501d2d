// Proves the streaming CSV parser agrees with csv-parse (the independent oracle) on tricky
// RFC 4180 input, whatever the chunk boundaries, and reports the line each row starts on.
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {CsvParser, parseCsvText} from '../../src/io/csv-reader.js'

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
    (fields, line, raw) => rows.push({fields, line, raw}),
    (line, message) => {
      throw new Error(`${line}: ${message}`)
    },
  )
  for (let k = 0; k < text.length; k += size) parser.push(text.slice(k, k + size))
  parser.end()
  return rows
}

describe('CsvParser', () => {
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
    expect(parseCsvText('a\n"open\n').errors).toEqual([{line: 2, message: 'a quoted field is not closed before the end of the file'}])
    expect(parseCsvText('a,b\n"x"y,2\n').errors[0]).toMatchObject({line: 2})
    expect(parseCsvText('a,b\nx"y,2\n').errors[0]).toMatchObject({line: 2})
  })

  it('strips a UTF-8 byte order mark', () => {
    expect(parseCsvText('\uFEFFsettlement_id\nS1\n').rows[0]!.fields).toEqual(['settlement_id'])
  })
})
