#!/usr/bin/env node
// Writes data/dip/demo, the project's own DIP catalog, the way a region builds one: three years
// of synthetic history on the demo scheme (yb synth cases, seeds 2022–2024), then yb dip build
// with the national defaults (min 15 cases, 1:2:7, scale 1000), named from the demo pack.
// Run after `npm run build`; deterministic (same seeds, same catalog bytes).
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const pack = join(root, 'data', 'schemes', 'demo')
const work = mkdtempSync(join(tmpdir(), 'yb-dip-history-'))
try {
  const history = []
  for (const year of [2022, 2023, 2024]) {
    const file = join(work, `history-${year}.csv`)
    execFileSync('node', [bin, 'synth', 'cases', '-s', pack, '-n', '30000', '--seed', String(year), '--institutions', '30', '--invalid-rate', '0', '-o', file], {stdio: 'inherit'})
    history.push('--history', file)
  }
  const out = join(root, 'data', 'dip', 'demo')
  rmSync(out, {recursive: true, force: true})
  execFileSync('node', [bin, 'dip', 'build', ...history, '--min-cases', '15', '--score-scale', '1000', '--out', out, '--names', pack, '--year', '2025', '--id', 'demo-dip', '--name', '演示 DIP 病种目录', '--region', 'demo'], {stdio: 'inherit'})
} finally {
  rmSync(work, {recursive: true, force: true})
}
