/**
 * A loaded scheme pack, kept in the cache folder by its content hash, so that a command starts
 * grouping without parsing and checking the pack's 4 MB of CSV again (about 50 ms from the
 * cache against 300 ms). The key is the pack's own sha256 (over its files), together with a
 * fingerprint of the code that loads packs: a changed file or a changed loader is a new key,
 * never a stale entry. An entry that cannot be read, or that is not the pack it is named for,
 * is ignored and written again; a cache folder that cannot be written only costs the time.
 *
 *   loadPackCached(() => dirPackSource('packs/chs-drg-1.1'), {dir: cacheDir()}) → PackLoad
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import v8 from 'node:v8'
import {type CompiledData, type CompiledScheme, compileScheme} from './compile-scheme.js'
import {assert, type InputError} from '../errors.js'
import {type ListRef, loadPack, PACK_FILES, packHash, type PackLoad, type PackRules, type PackSource, type SchemePack} from './pack-load.js'

/** The code whose output each kind of entry holds: a change to any of them makes every key new. */
const LOADER_FILES = ['pack-load.js', 'rule-parse.js', 'pack-check.js']
const COMPILER_FILES = [...LOADER_FILES, 'compile-scheme.js', 'key-index.js', 'code-dictionary.js', 'rule-compile.js', 'case-view.js']
const fingerprints = new Map<string, string>()

/**
 * The fingerprint of these code files: the built .js, or the .ts beside this module when it runs
 * from the TypeScript sources (the unit tests): the same code gives the same fingerprint in every
 * process. A file that is neither gives one of this process alone (its entries are never reused).
 */
function fingerprint(files: readonly string[]): string {
  const key = files.join(' ')
  let known = fingerprints.get(key)
  if (known === undefined) {
    const hash = createHash('sha256')
    for (const file of files) {
      const code = [file, file.replace(/\.js$/, '.ts')].map((name) => readCode(name)).find((text) => text !== undefined)
      hash.update(code ?? `${file} unreadable ${process.pid} ${Date.now()}`)
    }
    known = hash.digest('hex').slice(0, 16)
    fingerprints.set(key, known)
  }
  return known
}

function readCode(file: string): Buffer | undefined {
  try {
    return readFileSync(fileURLToPath(new URL(file, import.meta.url)))
  } catch {
    return undefined
  }
}

function entryPath(dir: string, sha256: string): string {
  return join(dir, 'packs', `${sha256}-${fingerprint(LOADER_FILES)}.v8`)
}

function readEntry(path: string, sha256: string): SchemePack | undefined {
  try {
    const pack = v8.deserialize(readFileSync(path)) as SchemePack
    return pack?.sha256 === sha256 && pack.files instanceof Map ? pack : undefined
  } catch {
    return undefined
  }
}

function writeEntry(path: string, value: SchemePack | CompiledData | ReadyEntry): void {
  try {
    mkdirSync(dirname(path), {recursive: true})
    const temporary = `${path}.partial-${process.pid}`
    writeFileSync(temporary, v8.serialize(value))
    renameSync(temporary, path)
    pruneOthers(path)
  } catch {
    // A cache that cannot be written (read-only home, full disk) only costs the load next time.
  }
}

/**
 * Removes the entries of the same pack and kind made by other builds of yb (another loader or
 * compiler fingerprint) more than KEEP_OTHERS_MS ago: each build of yb makes its own, and without
 * this the folder grew by about 14 MB a build for CHS-DRG 1.1. A recent one is kept: two builds
 * in use at once (the unit tests from the sources and the built yb, or two builds compared) would
 * otherwise each remove the other's and load the pack from its files every time.
 */
function pruneOthers(path: string): void {
  const made = ENTRY_NAME.exec(basename(path))
  if (made === null) return
  const [, sha256, fingerprint, kind] = made
  const before = Date.now() - KEEP_OTHERS_MS
  for (const name of readdirSync(dirname(path))) {
    const other = ENTRY_NAME.exec(name)
    if (other === null || other[1] !== sha256 || other[3] !== kind || other[2] === fingerprint) continue
    const otherPath = join(dirname(path), name)
    try {
      if (statSync(otherPath).mtimeMs < before) rmSync(otherPath, {force: true})
    } catch {
      // Removed meanwhile by another command.
    }
  }
}
const KEEP_OTHERS_MS = 60 * 60 * 1000
/** An entry's name: the pack's sha256, the fingerprint of the code that made it, its kind. */
const ENTRY_NAME = /^([0-9a-f]{64})-([0-9a-f]{16})(\.(?:compiled|ready)\.v8|\.v8)$/

export interface PackCacheOptions {
  /** The cache folder (cacheDir()); undefined loads without a cache. */
  readonly dir: string | undefined
  /** The pack's sha256 when it is known without reading it (a pack stored in the workspace). */
  readonly sha256?: string
}

/**
 * The pack's sha256, and its files when they had to be read for it (a folder); or, when a file is
 * missing, the load that says so.
 */
