// The tests use a pack cache of their own run (test/global-setup.ts), not the user's.
import {homedir} from 'node:os'
import {describe, expect, it} from 'vitest'
import {cacheDir} from '../../src/io/cache-dir.js'

describe('the test run', () => {
  it("caches packs in a folder of its own, not the user's", () => {
    expect(process.env.YB_CACHE_DIR).toMatch(/yb-test-cache-/)
    expect(cacheDir()).toBe(process.env.YB_CACHE_DIR)
    expect(cacheDir()!.startsWith(homedir())).toBe(false)
  })
})
