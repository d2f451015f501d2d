/**
 * A small text file read whole (a scheme or DIP pack file, a policy, an assessment), decoded the
 * one way that is safe to guess: UTF-8, with or without a BOM. A UTF-16 file, or bytes that are
 * not UTF-8 (a GB18030 export, most often), are an InputError that says so — never text with
 * U+FFFD in place of the Chinese.
 *
 *   readTextFile('policy-2025.yaml') → 'year: 2025\n…'
 */
import {readFileSync} from 'node:fs'
import {inputError, InputErrors} from '../errors.js'
import {refuseUtf16} from './text-stream.js'

export function readTextFile(path: string, label = path): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputErrors([inputError(label, 0, '', code === 'ENOENT' ? 'file_missing' : 'file_unreadable', code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? 'error'})`)])
  }
  return decodeUtf8(bytes, label)
}

export function decodeUtf8(bytes: Uint8Array, label: string): string {
  refuseUtf16(bytes, label)
  try {
    // TextDecoder drops a UTF-8 BOM.
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    const at = firstInvalidUtf8(bytes)
    const line = countLines(bytes, at)
    throw new InputErrors([
      inputError(label, line, '', 'file_unreadable', `the bytes at offset ${at} are not UTF-8 (is the file GB18030/GBK, as Excel and WPS save Chinese CSV?)`, 'save it as UTF-8 (in Excel: "CSV UTF-8"; or iconv -f GB18030 -t UTF-8)'),
    ])
  }
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1
  for (let k = 0; k < end; k++) if (bytes[k] === 10) line++
  return line
}

/** The offset of the first byte that does not begin or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let k = 0
  while (k < bytes.length) {
    const b = bytes[k]!
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0
    if (length === 0 || k + length > bytes.length) return k
    for (let j = 1; j < length; j++) if ((bytes[k + j]! & 0xc0) !== 0x80) return k
    k += length
  }
  return k
}