function identify(open: () => PackSource, options: PackCacheOptions): {sha256: string; source: PackSource | undefined} | {failed: PackLoad} {
  if (options.sha256 !== undefined) return {sha256: options.sha256, source: undefined}
  const opened = open()
  const files = new Map<string, string>()
  for (const name of ['scheme.json', ...PACK_FILES]) {
    const text = opened.read(name)
    if (text === undefined) return {failed: loadPack(opened)}
    files.set(name, text)
  }
  return {sha256: packHash(files), source: {label: opened.label, read: (file) => files.get(file)}}
}

/** loadPack, through the cache: `open` is called only when the pack's files must be read. */
export function loadPackCached(open: () => PackSource, options: PackCacheOptions): PackLoad {
  if (options.dir === undefined) return loadPack(open())
  const known = identify(open, options)
  if ('failed' in known) return known.failed
  const {sha256, source} = known
  const path = entryPath(options.dir, sha256)
  const cached = readEntry(path, sha256)
  if (cached !== undefined) return {pack: cached, errors: []}
  const loaded = loadPack(source ?? open())
  if (loaded.pack !== undefined && loaded.pack.sha256 === sha256) writeEntry(path, loaded.pack)
  return loaded
}

/** Whether deserialized compiled data has the shape compileScheme reads. */
function soundData(data: CompiledData | undefined): data is CompiledData {
  return (
    Array.isArray(data?.dxCodes) &&
    Array.isArray(data.pxCodes) &&
    data.dxInfo instanceof Int32Array &&
    Array.isArray(data.lists) &&
    Array.isArray(data.indexes) &&
    data.indexes.every((index) => index.always instanceof Int32Array && index.pdxData instanceof Int32Array && index.pxData instanceof Int32Array)
  )
}

/** The data of a compiled entry, when it is one made for a pack of this many codes' kind (else it is not used). */
function readCompiled(path: string): CompiledData | undefined {
  try {
    const data = v8.deserialize(readFileSync(path)) as CompiledData
    return soundData(data) ? data : undefined
  } catch {
    return undefined
  }
}

/**
 * compileScheme through the cache: what compiling makes from the pack's data (code ids, list ids,
 * the key indexes' arrays) is kept by the pack's sha256 and the compiler's code, so that the next
 * command builds only the rules' closures (about 30 ms against 110 ms for CHS-DRG 1.1).
 */
export function compileSchemeCached(pack: SchemePack, dir: string | undefined): CompiledScheme {
  if (dir === undefined) return compileScheme(pack)
  const path = join(dir, 'packs', `${pack.sha256}-${fingerprint(COMPILER_FILES)}.compiled.v8`)
  const data = readCompiled(path)
  if (data !== undefined && data.indexes.length === pack.mdcs.length + 1) return compileScheme(pack, data)
  const scheme = compileScheme(pack)
  writeEntry(path, scheme.compiledData())
  return scheme
}


/**
 * What compiling needs of a pack, in one entry: its rules and lists by name, the compiled data,
 * and its codes and code names as texts joined by NUL (made into arrays when used: deserialized
 * as 47,000 strings each, CHS-DRG 1.1's took 15 ms of the 25). A pack's full entry holds its
 * files, every list's codes and the CC tables as maps (about 45 ms to read for CHS-DRG 1.1, and
 * as much again collecting the garbage), which a command that groups does not use.
 */
interface ReadyEntry {
  readonly format: 'ready/2'
  readonly sha256: string
  readonly meta: SchemePack['meta']
  readonly mdcs: SchemePack['mdcs']
  readonly adrgs: SchemePack['adrgs']
  readonly drgs: SchemePack['drgs']
  readonly lists: readonly (readonly [string, readonly ListRef[]])[]
  /** The compiled data without its codes, which are the two texts below. */
  readonly data: Omit<CompiledData, 'dxCodes' | 'pxCodes'>
  readonly dxCodes: JoinedTexts
  readonly pxCodes: JoinedTexts
  /** The names files: codes, then names, in the same order. */
  readonly dxNames: readonly [JoinedTexts, JoinedTexts]
  readonly pxNames: readonly [JoinedTexts, JoinedTexts]
}

/** Texts joined by NUL, with how many there are (a text that held a NUL would not split back into as many). */
interface JoinedTexts {
  readonly count: number
  readonly text: string
}

const joined = (texts: readonly string[]): JoinedTexts => ({count: texts.length, text: texts.join('\u0000')})
const split = (texts: JoinedTexts): string[] | undefined => {
  const parts = texts.count === 0 ? [] : texts.text.split('\u0000')
  return parts.length === texts.count ? parts : undefined
}

