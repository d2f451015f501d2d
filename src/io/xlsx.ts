/**
 * A small SpreadsheetML (.xlsx) writer and reader: what the statements need and nothing else.
 *
 * The writer makes text cells (inline strings), numbers from exact decimal text (shown with
 * thousands separators and their own number of decimals: #,##0.00 for 元, #,##0.0000 for a
 * weight at 4 places), and formulas with their cached result. Every row and cell carries its
 * reference (`r="B7"`), which many readers (exceljs among them) need; empty cells are left out.
 * The header row is bold and frozen, columns are sized by display width, and the workbook asks
 * to be recalculated when opened (so a 校验 formula shows 不通过 once someone edits a total). No
 * authors or timestamps of its own are written: the same sheets give the same bytes.
 *
 * The reader takes what Excel, WPS or this writer save (shared or inline strings, numbers,
 * formulas' cached values) and returns every sheet as rows of text.
 *
 *   writeXlsx([{name: '汇总', rows: [['机构编码', '金额'], ['H001', {n: '12.30'}]]}]) → <Buffer 50 4b …>
 *   readXlsx(bytes, 'a.xlsx').get('汇总') → [['机构编码', '金额'], ['H001', '12.3']]
 */
import {displayWidth} from './display-width.js'
import {inputError, InputErrors} from '../errors.js'
import {readZip, writeZip} from './zip.js'

/** Decimals a number cell may be shown with (its format #,##0 to #,##0.0000000000). */
export type XlsxPlaces = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10
export const XLSX_PLACES_MAX = 10

/** A number given as exact decimal text; `places` picks the display format (default 2). */
export interface XlsxNumber {
  readonly n: string
  readonly places?: XlsxPlaces
}

/** A number cell for decimal text, shown with as many decimals as the text has (a rate at its scale). */
export function decimalCell(text: string): XlsxNumber {
  const places = Math.min(XLSX_PLACES_MAX, text.split('.')[1]?.length ?? 0) as XlsxPlaces
  return {n: text, places}
}

/** True for plain decimal text (-12, 0.85, 1234.50): what may become a number cell without changing its value. */
export function isDecimalText(text: string): boolean {
  return /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,10})?$/.test(text)
}
/** A formula (without '=') and the result it has now, as text or a number. */
export interface XlsxFormula {
  readonly f: string
  readonly cached: string | XlsxNumber
}
export type XlsxCell = string | XlsxNumber | XlsxFormula | null

export interface XlsxSheet {
  readonly name: string
  /** The first row is the header (bold, frozen). */
  readonly rows: readonly (readonly XlsxCell[])[]
}

/** Cell styles: 0 text, 1 the bold header, 2 + p a number with p decimals. */
const STYLE = {text: 0, header: 1, numberBase: 2} as const

/** 'A' for 0, 'AB' for 27. */
export function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

