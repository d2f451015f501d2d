/**
 * Scheme packs stored in the workspace, versioned per id. A pack is stored as its files, exactly
 * as imported, so loading it back runs the same validation as loading a folder.
 *
 *   saveScheme(db, pack, 'schemes/demo') → {id: 'demo', version: 1, created: true, …}
 *   saveScheme(db, pack, 'schemes/demo') → {id: 'demo', version: 1, created: false, …}   (same bytes: no-op)
 */
import {inputError, InputErrors} from '../errors.js'
import type {DipCatalog} from '../grouper/dip-catalog.js'
import type {SchemePack} from '../grouper/pack-load.js'
import type {QcPack} from '../quality/qc-pack.js'
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
  readonly counts: PackCounts | Record<string, number>
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
    counts: JSON.parse(row.counts_json) as PackCounts | Record<string, number>,
  }
}

/** Stores a pack as the next version of its id; the same content again changes nothing. */
export function saveScheme(db: Db, pack: SchemePack, sourcePath: string, now: Date = new Date()): StoredScheme & {created: boolean} {
  const {id, name, kind, source} = pack.meta
  return saveVersioned(db, {id, name, kind, source, sha256: pack.sha256, files: pack.files, counts: packCounts(pack)}, sourcePath, now)
}

/** Stores a DIP catalog (kind 'dip') like a scheme pack: versioned per id, the same content again is a no-op. */
export function saveCatalog(db: Db, catalog: DipCatalog, sourcePath: string, now: Date = new Date()): StoredScheme & {created: boolean} {
  const counts = {groups: catalog.groups.length, core: 0, basic: 0, comprehensive: 0, procedures: catalog.pxClass.size}
  for (const group of catalog.groups) counts[group.type]++
  const {id, name, region} = catalog.meta
  return saveVersioned(db, {id, name, kind: 'dip', source: `${region} ${catalog.meta.year}`, sha256: catalog.sha256, files: catalog.files, counts}, sourcePath, now)
}

/** Stores a rules pack (kind 'qc') like a scheme pack: versioned per id, the same content again is a no-op. */
export function saveQcPack(db: Db, pack: QcPack, sourcePath: string, now: Date = new Date()): StoredScheme & {created: boolean} {
  const counts = {rules: pack.rules.length, errors: pack.rules.filter((r) => r.severity === 'error').length, lists: pack.lists.size}
  return saveVersioned(db, {id: pack.meta.id, name: pack.meta.name, kind: 'qc', source: pack.meta.source, sha256: pack.sha256, files: pack.files, counts}, sourcePath, now)
}

interface Versioned {
  readonly id: string
  readonly name: string
  readonly kind: string
  readonly source: string
  readonly sha256: string
  readonly files: ReadonlyMap<string, string>
  readonly counts: unknown
}

function saveVersioned(db: Db, item: Versioned, sourcePath: string, now: Date): StoredScheme & {created: boolean} {
  return db.transaction(() => {
    const other = db.prepare('SELECT kind FROM scheme_version WHERE scheme_id = ? AND kind <> ? LIMIT 1').get(item.id, item.kind) as {kind: string} | undefined
    if (other !== undefined) throw new InputErrors([inputError(sourcePath, 0, 'id', 'value_not_allowed', `id "${item.id}" is already used by a stored ${other.kind} scheme`, 'give this one another id')])
    const same = db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND sha256 = ?').get(item.id, item.sha256) as SchemeRow | undefined
    if (same !== undefined) return {...fromRow(same), created: false}
    const last = db.prepare('SELECT MAX(version) AS v FROM scheme_version WHERE scheme_id = ?').get(item.id) as {v: number | null}
    const version = (last.v ?? 0) + 1
    db.prepare(
      `INSERT INTO scheme_version (scheme_id, version, sha256, name, kind, source, source_path, imported_at, counts_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(item.id, version, item.sha256, item.name, item.kind, item.source, sourcePath, now.toISOString(), JSON.stringify(item.counts))
    const insert = db.prepare('INSERT INTO scheme_file (scheme_id, version, name, content) VALUES (?, ?, ?, ?)')
    for (const [name, content] of item.files) insert.run(item.id, version, name, content)
    const stored = db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND version = ?').get(item.id, version) as SchemeRow
    return {...fromRow(stored), created: true}
  })()
}

/** Every stored version of one kind ('drg' packs or 'dip' catalogs), newest version of each id first. */
export function listSchemes(db: Db, kind = 'drg'): StoredScheme[] {
  return (db.prepare('SELECT * FROM scheme_version WHERE kind = ? ORDER BY scheme_id, version DESC').all(kind) as SchemeRow[]).map(fromRow)
}

/** `id` or `id@version` of a kind; without a version, the newest. */
export function findScheme(db: Db, ref: string, kind = 'drg'): StoredScheme {
  const [id, versionText] = ref.split('@') as [string, string | undefined]
  const row = (
    versionText === undefined
      ? db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND kind = ? ORDER BY version DESC LIMIT 1').get(id, kind)
      : db.prepare('SELECT * FROM scheme_version WHERE scheme_id = ? AND kind = ? AND version = ?').get(id, kind, Number(versionText))
  ) as SchemeRow | undefined
  if (row === undefined) {
    const known = listSchemes(db, kind).map((s) => `${s.id}@${s.version}`)
    const what = kind === 'dip' ? 'DIP catalog' : kind === 'qc' ? 'quality rules' : 'scheme'
    throw new InputErrors([
      inputError(ref, 0, '', 'scheme_unknown', `no ${what} "${ref}" in the workspace ${db.name}`, known.length > 0 ? `stored: ${known.join(', ')}` : `import one with \`yb ${kind === 'dip' ? 'dip' : kind === 'qc' ? 'qc' : 'scheme'} import <dir>\``),
    ])
  }
  return fromRow(row)
}

export function schemeFiles(db: Db, stored: StoredScheme): Map<string, string> {
  const rows = db.prepare('SELECT name, content FROM scheme_file WHERE scheme_id = ? AND version = ?').all(stored.id, stored.version) as {name: string; content: string}[]
  return new Map(rows.map((row) => [row.name, row.content]))
}
