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

/** Text gathered before it is handed on (encoded, deflated, written): characters for GB18030, bytes for UTF-8. */
const PIECE_CHARS = 1 << 18
const PIECE_BYTES = 1 << 19
/** Deflated bytes of a sheet held in memory before they go to a temporary file. */
const HELD_BYTES = 8 << 20

/** A file written piece by piece and hashed as written. */
export class HashedFile {
  private readonly fd: number
  private readonly hash = createHash('sha256')

  constructor(path: string) {
    this.fd = openSync(path, 'w')
  }

  write(bytes: Buffer): void {
    writeAll(this.fd, bytes)
    this.hash.update(bytes)
  }

  close(): string {
    closeSync(this.fd)
    return this.hash.digest('hex')
  }
}

/** Text encoded as UTF-8 into pieces of PIECE_BYTES, each handed on once full: no long string is built and encoded again. */
class Utf8Pieces {
  private piece = Buffer.allocUnsafe(PIECE_BYTES)
  private used = 0

  /** `text`'s bytes are added; returns a full piece to hand on first (a new piece is used from then on), or undefined. */
  add(text: string): Buffer | undefined {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 <= PIECE_BYTES) {
      this.used += this.piece.write(text, this.used, 'utf8')
      return undefined
    }
    const full = this.take()
    if (text.length * 3 > PIECE_BYTES) return full === undefined ? Buffer.from(text, 'utf8') : Buffer.concat([full, Buffer.from(text, 'utf8')])
    this.used = this.piece.write(text, 0, 'utf8')
    return full
  }

  /** The bytes not handed on yet (a new piece is used from then on), or undefined when there are none. */
  take(): Buffer | undefined {
    if (this.used === 0) return undefined
    const bytes = this.piece.subarray(0, this.used)
    this.piece = Buffer.allocUnsafe(PIECE_BYTES)
    this.used = 0
    return bytes
  }
}

/** A CSV for a person: a BOM first in UTF-8 (else GB18030), every cell safe for a spreadsheet (spreadsheetSafe), quoted only when it must be. */
export class CsvFile {
  private readonly file: HashedFile
  private readonly encoding: TextEncoding
  private readonly utf8 = new Utf8Pieces()
  private text = ''

  constructor(path: string, encoding: TextEncoding) {
    this.file = new HashedFile(path)
    this.encoding = encoding
    if (encoding === 'utf-8') this.file.write(Buffer.from([0xef, 0xbb, 0xbf]))
  }

  row(cells: readonly string[]): void {
    let line = ''
    for (let k = 0; k < cells.length; k++) line += (k === 0 ? '' : ',') + csvField(spreadsheetSafe(cells[k]!))
    line += '\n'
    if (this.encoding === 'utf-8') {
      const full = this.utf8.add(line)
      if (full !== undefined) this.file.write(full)
      return
    }
    this.text += line
    if (this.text.length >= PIECE_CHARS) this.flush()
  }

  close(): string {
    this.flush()
    return this.file.close()
  }

  private flush(): void {
    const bytes = this.encoding === 'utf-8' ? this.utf8.take() : this.text === '' ? undefined : iconv.encode(this.text, 'gb18030')
    this.text = ''
    if (bytes !== undefined) this.file.write(bytes)
  }
}

/**
 * A worksheet deflated as its XML is written, to be copied into the workbook's zip. The deflated
 * bytes are held while they are few (most institutions' sheets), and go to a temporary file
 * beyond HELD_BYTES, so that memory stays flat for an institution of a million cases; creating
 * and removing a file per institution cost up to a millisecond each on this disk.
 */
export class DeflatedSheet {
  private readonly deflate
  private readonly path: string
  private readonly utf8 = new Utf8Pieces()
  private held: Buffer[] = []
  private fd: number | undefined
  private crc = 0
  private size = 0
  private compressedSize = 0

  /** `path`: the temporary file, made only if the deflated sheet grows beyond `heldBytes`. */
  constructor(path: string, level: number, heldBytes = HELD_BYTES) {
    this.path = path
    this.deflate = createDeflateRaw({level})
    this.deflate.on('data', (chunk: Buffer) => {
      this.compressedSize += chunk.length
      if (this.fd === undefined && this.compressedSize <= heldBytes) {
        this.held.push(chunk)
        return
      }
      if (this.fd === undefined) {
        this.fd = openSync(this.path, 'w')
        for (const piece of this.held) writeAll(this.fd, piece)
        this.held = []
      }
      writeAll(this.fd, chunk)
    })
  }

  /** A promise only when a full piece went to the deflater and it asks to be waited for (a 明细 row is otherwise no microtask). */
  write(xml: string): Promise<void> | undefined {
    const full = this.utf8.add(xml)
    return full === undefined ? undefined : this.push(full)
  }

  /** The whole sheet is written: its entry (held, or read back from the temporary file when the zip is written). */
  async end(name: string): Promise<DeflatedEntry & {readonly remove: () => void}> {
    const last = this.utf8.take()
    if (last !== undefined) await this.push(last)
    const ended = new Promise<void>((resolve, reject) => {
      this.deflate.once('end', resolve)
      this.deflate.once('error', reject)
    })
    this.deflate.end()
    await ended
    const {path, fd} = this
    if (fd === undefined) return {name, crc: this.crc, size: this.size, compressedSize: this.compressedSize, compressed: this.held, remove: () => {}}
    closeSync(fd)
    return {name, crc: this.crc, size: this.size, compressedSize: this.compressedSize, compressed: readPieces(path), remove: () => rmSync(path, {force: true})}
  }

  private push(bytes: Buffer): Promise<void> | undefined {
    this.crc = crc32(bytes, this.crc)
    this.size += bytes.length
    return this.deflate.write(bytes) ? undefined : new Promise<void>((resolve) => this.deflate.once('drain', resolve))
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
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

