/**
 * Scheme packs stored in the workspace, versioned per id. A pack is stored as its files, exactly
 * as imported, so loading it back runs the same validation as loading a folder.
 *
 *   saveScheme(db, pack, 'schemes/demo') → {id: 'demo', version: 1, created: true, …}
 *   saveScheme(db, pack, 'schemes/demo') → {id: 'demo', version: 1, created: false, …}   (same bytes: no-op)
 */
import {inputError, InputErrors} from '../errors.js'
import type {SchemePack} from '../grouper/pack-load.js'
import {packCounts, type PackCounts} from '../grouper/pack-summary.js'
import type {Db} from './db.js'

export interface StoredScheme {
  readonly id: string
  readonly version: number
  readonly sha256: string
  readonly name: string
  readonly kind: string
  readonly source: string
  readonly sourcePath: string
  readonly importedAt: string
  readonly counts: PackCounts
}

interface SchemeRow {
  scheme_id: string
  version: number
  sha256: string
  name: string
  kind: string
  source: string
  source_path: string
  imported_at: string
  counts_json: string
}

function fromRow(row: SchemeRow): StoredScheme {
  return {
    id: row.scheme_id,
    version: row.version,
    sha256: row.sha256,
    name: row.name,
    kind: row.kind,
    source: row.source,
    sourcePath: row.source_path,
    importedAt: row.imported_at,
    counts: JSON.parse(row.counts_json) as PackCounts,
  }
}

/** Stores a pack as the next version of its id; the same content again changes nothing. */
export function saveScheme(db: Db, pack: SchemePack, sourcePath: string, now: Date = new Date()): StoredScheme & {created: boolean} {
  return db.transaction(() => {
    const same = db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND sha256 = ?').get(pack.meta.id, pack.sha256) as SchemeRow | undefined
    if (same !== undefined) return {...fromRow(same), created: false}
    const last = db.prepare('SELECT MAX(version) AS v FROM scheme_version WHERE scheme_id = ?').get(pack.meta.id) as {v: number | null}
    const version = (last.v ?? 0) + 1
    db.prepare(
      `INSERT INTO scheme_version (scheme_id, version, sha256, name, kind, source, source_path, imported_at, counts_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(pack.meta.id, version, pack.sha256, pack.meta.name, pack.meta.kind, pack.meta.source, sourcePath, now.toISOString(), JSON.stringify(packCounts(pack)))
    const insert = db.prepare('INSERT INTO scheme_file (scheme_id, version, name, content) VALUES (?, ?, ?, ?)')
    for (const [name, content] of pack.files) insert.run(pack.meta.id, version, name, content)
    const stored = db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND version = ?').get(pack.meta.id, version) as SchemeRow
    return {...fromRow(stored), created: true}
  })()
}

/** Every stored version, newest version of each id first. */
export function listSchemes(db: Db): StoredScheme[] {
  return (db.prepare('SELECT * FROM scheme_version ORDER BY scheme_id, version DESC').all() as SchemeRow[]).map(fromRow)
}

/** `id` or `id@version`; without a version, the newest. */
export function findScheme(db: Db, ref: string): StoredScheme {
  const [id, versionText] = ref.split('@') as [string, string | undefined]
  const row = (
    versionText === undefined
      ? db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? ORDER BY version DESC LIMIT 1').get(id)
      : db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND version = ?').get(id, Number(versionText))
  ) as SchemeRow | undefined
  if (row === undefined) {
    const known = listSchemes(db).map((s) => `${s.id}@${s.version}`)
    throw new InputErrors([
      inputError(ref, 0, '', 'scheme_unknown', `no scheme "${ref}" in the workspace ${db.name}`, known.length > 0 ? `stored: ${known.join(', ')}` : 'import one with `yb scheme import <dir>`'),
    ])
  }
  return fromRow(row)
}

export function schemeFiles(db: Db, stored: StoredScheme): Map<string, string> {
  const rows = db.prepare('SELECT name, content FROM scheme_file WHERE scheme_id = ? AND version = ?').all(stored.id, stored.version) as {name: string; content: string}[]
  return new Map(rows.map((row) => [row.name, row.content]))
}
