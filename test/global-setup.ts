// The test run's own pack cache (src/io/cache-dir.ts): the tests, and every yb they start, read
// and write the cache in a folder of this run, never the user's (where the unit tests, run from
// the sources, would write entries of another fingerprint beside the built yb's). One folder for
// the whole run, so that a pack is compiled once, not once per test file; removed at the end.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'yb-test-cache-'))
  const before = process.env.YB_CACHE_DIR
  process.env.YB_CACHE_DIR = dir
  return () => {
    rmSync(dir, {recursive: true, force: true})
    if (before === undefined) delete process.env.YB_CACHE_DIR
    else process.env.YB_CACHE_DIR = before
  }
}
