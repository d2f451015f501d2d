/**
 * Streaming RFC 4180 CSV parser: text chunks in, records out, with the physical line each record
 * starts on and its raw text (so that pass-through columns can be copied without re-quoting).
 * Every physical record comes out once, as a row or as an error: nothing is dropped.
 *
 *   const p = new CsvParser((fields, line, raw) => …, (line, message, raw) => …)
 *   p.push('a,b\n"x, y",2\n'); p.end()   → (['a','b'], 1, 'a,b'), (['x, y','2'], 2, '"x, y",2')
 *
 * - LF, CRLF and lone CR (old Mac / some Excel exports) all end a line, mixed in one file too.
 * - A blank line comes out as the row [''] (the caller counts it as skipped, see isBlankRow).
 * - A malformed record (a stray quote, text after a closing quote, a quote never closed, a
 *   quoted field that runs over lines and leaves the record the wrong width) is reported with
 *   its first physical line and that line's text, and parsing resumes at the next line: one
 *   stray quote costs one row, never the rest of the file.
 *
 * Why not csv-parse: it measures ~357k rows/s here, which alone would use most of the
 * 150k cases/s end-to-end budget of `yb group` once writing and grouping are added. This parser
 * splits quote-free lines with the native `String.split` and falls back to a character scanner
 * only for lines that contain a quote. csv-parse stays the independent oracle in the tests.
 */

export type RowHandler = (fields: string[], line: number, raw: string) => void
/** `code`: the input error code a reader reports it under. */
export type ParseErrorHandler = (line: number, message: string, raw: string, code: ParseErrorCode) => void
export type ParseErrorCode = 'quote_unclosed' | 'record_too_long'

const QUOTE = 34 // "
const COMMA = 44 // ,
const NEWLINE = 10 // \n
const RETURN = 13 // \r

/** A record longer than this (or a quoted field left open over this much text) is an error, so memory stays bounded. */
export const MAX_RECORD_CHARS = 1 << 20
/** The text of a rejected line kept for the rejects file. */
const RAW_KEPT_CHARS = 4096

interface QuotedRow {
  readonly fields: string[]
  /** Index just past the row's line terminator. */
  readonly next: number
  /** Index where the row's text ends (before the terminator). */
  readonly rawEnd: number
  /** Line breaks inside quoted fields. */
  readonly innerNewlines: number
}

export class CsvParser {
  private carry = ''
  private pendingReturn = false
  /** Inside an over-long line: text is dropped up to its end. */
  private skippingLine = false
  private line = 1
  private width = 0
  private readonly onRow: RowHandler
  private readonly onError: ParseErrorHandler
  private readonly skipLine: (() => boolean) | undefined

  /**
   * `skipLine`: asked for each line without a quote before it is split; true passes over it (no
   * row comes out): a reader that groups only some of the records (a share of the file) does not
   * split the others.
   */
  constructor(onRow: RowHandler, onError: ParseErrorHandler, skipLine?: () => boolean) {
    this.onRow = onRow
    this.onError = onError
    this.skipLine = skipLine
  }

  /**
   * The number of fields a record must have (from the header). A record whose quoted field runs
   * over line breaks and leaves it another width is then taken as a quote never closed: its first
   * line is reported and the next line read as a record of its own.
   */
  expectWidth(width: number): void {
    this.width = width
  }

  /** Feed the next chunk of decoded text. Complete records are delivered before it returns. */
  push(chunk: string): void {
    let text = this.pendingReturn ? `\r${chunk}` : chunk
    this.pendingReturn = false
    if (text.includes('\r')) {
      // A CR at the end of a chunk may be the first half of a CRLF: decide with the next chunk.
      if (text.charCodeAt(text.length - 1) === 13) {
        this.pendingReturn = true
        text = text.slice(0, -1)
      }
      // CRLF stays (a quoted field keeps its own line breaks as they were); a lone CR becomes LF.
      text = text.replace(/\r(?!\n)/g, '\n')
    }
    this.feed(text)
  }

  /** Text whose line ends are LF or CRLF. */
  private feed(chunk: string): void {
    let text = chunk
    if (this.skippingLine) {
      const newline = text.indexOf('\n')
      if (newline < 0) return
      this.skippingLine = false
      this.line++
      text = text.slice(newline + 1)
    }
    const buffer = this.carry.length > 0 ? this.carry + text : text
    this.carry = buffer.slice(this.consume(buffer, false))
    if (this.carry.length > MAX_RECORD_CHARS) this.tooLong()
  }

  /** The input is over: deliver the last record even without a final line break. */
  end(): void {
    if (this.pendingReturn) {
      this.pendingReturn = false
      this.push('\n')
    }
    if (this.carry.length > 0 && !this.skippingLine) this.consume(this.carry, true)
    this.carry = ''
  }

  /** The carried text holds no whole record within the limit: report its first line and drop text up to that line's end. */
  private tooLong(): void {
    const newline = this.carry.indexOf('\n')
    const raw = this.carry.slice(0, Math.min(newline < 0 ? this.carry.length : newline, RAW_KEPT_CHARS)).replace(/\r$/, '')
    if (newline < 0) {
      this.onError(this.line, `the line is longer than ${MAX_RECORD_CHARS} characters`, raw, 'record_too_long')
      this.skippingLine = true
      this.carry = ''
      return
    }
    this.onError(this.line, `a quoted field opened on this line is not closed within ${MAX_RECORD_CHARS} characters`, raw, 'quote_unclosed')
    this.line++
    const rest = this.carry.slice(newline + 1)
    this.carry = ''
    this.feed(rest)
  }

