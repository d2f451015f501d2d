/**
 * The rules a check runs by and the code dictionary it checks codes against:
 *
 * - `--rules <dir>`: a qc-rules/1 folder; `--rules <id[@version]>`: a pack stored with
 *   `yb qc import`; no flag: the policy's quality.rules, else `default`. `default` is the bundled
 *   set (data/qc-rules/default) unless a pack is stored under that id.
 * - the dictionary: the dx_names and px_names of a scheme (the year policy's, or `--scheme`).
 *
 *   openQcRules(db, 'default') → {pack, label: 'bundled:default', ref: 'default@bundled-1a2b3c4d5e6f'}
 */
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type InputError, inputError, InputErrors} from '../errors.js'
import {loadPackCached} from '../grouper/pack-cache.js'
import {dirPackSource, mapPackSource, type PackSource} from '../grouper/pack-load.js'
import {cacheDir} from '../io/cache-dir.js'
import type {QcDictionary} from '../quality/qc-case.js'
import {loadQcPack, type QcPack} from '../quality/qc-pack.js'
import type {Db} from '../store/db.js'
import {findScheme, listSchemes, schemeFiles} from '../store/schemes.js'

/** The bundled rules, found from the installed package (dist/app → data/qc-rules/default). */
export const BUNDLED_QC_DIR = fileURLToPath(new URL('../../data/qc-rules/default', import.meta.url))

export interface OpenedQcRules {
  readonly pack: QcPack
  /** Where it came from: a folder, `workspace:id@version` or `bundled:default`. */
  readonly label: string
  /** What a stored check names: `id@version` (stored), or `id@sha256-prefix` (a folder or the bundled set). */
  readonly ref: string
}

function located(prefix: string, errors: readonly InputError[]): InputErrors {
  return new InputErrors(errors.map((error) => ({...error, file: `${prefix}${error.file}`})))
}

function fromSource(source: PackSource, prefix: string): QcPack {
  const loaded = loadQcPack(source)
  if (loaded.pack === undefined) throw located(prefix, loaded.errors)
  return loaded.pack
}

/** A rules folder, validated completely (file:line errors under the folder's path). */
export function loadQcFolder(dir: string): QcPack {
  return fromSource(dirPackSource(dir), `${dir.replace(/\/+$/, '')}/`)
}

export function openQcRules(db: Db | undefined, ref: string | undefined): OpenedQcRules {
  const wanted = ref ?? 'default'
  if (existsSync(wanted) && statSync(wanted).isDirectory()) {
    const pack = loadQcFolder(wanted)
    return {pack, label: wanted, ref: `${pack.meta.id}@${pack.sha256.slice(0, 12)}`}
  }
  const stored = db === undefined ? [] : listSchemes(db, 'qc').filter((s) => s.id === wanted.split('@')[0])
  if (db !== undefined && (stored.length > 0 || wanted !== 'default')) {
    const found = findScheme(db, wanted, 'qc')
    const label = `workspace:${found.id}@${found.version}`
    return {pack: fromSource(mapPackSource(label, schemeFiles(db, found)), `${label}:`), label, ref: `${found.id}@${found.version}`}
  }
  if (wanted !== 'default') return assertFolder(wanted)
  const pack = fromSource(dirPackSource(BUNDLED_QC_DIR), `${join(BUNDLED_QC_DIR)}/`)
  return {pack, label: 'bundled:default', ref: `default@${pack.sha256.slice(0, 12)}`}
}

function assertFolder(ref: string): never {
  throw new InputErrors([inputError(ref, 0, '', 'file_missing', `"${ref}" is not a folder`, 'give a folder, or the id of one stored in the workspace (run the command inside a workspace, or pass --db)')])
}

/** A scheme's code dictionary (its dx_names and px_names), by folder or stored id[@version]. */
export function schemeDictionary(db: Db | undefined, ref: string): {dictionary: QcDictionary; label: string} {
  let source: () => PackSource
  let sha256: string | undefined
  let label: string
  if (existsSync(ref) && statSync(ref).isDirectory()) {
    label = ref
    source = () => dirPackSource(ref)
  } else {
    if (db === undefined) assertFolder(ref)
    const stored = findScheme(db!, ref, 'drg')
    label = `workspace:${stored.id}@${stored.version}`
    sha256 = stored.sha256
    source = () => mapPackSource(label, schemeFiles(db!, stored))
  }
  const loaded = loadPackCached(source, {dir: cacheDir(), ...(sha256 === undefined ? {} : {sha256})})
  if (loaded.pack === undefined) throw located(`${label}/`, loaded.errors)
  const {dxNames, pxNames} = loaded.pack
  return {dictionary: {hasDx: (code) => dxNames.has(code), hasPx: (code) => pxNames.has(code)}, label}
}
