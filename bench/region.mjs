// A paid month for the benchmarks: a workspace with `institutions` institutions, scheme
// harbin-2022 with the real Harbin 2022 weights from ../shared (the demo pack with derived
// weights when ../shared is absent), and `count` synthetic cases of 2025-03 imported and paid.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export function benchRegion(name, count, institutions) {
  const out = join(root, 'bench', 'out', name)
  rmSync(out, {recursive: true, force: true})
  mkdirSync(out, {recursive: true})
  const harbin = join(root, '..', 'shared', 'schemes', 'harbin-2022')
  const real = existsSync(harbin)
  const scheme = real ? harbin : join(root, 'data', 'schemes', 'demo')
  const schemeId = real ? 'harbin-2022' : 'demo'
  const bin = join(root, 'bin', 'run.js')
  const env = {...process.env, YB_DB: join(out, 'yibao.db'), CI: 'true'}
  const yb = (...args) => execFileSync('node', [bin, ...args], {env, cwd: out, encoding: 'utf8', maxBuffer: 1 << 28})
  // Peak memory from /usr/bin/time where the machine has it (its last stderr line).
  const withTime = existsSync('/usr/bin/time')
  const timed = (label, ...args) => {
    const t = Date.now()
    const r = withTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', 'node', bin, ...args], {env, cwd: out, encoding: 'utf8', maxBuffer: 1 << 28})
      : spawnSync('/usr/bin/env', ['node', bin, ...args], {env, cwd: out, encoding: 'utf8', maxBuffer: 1 << 28})
    if (r.status !== 0 && r.status !== 3) throw new Error(`${label}: ${r.stderr}`)
    const s = (Date.now() - t) / 1000
    const peak = withTime ? `, peak RSS ${(Number(r.stderr.trim().split('\n').at(-1)) / 1024).toFixed(0)} MB` : ''
    console.log(`${label}: ${s.toFixed(1)} s (${Math.round(count / s).toLocaleString('en-US')} cases/s${peak})`)
    return r.stdout
  }
  const describe = `${count.toLocaleString('en-US')} cases, ${institutions} institutions, scheme ${schemeId}${real ? ' with the real Harbin 2022 weights' : ' with derived weights (../shared absent)'}`
  const setup = () => {
    yb('init')
    yb('scheme', 'import', scheme)
    const levels = ['三级', '二级', '一级']
    writeFileSync(join(out, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...Array.from({length: institutions}, (_, k) => `H${String(k + 1).padStart(3, '0')},医院${k + 1},${levels[k % 3]},,职工|居民`)].join('\n'))
    yb('institution', 'import', 'inst.csv')
    if (real) {
      yb('weights', 'import', '--year', '2025', join(root, '..', 'shared', 'reference', 'harbin-drg-weights', 'weights_2022.csv'))
    } else {
      const drgs = readFileSync(join(scheme, 'drg.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[2])
      writeFileSync(join(out, 'w.csv'), ['drg,weight', ...drgs.map((drg, k) => `${drg},${(0.5 + ((k * 37) % 300) / 100).toFixed(2)}`)].join('\n'))
      yb('weights', 'import', '--year', '2025', 'w.csv')
    }
    yb('policy', 'init', 'p.yaml', '--year', '2025', '--scheme', schemeId)
    // Synthetic cases reach every DRG of the pack evenly, 8 of whose 668 the 2022 weights do not publish (transplants and a
    // few others): about 1.2% of the cases, above the 1% a real month would stay under, so the bench allows 5%.
    const policy = readFileSync(join(out, 'p.yaml'), 'utf8')
      .replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 12165.26, 居民: 12099.85}')
      .replace('missing_weight_max_share: 0.01', 'missing_weight_max_share: 0.05')
    writeFileSync(join(out, 'p.yaml'), policy)
    yb('policy', 'import', 'p.yaml')
    yb('synth', 'cases', '--scheme', scheme, '--count', String(count), '--seed', '3', '--month', '2025-03', '--institutions', String(institutions), '--out', 'cases.csv')
  }
  return {out, yb, timed, describe, setup, scheme, bin, env}
}
