/**
 * zod, loaded the first time a file must be validated: a command whose packs come from the cache
 * never needs it, and loading it is about 35 ms of a command's start (95 modules).
 *
 *   const schema = zod().object({code: zod().string()})
 */
import {createRequire} from 'node:module'
import type {z} from 'zod'

const requireModule = createRequire(import.meta.url)
let loaded: typeof z | undefined

export function zod(): typeof z {
  loaded ??= (requireModule('zod') as {z: typeof z}).z
  return loaded
}
