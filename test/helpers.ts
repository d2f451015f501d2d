// Shared test helpers: the demo pack, compiled once, and a case builder.
import {fileURLToPath} from 'node:url'
import {existsSync} from 'node:fs'
import type {GroupCase} from '../src/grouper/case-view.js'
import {compileScheme, type CompiledScheme} from '../src/grouper/compile-scheme.js'
import {dirPackSource, loadPack, type SchemePack} from '../src/grouper/pack-load.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const DEMO_DIR = fileURLToPath(new URL('../data/schemes/demo', import.meta.url))
export const SHARED = fileURLToPath(new URL('../../shared', import.meta.url))
export const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** True when ../shared is here; prints the notice once per suite when it is not. */
export function sharedPresent(what: string): boolean {
  const present = existsSync(`${SHARED}/schemes`) && existsSync(`${SHARED}/conformance`)
  if (!present) console.log(`notice: ../shared is absent, skipping ${what}`)
  return present
}

export function demoPack(): SchemePack {
  const loaded = loadPack(dirPackSource(DEMO_DIR))
  if (loaded.pack === undefined) throw new Error(`demo pack does not load: ${JSON.stringify(loaded.errors)}`)
  return loaded.pack
}

let demo: CompiledScheme | undefined
export function demoScheme(): CompiledScheme {
  demo ??= compileScheme(demoPack())
  return demo
}

/** An adult man with the given codes, unless overridden. */
export function makeCase(dx: string[], px: string[] = [], overrides: Partial<GroupCase> = {}): GroupCase {
  return {sex: 1, ageYears: 50, ageDays: 18_300, birthWeightG: 0, losDays: 7, dx, px, ...overrides}
}

export function newborn(dx: string[], birthWeightG: number, overrides: Partial<GroupCase> = {}): GroupCase {
  return makeCase(dx, [], {ageYears: 0, ageDays: 3, birthWeightG, ...overrides})
}