const XML_ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}
const escapeXml = (text: string): string => (/[&<>"]/.test(text) ? text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!) : text)

/** Whether a text needs xml:space="preserve" to keep its whitespace (at an end, doubled, a tab or line break): most cells do not, and a 明细 row is a fifth shorter without it. */
function keepsSpace(text: string): boolean {
  return text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32 || text.includes('  ') || text.includes('\t') || text.includes('\n') || text.includes('\r')
}

function numberStyle(places: XlsxPlaces | undefined): number {
  return STYLE.numberBase + (places ?? 2)
}

/** One cell at `ref` (A1); '' for an empty cell, which is left out. */
function cellXml(cell: XlsxCell, ref: string, header: boolean): string {
  if (cell === null || cell === '') return ''
  if (typeof cell === 'string') return `<c r="${ref}" t="inlineStr"${header ? ` s="${STYLE.header}"` : ''}><is><t${keepsSpace(cell) ? ' xml:space="preserve"' : ''}>${escapeXml(cell)}</t></is></c>`
  if ('n' in cell) return `<c r="${ref}" s="${numberStyle(cell.places)}"><v>${cell.n}</v></c>`
  const cached = cell.cached
  return typeof cached === 'string'
    ? `<c r="${ref}" t="str"><f>${escapeXml(cell.f)}</f><v>${escapeXml(cached)}</v></c>`
    : `<c r="${ref}" s="${numberStyle(cached.places)}"><f>${escapeXml(cell.f)}</f><v>${cached.n}</v></c>`
}

function displayText(cell: XlsxCell): string {
  if (cell === null) return ''
  if (typeof cell === 'string') return cell
  if ('n' in cell) return cell.n
  return typeof cell.cached === 'string' ? cell.cached : cell.cached.n
}

/** How many rows, the header first, size the columns. */
export const WIDTH_ROWS = 50

/** Column widths by display width, from the first WIDTH_ROWS rows: enough to size them, and fast on big sheets. */
export function columnWidths(rows: readonly (readonly XlsxCell[])[]): number[] {
  const widths: number[] = []
  for (const row of rows.slice(0, WIDTH_ROWS)) {
    row.forEach((cell, k) => {
      widths[k] = Math.max(widths[k] ?? 6, Math.min(60, displayWidth(displayText(cell)) + 2))
    })
  }
  return widths
}

/** A worksheet's XML up to its first row. */
export function sheetHead(widths: readonly number[]): string {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
  ]
  if (widths.length > 0) parts.push(`<cols>${widths.map((w, k) => `<col min="${k + 1}" max="${k + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`)
  parts.push('<sheetData>')
  return parts.join('')
}

/** Column letters of the first columns, made once (a statement writes millions of cells). */
const COLUMN_NAMES = Array.from({length: 64}, (_, k) => columnName(k))

/** Row `rowNumber`'s XML (1-based, as the sheet numbers it); the header row (row 1) is bold. */
export function rowXml(row: readonly XlsxCell[], rowNumber: number): string {
  const header = rowNumber === 1
  let xml = `<row r="${rowNumber}">`
  for (let k = 0; k < row.length; k += 1) xml += cellXml(row[k]!, `${COLUMN_NAMES[k] ?? columnName(k)}${rowNumber}`, header)
  return `${xml}</row>`
}

export const SHEET_TAIL = '</sheetData></worksheet>'

export function sheetXml(sheet: XlsxSheet): string {
  return sheetHead(columnWidths(sheet.rows)) + sheet.rows.map((row, r) => rowXml(row, r + 1)).join('') + SHEET_TAIL
}

const NUMBER_FORMATS = Array.from({length: XLSX_PLACES_MAX + 1}, (_, p) => `#,##0${p === 0 ? '' : `.${'0'.repeat(p)}`}`)
const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  `<numFmts count="${NUMBER_FORMATS.length}">${NUMBER_FORMATS.map((code, p) => `<numFmt numFmtId="${164 + p}" formatCode="${code}"/>`).join('')}</numFmts>` +
  '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  `<cellXfs count="${STYLE.numberBase + NUMBER_FORMATS.length}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
  NUMBER_FORMATS.map((_, p) => `<xf numFmtId="${164 + p}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join('') +
  '</cellXfs></styleSheet>'

/** The zip entry of sheet k (0-based). */
export function sheetEntryName(k: number): string {
  return `xl/worksheets/sheet${k + 1}.xml`
}

/** The entries of a workbook other than its sheets, for sheets of these names. */
export function workbookEntries(names: readonly string[]): {name: string; data: Buffer}[] {
  for (const name of names) if (name.length === 0 || name.length > 31 || /[\\/?*[\]:]/.test(name)) throw new RangeError(`"${name}" is not a valid sheet name`)
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    names.map((_, k) => `<Override PartName="/${sheetEntryName(k)}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '</Types>'
  const rootRels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
  const workbook =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<sheets>${names.map((name, k) => `<sheet name="${escapeXml(name)}" sheetId="${k + 1}" r:id="rId${k + 1}"/>`).join('')}</sheets>` +
    '<calcPr calcId="0" fullCalcOnLoad="1"/></workbook>'
  const workbookRels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    names.map((_, k) => `<Relationship Id="rId${k + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${k + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
  return [
    {name: '[Content_Types].xml', data: Buffer.from(contentTypes)},
    {name: '_rels/.rels', data: Buffer.from(rootRels)},
    {name: 'xl/workbook.xml', data: Buffer.from(workbook)},
    {name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(workbookRels)},
    {name: 'xl/styles.xml', data: Buffer.from(STYLES_XML)},
  ]
}

export function writeXlsx(sheets: readonly XlsxSheet[], level = 6): Buffer {
  return writeZip([...workbookEntries(sheets.map((s) => s.name)), ...sheets.map((sheet, k) => ({name: sheetEntryName(k), data: Buffer.from(sheetXml(sheet))}))], level)
}

const XML_ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"}
function unescapeXml(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, name: string) => {
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : -1
    if (code < 0) return XML_ENTITIES[name] ?? whole
    // A reference to no character (beyond U+10FFFF, a surrogate) is malformed XML: the reader reports the file.
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new RangeError(`&${name}; is not a character`)
    return String.fromCodePoint(code)
  })
}

