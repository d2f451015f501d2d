/**
 * The workspace: one SQLite file in WAL mode, its schema migrated forward by the code.
 *
 *   openWorkspace({path: './yibao.db', create: true}) → {db, path, created: true, schemaVersion: 1}
 *
 * Path: `--db`, else `$YB_DB`, else `./yibao.db`.
 */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import type Database from 'better-sqlite3'
import {inputError, InputErrors} from '../errors.js'
import {MIGRATIONS} from './migrations.js'

export type Db = Database.Database

/**
 * better-sqlite3, loaded when a workspace is first opened: a command that never opens one (yb
 * group with a pack folder, and its workers) does not load it and its native module (~5 ms).
 */
const sqlite = (() => {
  let loaded: typeof Database | undefined
  return (): typeof Database => (loaded ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database)
})()

export const DEFAULT_DB = 'yibao.db'

export function workspacePath(flag: string | undefined): string {
  return flag ?? process.env.YB_DB ?? DEFAULT_DB
}

export interface Workspace {
  readonly db: Db
  readonly path: string
  readonly created: boolean
  readonly schemaVersion: number
}

export function openWorkspace(options: {path: string; create: boolean}): Workspace {
  const exists = existsSync(options.path)
  if (!exists && !options.create) {
    throw new InputErrors([
      inputError(options.path, 0, '', 'file_missing', 'there is no workspace here', `run \`yb init\` first, or pass --db <file> / set YB_DB`),
    ])
  }
  const db = new (sqlite())(options.path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  const schemaVersion = migrate(db)
  return {db, path: options.path, created: !exists, schemaVersion}
}

/** Applies every migration newer than the file's user_version, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', {simple: true}) as number
  if (current > MIGRATIONS.length) {
    throw new InputErrors([
      inputError(db.name, 0, '', 'format_unknown', `the workspace has schema version ${current}, newer than this yb knows (${MIGRATIONS.length})`, 'upgrade yb'),
    ])
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!)
      db.pragma(`user_version = ${version}`)
    })()
  }
  return MIGRATIONS.length
}

/**
 * Runs work in one transaction: BEGIN, then COMMIT, or ROLLBACK on any error. (better-sqlite3's
 * own db.transaction takes only synchronous work; an import or a run reads files between writes.)
 */
export async function withTransaction<T>(db: Db, work: () => Promise<T> | T): Promise<T> {
  // Inside another transaction (a simulation's), a savepoint: undone with it.
  const nested = db.inTransaction
  db.exec(nested ? 'SAVEPOINT nested' : 'BEGIN')
  try {
    const result = await work()
    db.exec(nested ? 'RELEASE nested' : 'COMMIT')
    return result
  } catch (error) {
    db.exec(nested ? 'ROLLBACK TO nested; RELEASE nested' : 'ROLLBACK')
    throw error
  }
}

/**
 * Runs `work` in a transaction that is always rolled back: what it writes (a draft policy, a
 * payment run) is read inside it and gone after, whatever happens. `yb simulate` pays a month so.
 */
export async function undone<T>(db: Db, work: () => Promise<T> | T): Promise<T> {
  db.exec('BEGIN IMMEDIATE')
  try {
    return await work()
  } finally {
    db.exec('ROLLBACK')
  }
}

/** A read-only connection to an existing workspace, for a worker thread that only reads (no migration, no writer). */
export function openReader(path: string): Db {
  const db = new (sqlite())(path, {readonly: true, fileMustExist: true})
  db.pragma('busy_timeout = 5000')
  return db
}
