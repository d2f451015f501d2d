/**
 * Byte streams to text and back, with backpressure: a file or stdin read in 64 KiB chunks and
 * decoded (UTF-8, BOM stripped, or GB18030), and a buffered writer to a file or stdout that
 * writes through a temporary name and renames only when the run succeeds.
 *
 *   for await (const text of readText('cases.csv', 'utf-8')) parser.push(text)
 *   const out = openOutput('grouped.csv'); out.write('a,b\n'); await out.flushIfFull(); await out.commit()
 */
import {createReadStream, createWriteStream, renameSync, rmSync, type WriteStream} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import type {Writable} from 'node:stream'
import {inputError, InputErrors} from '../errors.js'
import {type GuardedFile, outputMode} from './output-target.js'

export type TextEncoding = 'utf-8' | 'gb18030'
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'gb18030']

/**
 * Read and write in 64 KiB pieces. Measured on 1M cases: with 1 MiB chunks each young-generation
 * GC found a whole chunk's rows alive and promoted them, and peak RSS grew with the input
 * (204 MB at 100k cases, 310 MB at 1M); with 64 KiB it stays at ~180 MB for both, no slower.
 */
const CHUNK_BYTES = 1 << 16

/**
 * '-' is stdin. Yields decoded text; a byte sequence that is not valid in the encoding, or a
 * UTF-16 file, stops with an InputError. `onBytes` sees every chunk as read (to hash the file as
 * `sha256sum` would).
 */
export async function* readText(path: string, encoding: TextEncoding, onBytes?: (bytes: Buffer) => void): AsyncGenerator<string> {
  const stream = path === '-' ? process.stdin : createReadStream(path, {highWaterMark: CHUNK_BYTES})
  const decoder = new TextDecoder(encoding, {fatal: true})
  const label = path === '-' ? 'stdin' : path
  let bytes = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes?.(chunk)
      if (bytes === 0) refuseUtf16(chunk, label)
      yield decode(decoder, chunk, label, encoding, bytes)
      bytes += chunk.length
    }
    yield decode(decoder, undefined, label, encoding, bytes)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new InputErrors([inputError(label, 0, '', 'file_missing', 'no such file')])
    if (code === 'EISDIR' || code === 'EACCES') throw new InputErrors([inputError(label, 0, '', 'file_unreadable', `cannot read it (${code})`)])
    throw error
  }
}

/** Excel's "Unicode text" is UTF-16 with a byte order mark; name it rather than report bad bytes. */
export function refuseUtf16(bytes: Uint8Array, label: string): void {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputErrors([inputError(label, 0, '', 'file_unreadable', 'the file is UTF-16 (Excel "Unicode text")', 'save it as "CSV UTF-8" or CSV in GB18030 and pass --encoding gb18030')])
  }
}

function decode(decoder: TextDecoder, chunk: Buffer | undefined, label: string, encoding: TextEncoding, offset: number): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, {stream: true})
  } catch {
    const other = encoding === 'utf-8' ? 'gb18030' : 'utf-8'
    throw new InputErrors([
      inputError(label, 0, '', 'file_unreadable', `the bytes after offset ${offset} are not valid ${encoding}`, `is it ${other}? try --encoding ${other}`),
    ])
  }
}

/**
 * Buffered text output; to a file through `<name>.partial` renamed on commit, to a device or
 * FIFO in place, or to stdout with '-'. `guarded` files (the workspace, the inputs) are refused
 * as targets (see outputMode).
 */
export class TextOutput {
  private parts: string[] = []
  private size = 0
  private readonly stream: Writable
  private readonly path: string
  private readonly temporary: string | undefined
  /** A file or device this output opened (and so closes); stdout stays open. */
  private readonly owned: boolean
  private failure: Error | undefined

  constructor(path: string, flag = '--out', guarded: readonly GuardedFile[] = []) {
    this.path = path
    if (path === '-') {
      this.stream = process.stdout
      this.temporary = undefined
      this.owned = false
    } else {
      this.temporary = outputMode(path, flag, guarded) === 'in-place' ? undefined : join(dirname(path), `.${basename(path)}.partial-${process.pid}`)
      this.stream = createWriteStream(this.temporary ?? path, {flags: this.temporary === undefined ? 'a' : 'w'})
      this.owned = true
      this.stream.on('error', (error) => (this.failure ??= error))
    }
  }

  write(text: string): void {
    this.parts.push(text)
    this.size += text.length
  }

  /** Hands buffered text to the stream when there is enough of it, waiting if the stream is full. */
  async flushIfFull(): Promise<void> {
    if (this.size >= CHUNK_BYTES) await this.flush()
  }

  async flush(): Promise<void> {
    this.raise()
    if (this.parts.length === 0) return
    const text = this.parts.join('')
    this.parts = []
    this.size = 0
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done)
          this.stream.off('error', done)
          resolve()
        }
        this.stream.once('drain', done)
        this.stream.once('error', done)
      })
    }
    this.raise()
  }

  /** Bytes after the text so far (a whole .xlsx): the same temporary name and rename on commit. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush()
    if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once('drain', resolve))
    this.raise()
  }

  /** Flushes and, for a file, moves it into place. */
  async commit(): Promise<void> {
    await this.flush()
    if (!this.owned) return
    await this.close()
    this.raise()
    if (this.temporary !== undefined) renameSync(this.temporary, this.path)
  }

  /** Drops a file output (nothing is left behind); what stdout or a device already took stays written. */
  async abandon(): Promise<void> {
    if (!this.owned) {
      await this.flush().catch(() => undefined)
      return
    }
    await this.close()
    if (this.temporary !== undefined) rmSync(this.temporary, {force: true})
  }

  private close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.failure !== undefined || (this.stream as WriteStream).destroyed) resolve()
      else (this.stream as WriteStream).end(() => resolve())
    })
  }

  /** A write that failed (no space, no permission) is a file error naming the output. */
  private raise(): void {
    if (this.failure === undefined) return
    const code = (this.failure as NodeJS.ErrnoException).code ?? this.failure.message
    throw new InputErrors([inputError(this.path, 0, '', 'output_refused', `cannot write it (${code})`)])
  }
}

/** RFC 4180 field: quoted only when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k)
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${value.replace(/"/g, '""')}"`
  }
  return value
}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/

/**
 * A cell for a file a person opens in Excel or WPS: text that a spreadsheet would run as a
 * formula (starting with =, +, -, @, TAB or CR) gets a leading ' (OWASP); numbers, negative
 * ones too, stay numbers.
 */
export function spreadsheetSafe(value: string): string {
  if (value === '') return value
  const c = value.charCodeAt(0)
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return value
  return NUMBER.test(value) ? value : `'${value}`
}

/** A cell read back from a CSV this tool wrote: the ' that spreadsheetSafe put before a formula character comes off. */
export function spreadsheetText(value: string): string {
  if (value.charCodeAt(0) !== 39 || value.length < 2) return value
  const c = value.charCodeAt(1)
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? value.slice(1) : value
}

export function csvLine(values: readonly string[]): string {
  let line = ''
  for (let k = 0; k < values.length; k++) line += (k === 0 ? '' : ',') + csvField(values[k]!)
  return `${line}\n`
}