/** The text of every <t> inside a fragment (a shared string or an inline string, rich text runs joined). */
function textRuns(fragment: string): string {
  let text = ''
  for (const match of fragment.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)) text += match[1]
  return unescapeXml(text)
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
}

/** The limits of a worksheet (Excel's own) and of what a returned statement may hold. */
export const XLSX_LIMITS = {rows: 1_048_576, columns: 16_384, cells: 30_000_000} as const

function columnIndex(ref: string): number {
  let index = 0
  for (const ch of ref) {
    const code = ch.charCodeAt(0)
    if (code < 65 || code > 90) break
    index = index * 26 + (code - 64)
    if (index > XLSX_LIMITS.columns) return XLSX_LIMITS.columns
  }
  return index - 1
}

/**
 * The elements `<tag …>…</tag>` or `<tag …/>` of a fragment, in order: their attributes and
 * body. A linear scan (indexOf, not a backtracking pattern), so that a file of unclosed tags
 * costs one pass; an element that is never closed is an error.
 */
function* elements(xml: string, tag: string, bad: (reason: string) => Error): Generator<{attrs: string; body: string}> {
  const open = `<${tag}`
  const close = `</${tag}>`
  let at = xml.indexOf(open)
  while (at >= 0) {
    const next = xml.charCodeAt(at + open.length)
    // <row> but not <rowBreaks>: the name ends at a space, '>' or '/'.
    if (next !== 32 && next !== 62 && next !== 47 && next !== 9 && next !== 10 && next !== 13) {
      at = xml.indexOf(open, at + open.length)
      continue
    }
    const tagEnd = xml.indexOf('>', at)
    if (tagEnd < 0) throw bad(`a <${tag}> tag is not closed`)
    const selfClosing = xml.charCodeAt(tagEnd - 1) === 47
    const attrs = xml.slice(at + open.length, selfClosing ? tagEnd - 1 : tagEnd)
    if (selfClosing) {
      yield {attrs, body: ''}
      at = xml.indexOf(open, tagEnd + 1)
      continue
    }
    const end = xml.indexOf(close, tagEnd + 1)
    if (end < 0) throw bad(`a <${tag}> element is not closed`)
    yield {attrs, body: xml.slice(tagEnd + 1, end)}
    at = xml.indexOf(open, end + close.length)
  }
}

/**
 * Every sheet of an .xlsx by name, as rows of cell text (numbers as written, formulas by their
 * cached value). Bounded: a damaged, hostile or oversized file (a zip bomb, a row or column
 * index beyond Excel's, too many cells) is an InputError naming the file, never a crash.
 */
