/**
 * Where an output file may go. A regular file (or a new name) is written through a temporary
 * name and renamed into place; a device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named
 * pipe) is written in place, never renamed over; a folder, a missing folder, or a file that is
 * the workspace or one of the run's inputs (the same file by device and inode, or by path) is
 * refused before anything is written.
 *
 *   outputMode('rej.csv', '--rejects', [{path: 'cases.csv', what: 'the input file'}]) → 'replace'
 *   outputMode('/dev/null', '--out', [])                                           → 'in-place'
 *   outputMode('cases.csv', '--rejects', [{path: 'cases.csv', what: 'the input file'}]) → InputErrors
 */
import {type Stats, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {inputError, InputErrors} from '../errors.js'

export interface GuardedFile {
  readonly path: string
  /** How the refusal names it: "the workspace", "the input file". */
  readonly what: string
}

export type OutputMode = 'replace' | 'in-place'

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

/** The workspace file and the files SQLite keeps beside it. */
export function workspaceFiles(dbPath: string): GuardedFile[] {
  return ['', '-wal', '-shm', '-journal'].map((suffix) => ({path: `${dbPath}${suffix}`, what: 'the workspace'}))
}

export function outputMode(path: string, flag: string, guarded: readonly GuardedFile[]): OutputMode {
  const refuse = (reason: string, hint?: string): never => {
    throw new InputErrors([inputError(path, 0, flag, 'output_refused', reason, hint)])
  }
  const target = statOf(path)
  for (const guard of guarded) {
    if (guard.path === '' || guard.path === '-' || guard.path === ':memory:') continue
    const other = statOf(guard.path)
    const same = target !== undefined && other !== undefined ? target.dev === other.dev && target.ino === other.ino : resolve(path) === resolve(guard.path)
    if (same) refuse(`${flag} ${path} is ${guard.what}; writing there would destroy it`, 'name another file')
  }
  if (target === undefined) {
    const folder = statOf(dirname(resolve(path)))
    if (folder === undefined || !folder.isDirectory()) refuse(`the folder ${dirname(path)} does not exist`, 'create it first')
    return 'replace'
  }
  if (target.isDirectory()) refuse(`${path} is a folder`, 'name a file inside it')
  return target.isFile() ? 'replace' : 'in-place'
}
