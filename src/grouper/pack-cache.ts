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
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import v8 from 'node:v8'
import {type CompiledData, type CompiledScheme, compileScheme} from './compile-scheme.js'
import {loadPack, PACK_FILES, packHash, type PackLoad, type PackSource, type SchemePack} from './pack-load.js'

/** The code whose output each kind of entry holds: a change to any of them makes every key new. */
const LOADER_FILES = ['pack-load.js', 'rule-parse.js', 'pack-check.js']
const COMPILER_FILES = [...LOADER_FILES, 'compile-scheme.js', 'key-index.js', 'code-dictionary.js', 'rule-compile.js', 'case-view.js']
const fingerprints = new Map<string, string>()

function fingerprint(files: readonly string[]): string {
  const key = files.join(' ')
  let known = fingerprints.get(key)
  if (known === undefined) {
    const hash = createHash('sha256')
    for (const file of files) {
      try {
        hash.update(readFileSync(fileURLToPath(new URL(file, import.meta.url))))
      } catch {
        hash.update(`${file} unreadable ${Date.now()}`)
      }
    }
    known = hash.digest('hex').slice(0, 16)
    fingerprints.set(key, known)
  }
  return known
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

function writeEntry(path: string, pack: SchemePack | CompiledData): void {
  try {
    mkdirSync(join(path, '..'), {recursive: true})
    const temporary = `${path}.partial-${process.pid}`
    writeFileSync(temporary, v8.serialize(pack))
    renameSync(temporary, path)
  } catch {
    // A cache that cannot be written (read-only home, full disk) only costs the load next time.
  }
}

export interface PackCacheOptions {
  /** The cache folder (cacheDir()); undefined loads without a cache. */
  readonly dir: string | undefined
  /** The pack's sha256 when it is known without reading it (a pack stored in the workspace). */
  readonly sha256?: string
}

/** loadPack, through the cache: `open` is called only when the pack's files must be read. */
export function loadPackCached(open: () => PackSource, options: PackCacheOptions): PackLoad {
  if (options.dir === undefined) return loadPack(open())
  let source: PackSource | undefined
  let sha256 = options.sha256
  if (sha256 === undefined) {
    source = open()
    const files = new Map<string, string>()
    for (const name of ['scheme.json', ...PACK_FILES]) {
      const text = source.read(name)
      if (text === undefined) return loadPack(source)
      files.set(name, text)
    }
    sha256 = packHash(files)
    const texts = files
    source = {label: source.label, read: (file) => texts.get(file)}
  }
  const path = entryPath(options.dir, sha256)
  const cached = readEntry(path, sha256)
  if (cached !== undefined) return {pack: cached, errors: []}
  const loaded = loadPack(source ?? open())
  if (loaded.pack !== undefined && loaded.pack.sha256 === sha256) writeEntry(path, loaded.pack)
  return loaded
}

/** The data of a compiled entry, when it is one made for a pack of this many codes' kind (else it is not used). */
function readCompiled(path: string): CompiledData | undefined {
  try {
    const data = v8.deserialize(readFileSync(path)) as CompiledData
    const sound =
      Array.isArray(data?.dxCodes) && Array.isArray(data.pxCodes) && data.dxInfo instanceof Int32Array && Array.isArray(data.lists) && Array.isArray(data.indexes) && data.indexes.every((index) => index.always instanceof Int32Array && index.pdxData instanceof Int32Array && index.pxData instanceof Int32Array)
    return sound ? data : undefined
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