export function readXlsx(bytes: Buffer, file: string): Map<string, string[][]> {
  const bad = (reason: string) => new InputErrors([inputError(file, 0, '', 'file_unreadable', `not a readable .xlsx: ${reason}`)])
  const entries = readZip(bytes, file)
  try {
    return readSheets(entries, bad)
  } catch (error) {
    if (error instanceof InputErrors) throw error
    throw bad(`damaged content (${(error as Error).name}: ${(error as Error).message})`)
  }
}

function readSheets(entries: ReadonlyMap<string, Buffer>, bad: (reason: string) => InputErrors): Map<string, string[][]> {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  const text = (name: string): string | undefined => {
    const data = entries.get(name)
    if (data === undefined) return undefined
    try {
      return decoder.decode(data)
    } catch {
      throw bad(`${name} is not UTF-8 XML`)
    }
  }
  const workbook = text('xl/workbook.xml')
  const rels = text('xl/_rels/workbook.xml.rels')
  if (workbook === undefined || rels === undefined) throw bad('not an .xlsx workbook (no xl/workbook.xml)')
  const targets = new Map<string, string>()
  for (const {attrs} of elements(rels, 'Relationship', bad)) {
    const id = attribute(attrs, 'Id')
    const target = attribute(attrs, 'Target')
    if (id !== undefined && target !== undefined) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`)
  }
  const shared: string[] = []
  for (const {body} of elements(text('xl/sharedStrings.xml') ?? '', 'si', bad)) shared.push(textRuns(body))
  const sheets = new Map<string, string[][]>()
  let cellCount = 0
  for (const {attrs: sheetAttrs} of elements(workbook, 'sheet', bad)) {
    const name = unescapeXml(attribute(sheetAttrs, 'name') ?? '')
    const path = targets.get(attribute(sheetAttrs, 'r:id') ?? '')
    const xml = path === undefined ? undefined : text(path)
    if (xml === undefined) continue
    const rows: string[][] = []
    for (const row of elements(xml, 'row', bad)) {
      const rowNumber = attribute(row.attrs, 'r')
      if (rowNumber !== undefined) {
        const r = Number(rowNumber)
        if (!Number.isInteger(r) || r < 1 || r > XLSX_LIMITS.rows || r <= rows.length) throw bad(`sheet ${name}: row number ${rowNumber} is out of order or beyond ${XLSX_LIMITS.rows}`)
        // A row number skips empty rows: keep positions so row k of the sheet is rows[k - 1].
        while (rows.length < r - 1) rows.push([])
      }
      if (rows.length >= XLSX_LIMITS.rows) throw bad(`sheet ${name} has more than ${XLSX_LIMITS.rows} rows`)
      const cells: string[] = []
      for (const cell of elements(row.body, 'c', bad)) {
        const ref = attribute(cell.attrs, 'r')
        const position = ref === undefined ? cells.length : columnIndex(ref)
        if (position < 0 || position >= XLSX_LIMITS.columns) throw bad(`sheet ${name} row ${rows.length + 1}: cell ${ref ?? ''} is beyond column ${XLSX_LIMITS.columns}`)
        if (position < cells.length && ref !== undefined) throw bad(`sheet ${name} row ${rows.length + 1}: cell ${ref} is out of order`)
        cellCount += position + 1 - cells.length
        if (cellCount > XLSX_LIMITS.cells) throw bad(`more than ${XLSX_LIMITS.cells} cells`)
        while (cells.length < position) cells.push('')
        const type = attribute(cell.attrs, 't')
        const value = /<v>([^<]*)<\/v>/.exec(cell.body)?.[1]
        cells[position] = type === 'inlineStr' ? textRuns(cell.body) : type === 's' ? (shared[Number(value)] ?? '') : unescapeXml(value ?? '')
      }
      rows.push(cells)
    }
    sheets.set(name, rows)
  }
  return sheets
}
