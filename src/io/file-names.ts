/**
 * Output file names built from ids that come from input files (an institution id, a region
 * code): only letters, digits, '-', '_' and '.' survive (anything else, a path separator or NUL
 * among them, becomes '_'), each part is capped, and a part that had to change carries a short
 * hash of the original so two ids never share a file. The original id stays inside the file.
 *
 *   namePart('H001')                 → 'H001'
 *   namePart('/../../ESCAPED')       → '_.._.._ESCAPED~1c0f4e2a'
 *   fileInside('out', 'a_汇总.csv')   → 'out/a_汇总.csv' (an assertion failure if it would leave out/)
 */
import {createHash} from 'node:crypto'
import {isAbsolute, join, relative, resolve} from 'node:path'
import {assert} from '../errors.js'

/** Bytes of one id in a file name: with the other parts the name stays far below the 255 bytes a file system allows. */
const PART_MAX_BYTES = 64

export function namePart(id: string): string {
  let safe = id.replace(/[^\p{L}\p{N}_.-]/gu, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length))
  if (safe === '') safe = '_'
  while (Buffer.byteLength(safe, 'utf8') > PART_MAX_BYTES) safe = [...safe].slice(0, -1).join('')
  return safe === id ? id : `${safe}~${createHash('sha256').update(id).digest('hex').slice(0, 8)}`
}

/** The path of `name` in `folder`; a name that would resolve outside it is a bug (names come from namePart). */
export function fileInside(folder: string, name: string): string {
  const path = join(folder, name)
  const from = relative(resolve(folder), resolve(path))
  assert(from !== '' && !from.startsWith('..') && !isAbsolute(from) && !from.includes('/') && Buffer.byteLength(name, 'utf8') <= 255, `output file ${JSON.stringify(name)} stays inside ${folder}`)
  return path
}
