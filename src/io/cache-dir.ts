/**
 * Where yb keeps what it can make again (compiled scheme packs): $YB_CACHE_DIR, else
 * $XDG_CACHE_HOME/yibao, else ~/.cache/yibao. `YB_CACHE_DIR=` (empty) turns the cache off.
 */
import {homedir} from 'node:os'
import {join} from 'node:path'

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.YB_CACHE_DIR !== undefined) return env.YB_CACHE_DIR === '' ? undefined : env.YB_CACHE_DIR
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'yibao')
  const home = homedir()
  return home === '' ? undefined : join(home, '.cache', 'yibao')
}
