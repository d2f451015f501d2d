// Writes oclif.manifest.json: every command's id, flags, args, description and examples, so that
// `yb` starts without importing every command class (0.9 s and 734 modules without it). This is
// what the `oclif manifest` dev tool does, over @oclif/core's own Plugin loader, without that
// tool's ~200 dependencies. Run after `tsc` (the build, prepare and pretest scripts do).
import {renameSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {join} from 'node:path'
import {Plugin} from '@oclif/core'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = join(root, 'oclif.manifest.json')
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true})
await plugin.load()
const ids = Object.keys(plugin.manifest.commands)
if (ids.length === 0) throw new Error(`no commands found under ${root}dist/commands: run tsc first`)
writeFileSync(`${target}.tmp`, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
renameSync(`${target}.tmp`, target)
console.log(`oclif.manifest.json: ${ids.length} commands, version ${plugin.manifest.version}`)
