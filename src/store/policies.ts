/**
 * Region policies stored in the workspace per year, versioned by content: the text exactly as
 * checked, so that a run can record which policy it used and reproduce it.
 *
 *   savePolicy(db, 2025, text, 'policy-2025.yaml') → {year: 2025, version: 1, created: true, sha256: '…'}
 */
import {createHash} from 'node:crypto'
import {inputError, InputErrors} from '../errors.js'
import type {Db} from './db.js'

export interface StoredPolicy {
  readonly year: number
  readonly version: number
  readonly sha256: string
  readonly sourcePath: string
  readonly text: string
  readonly importedAt: string
}

interface PolicyRow {
  year: number
  version: number
  sha256: string
  source_path: string
  text: string
  imported_at: string
}

const fromRow = (row: PolicyRow): StoredPolicy => ({year: row.year, version: row.version, sha256: row.sha256, sourcePath: row.source_path, text: row.text, importedAt: row.imported_at})

export function savePolicy(db: Db, year: number, text: string, sourcePath: string): StoredPolicy & {created: boolean} {
  const sha256 = createHash('sha256').update(text).digest('hex')
  return db.transaction(() => {
    const same = db.prepare('SELECT * FROM policy_version WHERE year = ? AND sha256 = ?').get(year, sha256) as PolicyRow | undefined
    if (same !== undefined) return {...fromRow(same), created: false}
    const last = db.prepare('SELECT MAX(version) AS v FROM policy_version WHERE year = ?').get(year) as {v: number | null}
    const version = (last.v ?? 0) + 1
    db.prepare('INSERT INTO policy_version (year, version, sha256, source_path, text, imported_at) VALUES (?, ?, ?, ?, ?, ?)').run(year, version, sha256, sourcePath, text, new Date().toISOString())
    return {...fromRow(db.prepare('SELECT * FROM policy_version WHERE year = ? AND version = ?').get(year, version) as PolicyRow), created: true}
  })()
}

/** The newest policy of a year; an error that says how to add one when there is none. */
export function currentPolicy(db: Db, year: number): StoredPolicy {
  const row = db.prepare('SELECT * FROM policy_version WHERE year = ? ORDER BY version DESC LIMIT 1').get(year) as PolicyRow | undefined
  if (row === undefined) {
    throw new InputErrors([inputError(db.name, 0, '', 'reference_unknown', `the workspace has no policy for ${year}`, `write one with \`yb policy init\`, then \`yb policy import <file>\``)])
  }
  return fromRow(row)
}

/** The newest policy of a year, or undefined when the workspace has none. */
export function latestPolicy(db: Db, year: number): StoredPolicy | undefined {
  const row = db.prepare('SELECT * FROM policy_version WHERE year = ? ORDER BY version DESC LIMIT 1').get(year) as PolicyRow | undefined
  return row === undefined ? undefined : fromRow(row)
}

/** Every stored version of a year's policy, oldest first (without their text). */
export function policyVersions(db: Db, year: number): Omit<StoredPolicy, 'text'>[] {
  return (db.prepare('SELECT * FROM policy_version WHERE year = ? ORDER BY version').all(year) as PolicyRow[]).map((row) => {
    const {text: _text, ...rest} = fromRow(row)
    return rest
  })
}

/** A draft as the year's newest version (an earlier version of the same text is moved to the top): only inside a simulation's rolled-back transaction (store/db.ts undone). */
export function saveDraftPolicy(db: Db, year: number, text: string, sourcePath: string): void {
  const next = ((db.prepare('SELECT MAX(version) AS v FROM policy_version WHERE year = ?').get(year) as {v: number | null}).v ?? 0) + 1
  const sha256 = createHash('sha256').update(text).digest('hex')
  const moved = db.prepare('UPDATE policy_version SET version = ? WHERE year = ? AND sha256 = ?').run(next, year, sha256)
  if (moved.changes === 0) db.prepare('INSERT INTO policy_version (year, version, sha256, source_path, text, imported_at) VALUES (?, ?, ?, ?, ?, ?)').run(year, next, sha256, sourcePath, text, new Date().toISOString())
}
