/**
 * `--scheme <id|dir>`: a folder holding a pack, or the id (optionally `id@version`) of a pack
 * stored in the workspace. Loading validates the whole pack; any error stops the command.
 *
 *   openScheme('data/schemes/demo', undefined) → {pack, scheme, origin: 'dir', label: 'data/schemes/demo'}
 */
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {InputErrors} from '../errors.js'
import {compileScheme, type CompiledScheme} from '../grouper/compile-scheme.js'
import {dirPackSource, loadPack, mapPackSource, type SchemePack} from '../grouper/pack-load.js'
import {openWorkspace, workspacePath} from '../store/db.js'
import {findScheme, schemeFiles} from '../store/schemes.js'

export interface OpenedScheme {
  readonly pack: SchemePack
  readonly scheme: CompiledScheme
  readonly origin: 'dir' | 'workspace'
  readonly label: string
}

export function loadSchemePack(ref: string, dbFlag: string | undefined): {pack: SchemePack; origin: 'dir' | 'workspace'; label: string} {
  const isDir = existsSync(ref) && statSync(ref).isDirectory()
  let source
  if (isDir) {
    source = dirPackSource(ref)
  } else {
    const {db} = openWorkspace({path: workspacePath(dbFlag), create: false})
    try {
      const stored = findScheme(db, ref)
      source = mapPackSource(`workspace:${stored.id}@${stored.version}`, schemeFiles(db, stored))
    } finally {
      db.close()
    }
  }
  const loaded = loadPack(source)
  if (loaded.pack === undefined) {
    throw new InputErrors(loaded.errors.map((error) => ({...error, file: isDir ? join(ref, error.file) : `${source.label}:${error.file}`})))
  }
  return {pack: loaded.pack, origin: isDir ? 'dir' : 'workspace', label: source.label}
}

export function openScheme(ref: string, dbFlag: string | undefined): OpenedScheme {
  const loaded = loadSchemePack(ref, dbFlag)
  return {...loaded, scheme: compileScheme(loaded.pack)}
}
