/**
 * Files written piece by piece, for statements too big to hold: hashed as written (SHA-256 of
 * the bytes), a CSV in the statement's encoding with every cell safe for a spreadsheet, and a
 * worksheet deflated as its XML comes (the same bytes as deflating it whole).
 *
 *   const csv = new CsvFile('a_明细.csv', 'utf-8'); csv.row(['结算流水号', …]); csv.close() → 'sha256 hex'
 */
import {createHash} from 'node:crypto'
import {closeSync, openSync, readSync, rmSync, writeSync} from 'node:fs'
import {crc32, createDeflateRaw} from 'node:zlib'
import iconv from 'iconv-lite'
import {csvField, spreadsheetSafe, type TextEncoding} from './text-stream.js'
import type {DeflatedEntry} from './zip.js'

/** Text gathered before it is handed on (encoded, deflated, written). */
const PIECE_CHARS = 1 << 18

/** A file written piece by piece and hashed as written. */
export class HashedFile {
  private readonly fd: number
  private readonly hash = createHash('sha256')

  constructor(path: string) {
    this.fd = openSync(path, 'w')
  }

  write(bytes: Buffer): void {
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at)
    this.hash.update(bytes)
  }

  close(): string {
    closeSync(this.fd)
    return this.hash.digest('hex')
  }
}

/** A CSV for a person: a BOM first in UTF-8 (else GB18030), every cell safe for a spreadsheet (spreadsheetSafe), quoted only when it must be. */
export class CsvFile {
  private readonly file: HashedFile
  private readonly encoding: TextEncoding
  private text = ''

  constructor(path: string, encoding: TextEncoding) {
    this.file = new HashedFile(path)
    this.encoding = encoding
    if (encoding === 'utf-8') this.file.write(Buffer.from([0xef, 0xbb, 0xbf]))
  }

  row(cells: readonly string[]): void {
    let line = ''
    for (let k = 0; k < cells.length; k++) line += (k === 0 ? '' : ',') + csvField(spreadsheetSafe(cells[k]!))
    this.text += `${line}\n`
    if (this.text.length >= PIECE_CHARS) this.flush()
  }

  close(): string {
    this.flush()
    return this.file.close()
  }

  private flush(): void {
    if (this.text === '') return
    this.file.write(this.encoding === 'utf-8' ? Buffer.from(this.text, 'utf8') : iconv.encode(this.text, 'gb18030'))
    this.text = ''
  }
}

/** A worksheet deflated as its XML is written, into a temporary file, to be copied into the workbook's zip. */
export class DeflatedSheet {
  private readonly deflate
  private readonly fd: number
  private readonly path: string
  private text = ''
  private crc = 0
  private size = 0
  private compressedSize = 0

  constructor(path: string, level: number) {
    this.path = path
    this.fd = openSync(path, 'w')
    this.deflate = createDeflateRaw({level})
    this.deflate.on('data', (chunk: Buffer) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(this.fd, chunk, at)
      this.compressedSize += chunk.length
    })
  }

  async write(xml: string): Promise<void> {
    this.text += xml
    if (this.text.length >= PIECE_CHARS) await this.push()
  }

  /** The whole sheet is written: its entry, read back from the temporary file when the zip is written. */
  async end(name: string): Promise<DeflatedEntry & {readonly remove: () => void}> {
    await this.push()
    const ended = new Promise<void>((resolve, reject) => {
      this.deflate.once('end', resolve)
      this.deflate.once('error', reject)
    })
    this.deflate.end()
    await ended
    closeSync(this.fd)
    const path = this.path
    return {name, crc: this.crc, size: this.size, compressedSize: this.compressedSize, compressed: readPieces(path), remove: () => rmSync(path, {force: true})}
  }

  private async push(): Promise<void> {
    if (this.text === '') return
    const bytes = Buffer.from(this.text, 'utf8')
    this.text = ''
    this.crc = crc32(bytes, this.crc)
    this.size += bytes.length
    if (!this.deflate.write(bytes)) await new Promise<void>((resolve) => this.deflate.once('drain', resolve))
  }
}

function* readPieces(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(1 << 20)
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) yield Buffer.from(buffer.subarray(0, n))
  } finally {
    closeSync(fd)
  }
}