  /** Parses as many whole records as `buffer` holds; returns the index of the first unparsed char. */
  private consume(buffer: string, final: boolean): number {
    let start = 0
    const length = buffer.length
    // The next quote at or after `start`, searched again only once `start` has passed it:
    // searching per row would rescan a quote-free buffer to its end for every row.
    let quote = -1
    let quoteSearchedFrom = -1
    while (start < length) {
      let newline = buffer.indexOf('\n', start)
      if (newline < 0) {
        if (!final) return start
        newline = length
      }
      if (quoteSearchedFrom < 0 || (quote >= 0 && quote < start)) {
        quote = buffer.indexOf('"', start)
        quoteSearchedFrom = start
      }
      const lineEnd = newline > start && buffer.charCodeAt(newline - 1) === RETURN ? newline - 1 : newline
      if (lineEnd - start > MAX_RECORD_CHARS) {
        this.onError(this.line, `the line is longer than ${MAX_RECORD_CHARS} characters`, buffer.slice(start, start + RAW_KEPT_CHARS), 'record_too_long')
        this.line++
        start = newline + 1
        continue
      }
      if (quote < 0 || quote > newline) {
        if (this.skipLine?.() === true) {
          this.line++
          start = newline + 1
          continue
        }
        const raw = buffer.slice(start, lineEnd)
        this.onRow(raw.split(','), this.line, raw)
        this.line++
        start = newline + 1
        continue
      }
      const row = parseQuotedRow(buffer, start, final)
      if (row === null) return start
      let problem = typeof row === 'string' ? row : undefined
      if (problem === undefined && typeof row !== 'string' && row.innerNewlines > 0 && this.width > 0 && row.fields.length !== this.width) {
        problem = `a quoted field opened on this line runs over ${row.innerNewlines} line break(s) and leaves ${row.fields.length} fields, not ${this.width}: is a closing quote missing?`
      }
      if (problem !== undefined || typeof row === 'string') {
        // Resume at the next physical line: the rest of the file is read, with its own line numbers.
        if (newline === length && !final) return start
        this.onError(this.line, problem!, buffer.slice(start, Math.min(lineEnd, start + RAW_KEPT_CHARS)), 'quote_unclosed')
        this.line++
        start = newline + 1
        continue
      }
      this.onRow(row.fields, this.line, buffer.slice(start, row.rawEnd))
      this.line += 1 + row.innerNewlines
      start = row.next
    }
    return start
  }
}

/**
 * Character scanner for a record with quotes (lone CRs already LF). Returns null when the
 * buffer ends inside the record (more text is needed), or an error message when the record can
 * never be valid.
 */
function parseQuotedRow(buffer: string, start: number, final: boolean): QuotedRow | string | null {
  const fields: string[] = []
  const length = buffer.length
  let i = start
  let innerNewlines = 0
  for (;;) {
    if (i < length && buffer.charCodeAt(i) === QUOTE) {
      let value = ''
      let from = i + 1
      for (;;) {
        const close = buffer.indexOf('"', from)
        if (close < 0) {
          return final ? 'a quoted field opened on this line is not closed before the end of the file' : null
        }
        value += buffer.slice(from, close)
        innerNewlines += countNewlines(buffer, from, close)
        if (close + 1 < length && buffer.charCodeAt(close + 1) === QUOTE) {
          value += '"'
          from = close + 2
          continue
        }
        if (close + 1 >= length && !final) return null
        i = close + 1
        break
      }
      fields.push(value)
    } else {
      let j = i
      while (j < length) {
        const c = buffer.charCodeAt(j)
        if (c === COMMA || c === NEWLINE || c === RETURN) break
        if (c === QUOTE) return 'a quote appears inside an unquoted field (quote the whole field and double the quote)'
        j++
      }
      fields.push(buffer.slice(i, j))
      i = j
    }
    if (i >= length) {
      if (!final) return null
      return {fields, next: length, rawEnd: length, innerNewlines}
    }
    const c = buffer.charCodeAt(i)
    if (c === COMMA) {
      i++
      continue
    }
    if (c === NEWLINE) return {fields, next: i + 1, rawEnd: i, innerNewlines}
    // Lone CRs were made LF before scanning, so a CR here ends a CRLF.
    if (c === RETURN && i + 1 < length) return {fields, next: i + 2, rawEnd: i, innerNewlines}
    if (c === RETURN) return final ? {fields, next: length, rawEnd: i, innerNewlines} : null
    return 'text follows a closing quote (quote the whole field and double any quote inside it)'
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) count++
  return count
}

/** A record with no value in any field (a blank line, or `,,,` as Excel leaves under a table): skipped, and counted. */
export function isBlankRow(fields: readonly string[]): boolean {
  for (let k = 0; k < fields.length; k++) if (fields[k]!.trim() !== '') return false
  return true
}

export interface ParsedText {
  readonly rows: {fields: string[]; line: number}[]
  readonly errors: {line: number; message: string; raw: string; code: ParseErrorCode}[]
  /** Blank records left out of `rows`. */
  readonly skipped: number
}

/** Parses a whole text at once (for small files such as scheme packs); blank records are left out and counted. */
export function parseCsvText(text: string): ParsedText {
  const rows: {fields: string[]; line: number}[] = []
  const errors: {line: number; message: string; raw: string; code: ParseErrorCode}[] = []
  let skipped = 0
  const parser = new CsvParser(
    (fields, line) => {
      if (isBlankRow(fields)) skipped++
      else {
        if (rows.length === 0) parser.expectWidth(fields.length)
        rows.push({fields, line})
      }
    },
    (line, message, raw, code) => errors.push({line, message, raw, code}),
  )
  parser.push(stripBom(text))
  parser.end()
  return {rows, errors, skipped}
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
