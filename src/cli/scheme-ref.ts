/**
 * `--scheme <id|dir>`: a folder holding a pack, or the id (optionally `id@version`) of a pack
 * stored in the workspace. Loading validates the whole pack; any error stops the command.
 *
 *   openScheme('data/schemes/demo', undefined) → {scheme, origin: 'dir', label: 'data/schemes/demo'}
 */
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {type InputError, InputErrors} from '../errors.js'
import type {CompiledScheme} from '../grouper/compile-scheme.js'
import {loadPackCached, loadSchemeReady, type PackCacheOptions} from '../grouper/pack-cache.js'
import {dirPackSource, mapPackSource, type PackSource, type SchemePack} from '../grouper/pack-load.js'
import {cacheDir} from '../io/cache-dir.js'
import {openWorkspace, workspacePath} from '../store/db.js'
import {findScheme, schemeFiles} from '../store/schemes.js'
import {type DipCatalog, loadDipCatalog} from '../grouper/dip-catalog.js'
import {compileDip, type CompiledDip} from '../grouper/dip-group.js'

export interface OpenedScheme {
  readonly scheme: CompiledScheme
  readonly origin: 'dir' | 'workspace'
  readonly label: string
}

/** A folder, or a stored id[@version] of the kind, as a source of files. */
function sourceOf(ref: string, dbFlag: string | undefined, kind: 'drg' | 'dip'): {source: PackSource; isDir: boolean} {
  if (existsSync(ref) && statSync(ref).isDirectory()) return {source: dirPackSource(ref), isDir: true}
  const {db} = openWorkspace({path: workspacePath(dbFlag), create: false})
  try {
    const stored = findScheme(db, ref, kind)
    return {source: mapPackSource(`workspace:${stored.id}@${stored.version}`, schemeFiles(db, stored)), isDir: false}
  } finally {
    db.close()
  }
}

function located(ref: string, isDir: boolean, source: PackSource, errors: readonly InputError[]): InputErrors {
  return new InputErrors(errors.map((error) => ({...error, file: isDir ? join(ref, error.file) : `${source.label}:${error.file}`})))
}

type Loaded<T> = {readonly value: T} | {readonly errors: readonly InputError[]}

/** A DRG pack by folder or stored id, made by `load` from its source: what it gives and where from, or its errors, located. */
function fromPackRef<T>(ref: string, dbFlag: string | undefined, load: (open: () => PackSource, options: PackCacheOptions) => Loaded<T>): {value: T; origin: 'dir' | 'workspace'; label: string} {
  if (existsSync(ref) && statSync(ref).isDirectory()) {
    const source = dirPackSource(ref)
    const loaded = load(() => source, {dir: cacheDir()})
    if ('errors' in loaded) throw located(ref, true, source, loaded.errors)
    return {value: loaded.value, origin: 'dir', label: source.label}
  }
  const {db} = openWorkspace({path: workspacePath(dbFlag), create: false})
  try {
    const stored = findScheme(db, ref, 'drg')
    const label = `workspace:${stored.id}@${stored.version}`
    let source: PackSource | undefined
    const loaded = load(() => (source = mapPackSource(label, schemeFiles(db, stored))), {dir: cacheDir(), sha256: stored.sha256})
    if ('errors' in loaded) throw located(ref, false, source ?? mapPackSource(label, new Map()), loaded.errors)
    return {value: loaded.value, origin: 'workspace', label}
  } finally {
    db.close()
  }
}

/** A DRG pack by folder or stored id, through the pack cache (src/grouper/pack-cache.ts). */
export function loadSchemePack(ref: string, dbFlag: string | undefined): {pack: SchemePack; origin: 'dir' | 'workspace'; label: string} {
  const {value, ...where} = fromPackRef<SchemePack>(ref, dbFlag, (open, options) => {
    const {pack, errors} = loadPackCached(open, options)
    return pack === undefined ? {errors} : {value: pack}
  })
  return {pack: value, ...where}
}

/** `--dip <id|dir>`: a dip-catalog/1 folder or a catalog stored in the workspace, validated whole. */
export function loadDipRef(ref: string, dbFlag: string | undefined): {catalog: DipCatalog; origin: 'dir' | 'workspace'; label: string} {
  const {source, isDir} = sourceOf(ref, dbFlag, 'dip')
  const loaded = loadDipCatalog(source)
  if (loaded.catalog === undefined) throw located(ref, isDir, source, loaded.errors)
  return {catalog: loaded.catalog, origin: isDir ? 'dir' : 'workspace', label: source.label}
}

export function openDip(ref: string, dbFlag: string | undefined): CompiledDip {
  return compileDip(loadDipRef(ref, dbFlag).catalog)
}

/** A DRG pack compiled for grouping, by folder or stored id, through its ready cache entry (src/grouper/pack-cache.ts). */
export function openScheme(ref: string, dbFlag: string | undefined): OpenedScheme {
  const {value, ...where} = fromPackRef<CompiledScheme>(ref, dbFlag, (open, options) => {
    const {scheme, errors} = loadSchemeReady(open, options)
    return scheme === undefined ? {errors} : {value: scheme}
  })
  return {scheme: value, ...where}
}
