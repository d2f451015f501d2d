// The pack cache (src/grouper/pack-cache.ts) gives the pack loadPack gives, from the second load
// on without reading the CSV again; an entry that is damaged, or named for another pack, is not
// used (the pack is loaded from its files and the entry written again); a changed pack file is
// a new key; without a cache folder nothing is written. Grouping through a cached pack is
// byte-identical to grouping through a freshly loaded one.
import {cpSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import v8 from 'node:v8'
import {execa} from 'execa'
import {describe, expect, it, vi} from 'vitest'
import {compileScheme} from '../../src/grouper/compile-scheme.js'
import {groupCase} from '../../src/grouper/group-case.js'
import {compileSchemeCached, loadPackCached, loadSchemeReady} from '../../src/grouper/pack-cache.js'
import {dirPackSource, loadPack, type PackSource} from '../../src/grouper/pack-load.js'
import {tempDir, yb} from '../cli/run.js'
import {DEMO_DIR, makeCase, ROOT, SHARED, sharedPresent} from '../helpers.js'

const entries = (dir: string) => readdirSync(join(dir, 'packs'))

describe('the pack cache', () => {
  it('returns the same pack as loadPack, and reads the files only to find the key', () => {
    const cache = tempDir()
    const fresh = loadPack(dirPackSource(DEMO_DIR)).pack!
    const first = loadPackCached(() => dirPackSource(DEMO_DIR), {dir: cache}).pack!
    expect(entries(cache)).toHaveLength(1)
    expect(entries(cache)[0]).toMatch(new RegExp(`^${fresh.sha256}-[0-9a-f]{16}\\.v8$`))
    const second = loadPackCached(() => dirPackSource(DEMO_DIR), {dir: cache}).pack!
    expect(second).toEqual(fresh)
    expect(first).toEqual(fresh)
    // Known key (a workspace pack): the source is not even opened.
    let opened = 0
    const byKey = loadPackCached(() => {
      opened++
      return dirPackSource(DEMO_DIR)
    }, {dir: cache, sha256: fresh.sha256}).pack!
    expect(opened).toBe(0)
    expect(byKey).toEqual(fresh)
    // The same cases group the same through either.
    const a = compileScheme(fresh)
    const b = compileScheme(second)
    for (const dx of [['I63.900'], ['S72.001'], ['J18.900', 'E11.900'], ['O80.000']]) expect(groupCase(b, makeCase(dx))).toEqual(groupCase(a, makeCase(dx)))
  })

  it('ignores a damaged entry or one of another pack, and writes it again', () => {
    const cache = tempDir()
    const fresh = loadPack(dirPackSource(DEMO_DIR)).pack!
    loadPackCached(() => dirPackSource(DEMO_DIR), {dir: cache})
    const path = join(cache, 'packs', entries(cache)[0]!)
    const good = readFileSync(path)
    writeFileSync(path, good.subarray(0, 1000))
    expect(loadPackCached(() => dirPackSource(DEMO_DIR), {dir: cache}).pack).toEqual(fresh)
    expect(readFileSync(path).equals(good)).toBe(true)
    // Another pack's entry under this pack's name is not taken for it.
    const other = tempDir()
    cpSync(DEMO_DIR, other, {recursive: true})
    writeFileSync(join(other, 'mdc.csv'), readFileSync(join(other, 'mdc.csv'), 'utf8').replace('\n', '\n\n'))
    const changed = loadPack(dirPackSource(other)).pack!
    expect(changed.sha256).not.toBe(fresh.sha256)
    const otherCache = tempDir()
    loadPackCached(() => dirPackSource(other), {dir: otherCache})
    writeFileSync(path, readFileSync(join(otherCache, 'packs', entries(otherCache)[0]!)))
    expect(loadPackCached(() => dirPackSource(DEMO_DIR), {dir: cache}).pack!.sha256).toBe(fresh.sha256)
  })

  it('a changed pack is a new key; an invalid pack is reported and not cached; no folder, no cache', () => {
    const cache = tempDir()
    const copy = tempDir()
    cpSync(DEMO_DIR, copy, {recursive: true})
    loadPackCached(() => dirPackSource(copy), {dir: cache})
    writeFileSync(join(copy, 'drg.csv'), `${readFileSync(join(copy, 'drg.csv'), 'utf8')}\n`)
    loadPackCached(() => dirPackSource(copy), {dir: cache})
    expect(entries(cache)).toHaveLength(2)
    writeFileSync(join(copy, 'mdc.csv'), 'order,mdc\n')
    const bad = loadPackCached(() => dirPackSource(copy), {dir: cache})
    expect(bad.pack).toBeUndefined()
    expect(bad.errors.length).toBeGreaterThan(0)
    expect(entries(cache)).toHaveLength(2)
    const none: PackSource = dirPackSource(DEMO_DIR)
    expect(loadPackCached(() => none, {dir: undefined}).pack!.sha256).toBe(loadPack(none).pack!.sha256)
  })
})

describe('yb group through the pack cache', () => {
  it('writes the same bytes as without it, cold and warm, on the conformance files', async () => {
    if (!sharedPresent('the cached conformance grouping')) return
    const dir = tempDir()
    const saved = process.env.YB_CACHE_DIR
    try {
      for (const [pack, cases] of [['chs-drg-1.1', 'chs_drg_11_cases.csv'], ['harbin-2022', 'haerbin_2022_cases.csv']] as const) {
        const args = (out: string) => ['group', '--scheme', join(SHARED, 'schemes', pack), '--in', join(SHARED, 'conformance', cases), '--out', out]
        process.env.YB_CACHE_DIR = ''
        expect((await yb(dir, args(`${pack}-plain.csv`))).exitCode).toBe(0)
        process.env.YB_CACHE_DIR = join(dir, 'cache')
        expect((await yb(dir, args(`${pack}-cold.csv`))).exitCode).toBe(0)
        expect((await yb(dir, args(`${pack}-warm.csv`))).exitCode).toBe(0)
        const plain = readFileSync(join(dir, `${pack}-plain.csv`))
        expect(readFileSync(join(dir, `${pack}-cold.csv`)).equals(plain), pack).toBe(true)
        expect(readFileSync(join(dir, `${pack}-warm.csv`)).equals(plain), pack).toBe(true)
      }
      const entries = readdirSync(join(dir, 'cache', 'packs'))
      expect(entries.filter((f) => f.endsWith('.compiled.v8'))).toHaveLength(2)
      expect(entries.filter((f) => f.endsWith('.ready.v8'))).toHaveLength(2)
      expect(entries.filter((f) => !f.endsWith('.compiled.v8') && !f.endsWith('.ready.v8'))).toHaveLength(2)
    } finally {
      if (saved === undefined) delete process.env.YB_CACHE_DIR
      else process.env.YB_CACHE_DIR = saved
    }
  }, 120_000)
})

describe('the compile cache', () => {
  it('builds a scheme that groups as a fresh compile does, and ignores a damaged entry', () => {
    const cache = tempDir()
    const pack = loadPack(dirPackSource(DEMO_DIR)).pack!
    const fresh = compileScheme(pack)
    const first = compileSchemeCached(pack, cache)
    const entry = readdirSync(join(cache, 'packs')).find((f) => f.endsWith('.compiled.v8'))!
    expect(entry).toMatch(new RegExp(`^${pack.sha256}-[0-9a-f]{16}\\.compiled\\.v8$`))
    const second = compileSchemeCached(pack, cache)
    const cases = [['I63.900'], ['S72.001', 'S32.001'], ['J18.900', 'E11.900', 'I10.x00'], ['O80.000'], ['C34.900'], ['N18.500'], ['Z51.100'], ['X99.999']]
    for (const dx of cases) {
      for (const px of [[], ['36.0601'], ['81.5101']]) {
        const expected = groupCase(fresh, makeCase(dx, px))
        expect(groupCase(first, makeCase(dx, px)), dx.join(' ')).toEqual(expected)
        expect(groupCase(second, makeCase(dx, px)), dx.join(' ')).toEqual(expected)
      }
    }
    expect(second.compiledData().indexes.length).toBe(pack.mdcs.length + 1)
    writeFileSync(join(cache, 'packs', entry), 'not v8')
    expect(groupCase(compileSchemeCached(pack, cache), makeCase(['I63.900']))).toEqual(groupCase(fresh, makeCase(['I63.900'])))
  })
})

describe('the ready entry', () => {
  const cases = [['I63.900'], ['S72.001', 'S32.001'], ['J18.900', 'E11.900', 'I10.x00'], ['O80.000'], ['C34.900'], ['N18.500'], ['Z51.100'], ['X99.999']]
  const sameGrouping = (scheme: ReturnType<typeof compileScheme>, fresh: ReturnType<typeof compileScheme>) => {
    for (const dx of cases) for (const px of [[], ['36.0601'], ['81.5101']]) expect(groupCase(scheme, makeCase(dx, px)), dx.join(' ')).toEqual(groupCase(fresh, makeCase(dx, px)))
  }

  it('compiles a scheme that groups and names codes as a fresh compile does, without the pack files once it is written', () => {
    const cache = tempDir()
    const pack = loadPack(dirPackSource(DEMO_DIR)).pack!
    const fresh = compileScheme(pack)
    const cold = loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache}).scheme!
    expect(entries(cache).map((f) => f.replace(/^[0-9a-f]{64}-[0-9a-f]{16}/, '')).sort()).toEqual(['.compiled.v8', '.ready.v8', '.v8'])
    sameGrouping(cold, fresh)
    // Warm, by a known key (a workspace pack): the pack's files are not opened.
    let opened = 0
    const warm = loadSchemeReady(() => {
      opened++
      return dirPackSource(DEMO_DIR)
    }, {dir: cache, sha256: pack.sha256}).scheme!
    expect(opened).toBe(0)
    sameGrouping(warm, fresh)
    expect([warm.id, warm.sha256, warm.mdcs.length]).toEqual([fresh.id, fresh.sha256, fresh.mdcs.length])
    expect([...warm.dxNames]).toEqual([...pack.dxNames])
    expect([...warm.pxNames]).toEqual([...pack.pxNames])
    expect(warm.compiledData()).toEqual(fresh.compiledData())
  })

  it('ignores a damaged ready entry and writes it again; reports an invalid pack; works without a cache folder', () => {
    const cache = tempDir()
    const fresh = compileScheme(loadPack(dirPackSource(DEMO_DIR)).pack!)
    loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache})
    const ready = join(cache, 'packs', entries(cache).find((f) => f.endsWith('.ready.v8'))!)
    const good = readFileSync(ready)
    writeFileSync(ready, good.subarray(0, 200))
    sameGrouping(loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache}).scheme!, fresh)
    expect(v8.deserialize(readFileSync(ready))).toEqual(v8.deserialize(good))
    const copy = tempDir()
    cpSync(DEMO_DIR, copy, {recursive: true})
    writeFileSync(join(copy, 'mdc.csv'), 'order,mdc\n')
    const bad = loadSchemeReady(() => dirPackSource(copy), {dir: cache})
    expect([bad.scheme, bad.errors.length > 0]).toEqual([undefined, true])
    sameGrouping(loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: undefined}).scheme!, fresh)
  })

  it('writes no ready entry for a pack whose names hold a NUL (joined texts would lose it), and still groups and names', () => {
    const cache = tempDir()
    const copy = tempDir()
    cpSync(DEMO_DIR, copy, {recursive: true})
    writeFileSync(join(copy, 'dx_names.csv'), readFileSync(join(copy, 'dx_names.csv'), 'utf8').replace('I63.900,脑梗死', 'I63.900,脑\u0000梗死'))
    const pack = loadPack(dirPackSource(copy)).pack!
    expect(pack.dxNames.get('I63.900')).toBe('脑\u0000梗死')
    const fresh = compileScheme(pack)
    for (let k = 0; k < 2; k++) {
      const scheme = loadSchemeReady(() => dirPackSource(copy), {dir: cache}).scheme!
      sameGrouping(scheme, fresh)
      expect(scheme.dxNames.get('I63.900')).toBe('脑\u0000梗死')
    }
    expect(entries(cache).filter((f) => f.endsWith('.ready.v8'))).toEqual([])
  })

  it("removes the same pack's entries of another build of yb when it writes its own (not one written within the hour), and keeps other packs'", () => {
    const cache = tempDir()
    const pack = loadPack(dirPackSource(DEMO_DIR)).pack!
    loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache})
    const mine = entries(cache).sort()
    // Entries an older build left two hours ago: the same pack under other fingerprints, and another pack.
    const older = (kind: string) => `${pack.sha256}-0123456789abcdef${kind}`
    const otherPack = `${'e'.repeat(64)}-0123456789abcdef.ready.v8`
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    for (const name of [older('.v8'), older('.compiled.v8'), older('.ready.v8'), otherPack]) {
      writeFileSync(join(cache, 'packs', name), 'old')
      utimesSync(join(cache, 'packs', name), twoHoursAgo, twoHoursAgo)
    }
    // Another build in use now (written a minute ago): its entry stays when this build writes its own.
    const recent = `${pack.sha256}-fedcba9876543210.ready.v8`
    writeFileSync(join(cache, 'packs', recent), 'in use')
    utimesSync(join(cache, 'packs', recent), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    // This build's own entries are read, not written: nothing is removed yet.
    loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache})
    expect(entries(cache)).toHaveLength(8)
    // Written again (its ready entry was damaged): the older ready entry of this pack goes, the recent one stays.
    writeFileSync(join(cache, 'packs', mine.find((f) => f.endsWith('.ready.v8'))!), 'damaged')
    loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache})
    expect(entries(cache).sort()).toEqual([...mine, older('.v8'), older('.compiled.v8'), otherPack, recent].sort())
    // A new full entry (another cache folder's state) removes the older full one too.
    const full = join(cache, 'packs', mine.find((f) => /^[0-9a-f]{64}-[0-9a-f]{16}\.v8$/.test(f))!)
    writeFileSync(full, 'damaged')
    loadPackCached(() => dirPackSource(DEMO_DIR), {dir: cache})
    expect(entries(cache).sort()).toEqual([...mine, older('.compiled.v8'), otherPack, recent].sort())
  })

  it('names its entries the same in every process, from the sources as from the build, and keeps both while in use', async () => {
    const cache = tempDir()
    loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache})
    const names = entries(cache).sort()
    // A fresh instance of the module (as another process loads it) makes the same fingerprint: it
    // reads the entries and writes none (before, each process named its own and removed the others').
    vi.resetModules()
    const fresh = await import('../../src/grouper/pack-cache.js')
    expect(fresh.loadSchemeReady(() => dirPackSource(DEMO_DIR), {dir: cache}).scheme).toBeDefined()
    expect(entries(cache).sort()).toEqual(names)
    // The built yb, another fingerprint, writes its own entries beside them; both stay (written within the hour).
    const built = await execa('node', ['--input-type=module', '-e', `
      const {loadSchemeReady} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'grouper', 'pack-cache.js')).href)})
      const {dirPackSource} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'grouper', 'pack-load.js')).href)})
      loadSchemeReady(() => dirPackSource(${JSON.stringify(DEMO_DIR)}), {dir: ${JSON.stringify(cache)}})`], {reject: false})
    expect(built.exitCode, built.stderr).toBe(0)
    const after = entries(cache)
    expect(after.length).toBe(2 * names.length)
    expect(names.every((name) => after.includes(name))).toBe(true)
  })
})