/** The ready entry of a compiled pack; undefined (none is written) when a code or name holds a NUL, which joining them would lose. */
function readyEntry(pack: SchemePack, data: CompiledData): ReadyEntry | undefined {
  const {dxCodes, pxCodes, ...rest} = data
  const names = [[...pack.dxNames.keys()], [...pack.dxNames.values()], [...pack.pxNames.keys()], [...pack.pxNames.values()]] as const
  if ([dxCodes, pxCodes, ...names].some((texts) => texts.some((text) => text.includes('\u0000')))) return undefined
  return {
    format: 'ready/2',
    sha256: pack.sha256,
    meta: pack.meta,
    mdcs: pack.mdcs,
    adrgs: pack.adrgs,
    drgs: pack.drgs,
    lists: [...pack.lists].map(([owner, lists]) => [owner, [...lists.values()].map((list) => ({owner: list.owner, name: list.name}))] as const),
    data: rest,
    dxCodes: joined(dxCodes),
    pxCodes: joined(pxCodes),
    dxNames: [joined(names[0]), joined(names[1])],
    pxNames: [joined(names[2]), joined(names[3])],
  }
}

/** The pack's rules from a ready entry; its names become maps when first asked for. */
function rulesOf(entry: ReadyEntry): PackRules {
  const lazyMap = (pairs: readonly [JoinedTexts, JoinedTexts]) => {
    let map: Map<string, string> | undefined
    return () => {
      if (map === undefined) {
        const [codes, names] = [split(pairs[0]), split(pairs[1])]
        assert(codes !== undefined && names !== undefined && codes.length === names.length, 'a ready entry read as sound has its names')
        map = new Map(codes.map((code, k) => [code, names[k]!]))
      }
      return map
    }
  }
  const dxNames = lazyMap(entry.dxNames)
  const pxNames = lazyMap(entry.pxNames)
  return {
    meta: entry.meta,
    sha256: entry.sha256,
    mdcs: entry.mdcs,
    adrgs: entry.adrgs,
    drgs: entry.drgs,
    lists: new Map(entry.lists.map(([owner, lists]) => [owner, new Map(lists.map((list) => [list.name, list]))])),
    get dxNames() {
      return dxNames()
    },
    get pxNames() {
      return pxNames()
    },
  }
}

/** The entry and its compiled data, when the file is a sound ready entry of this pack. */
function readReady(path: string, sha256: string): {entry: ReadyEntry; data: CompiledData} | undefined {
  try {
    const entry = v8.deserialize(readFileSync(path)) as ReadyEntry
    const joinedTexts = (texts: JoinedTexts | undefined) => typeof texts?.count === 'number' && typeof texts.text === 'string'
    const shaped =
      entry?.format === 'ready/2' &&
      entry.sha256 === sha256 &&
      Array.isArray(entry.mdcs) &&
      Array.isArray(entry.adrgs) &&
      Array.isArray(entry.drgs) &&
      Array.isArray(entry.lists) &&
      [entry.dxCodes, entry.pxCodes, ...entry.dxNames, ...entry.pxNames].every(joinedTexts) &&
      entry.dxNames[0].count === entry.dxNames[1].count &&
      entry.pxNames[0].count === entry.pxNames[1].count
    if (!shaped) return undefined
    const dxCodes = split(entry.dxCodes)
    const pxCodes = split(entry.pxCodes)
    if (dxCodes === undefined || pxCodes === undefined) return undefined
    const data: CompiledData = {...entry.data, dxCodes, pxCodes}
    return soundData(data) && data.indexes.length === entry.mdcs.length + 1 ? {entry, data} : undefined
  } catch {
    return undefined
  }
}

export type SchemeLoad = {readonly scheme: CompiledScheme; readonly errors: readonly []} | {readonly scheme?: undefined; readonly errors: readonly InputError[]}

/**
 * A pack loaded and compiled, through its ready entry when the cache has one (a few ms for
 * CHS-DRG 1.1 against about 90 ms through the full and compiled entries); else loaded (and
 * checked) and compiled through those, and the ready entry written. `open` is called only when
 * the pack's files must be read.
 */
export function loadSchemeReady(open: () => PackSource, options: PackCacheOptions): SchemeLoad {
  const {dir} = options
  if (dir === undefined) {
    const loaded = loadPack(open())
    return loaded.pack === undefined ? {errors: loaded.errors} : {scheme: compileScheme(loaded.pack), errors: []}
  }
  const known = identify(open, options)
  if ('failed' in known) return known.failed.pack === undefined ? {errors: known.failed.errors} : {scheme: compileScheme(known.failed.pack), errors: []}
  const path = join(dir, 'packs', `${known.sha256}-${fingerprint(COMPILER_FILES)}.ready.v8`)
  const ready = readReady(path, known.sha256)
  if (ready !== undefined) return {scheme: compileScheme(rulesOf(ready.entry), ready.data), errors: []}
  const loaded = loadPackCached(() => known.source ?? open(), {dir, sha256: known.sha256})
  if (loaded.pack === undefined) return {errors: loaded.errors}
  const scheme = compileSchemeCached(loaded.pack, dir)
  const entry = readyEntry(loaded.pack, scheme.compiledData())
  if (entry !== undefined) writeEntry(path, entry)
  return {scheme, errors: []}
}
