// The shell around the commands (issue 14): `yb help <command>` for every command, shell
// completion that completes, "did you mean" for commands and flags, and one --json error shape,
// on stdout, with the process's exit code, for every kind of failure, oclif's own included.
// The failures run the real binary: what cron and scripts see is the process's output.
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers.js'
import {tempDir, yb, ybProcess} from './run.js'

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {summary?: string; description?: string; hidden?: boolean}>}
const ids = Object.keys(manifest.commands)

describe('yb help', () => {
  it('explains every command, with its usage and flags', async () => {
    const dir = tempDir()
    expect(ids.length).toBeGreaterThan(30)
    for (const id of ids) {
      const words = id.split(':')
      const run = await yb(dir, ['help', ...words])
      expect(run.exitCode, `yb help ${words.join(' ')}: ${run.stderr}`).toBe(0)
      expect(run.stdout, id).toContain(`$ yb ${words.join(' ')}`)
      const summary = manifest.commands[id]!.summary ?? manifest.commands[id]!.description ?? ''
      expect(run.stdout, id).toContain(summary.split('\n')[0]!.slice(0, 40))
    }
    const top = await yb(dir, ['help'])
    expect(top.stdout).toContain('TOPICS')
    expect(top.stdout).toMatch(/pay\s+Monthly payment/)
  }, 120_000)

  it('names the nearest command and flag of a typo, with or without a terminal', async () => {
    const dir = tempDir()
    const command = await ybProcess(dir, ['pya', '--month', '2025-03'])
    expect(command).toMatchObject({exitCode: 2, stdout: ''})
    expect(command.stderr).toBe('error: "pya" is not a yb command (did you mean "yb pay"?); `yb help` lists them\n')
    expect((await ybProcess(dir, ['cases', 'imprt'])).stderr).toContain('did you mean "yb cases import"?')
    const flag = await ybProcess(dir, ['pay', '--mnth', '2025-03'])
    expect(flag.exitCode).toBe(2)
    expect(flag.stderr).toBe('error: unknown flag --mnth (did you mean --month?)\nsee --help for the flags and examples\n')
    const month = await ybProcess(dir, ['reconcile', 'verify', 'x.csv', '--month', '2025-02-31'])
    expect(month.exitCode).toBe(2)
    expect(month.stderr).toContain('--month: "2025-02-31" is not a month YYYY-MM')
  }, 60_000)
})

describe('one --json error shape', () => {
  it('for a flag typo, an unknown command, a bad or missing value, an extra argument and rejected input, with its exit code (a usage error under 2 KB)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'bad.yaml'), 'format: yb-policy/1\nyear: 1999\n')
    const cases: [string[], number, string][] = [
      [['pay', '--mnth', '2023-01', '--json'], 2, 'flag_unknown'],
      [['pya', '--json'], 2, 'command_unknown'],
      [['pay', '--month', '2025-13', '--json'], 2, 'flag_value_bad'],
      [['pay', '--json'], 2, 'flag_invalid'],
      [['clear', '--year', '2025', 'extra', '--json'], 2, 'argument_unexpected'],
      [['period', 'close', '--json'], 2, 'flag_invalid'],
      [['init', '--method', 'XYZ', '--json'], 2, 'flag_unknown'],
      [['policy', 'init', '--year', '2025', '--method', 'XYZ', 'p.yaml', '--json'], 2, 'flag_value_not_allowed'],
      [['policy', 'check', 'bad.yaml', '--json'], 1, 'value_not_allowed'],
      [['pay', '--month', '2025-03', '--json'], 1, 'file_missing'],
      [['cases', 'import', '--month', '2025-03', 'nope.csv', '--json'], 1, 'file_missing'],
      [['runs', 'show', 'abc', '--json'], 2, 'usage'],
      [['demo', '--count', '5', '--json'], 2, 'usage'],
    ]
    for (const [args, exitCode, code] of cases) {
      const run = await ybProcess(dir, args)
      const what = `yb ${args.join(' ')}: ${run.stdout}${run.stderr}`
      expect(run.exitCode, what).toBe(exitCode)
      // A usage error is short; rejected input carries every collected error in details.errors.
      if (exitCode === 2) expect(Buffer.byteLength(run.stdout), what).toBeLessThan(2048)
      const value = JSON.parse(run.stdout)
      expect(Object.keys(value).sort(), what).toEqual(['error', 'exitCode'])
      expect(value.exitCode, what).toBe(exitCode)
      expect(value.error.code, what).toBe(code)
      expect(typeof value.error.message, what).toBe('string')
      expect(run.stderr, what).toBe('')
    }
  }, 60_000)
})

describe('shell completion', () => {
  it('writes bash and zsh completion that complete commands, subcommands and flags', async () => {
    const dir = tempDir()
    // oclif keeps the completion functions in yb's cache folder: here the one XDG_CACHE_HOME gives
    // (YB_CACHE_DIR, which the test run sets to its own, would come first).
    const env = {XDG_CACHE_HOME: join(dir, 'cache'), HOME: dir, YB_CACHE_DIR: join(dir, 'cache', 'yibao')}
    const setup = await ybProcess(dir, ['autocomplete', 'bash'], undefined, env)
    expect(setup.exitCode, setup.stderr).toBe(0)
    expect(setup.stdout).toContain('yb autocomplete script bash')
    const script = await ybProcess(dir, ['autocomplete', 'script', 'bash'], undefined, env)
    expect(script.stdout).toContain('YB_AC_BASH_SETUP_PATH=')
    const functions = join(dir, 'cache', 'yibao', 'autocomplete', 'functions')
    expect(existsSync(join(functions, 'bash', 'yb.bash'))).toBe(true)
    expect((await ybProcess(dir, ['autocomplete', 'zsh'], undefined, env)).exitCode).toBe(0)
    const zsh = readFileSync(join(functions, 'zsh', '_yb'), 'utf8')
    expect(zsh).toContain('#compdef yb')
    expect(zsh).toMatch(/"pay\[Monthly payment/)
    if (!existsSync('/bin/bash')) {
      console.log('notice: bash is absent, skipping the completion run')
      return
    }
    const complete = (words: string[]) =>
      spawnSync('/bin/bash', ['-c', `source "${join(functions, 'bash', 'yb.bash')}"; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; _yb_autocomplete; echo "\${COMPREPLY[*]}"`], {encoding: 'utf8'}).stdout.trim()
    expect(complete(['yb', 'pa']).split(' ')).toEqual(['pay'])
    expect(complete(['yb', 'cases', 'im'])).toBe('import')
    expect(complete(['yb', 'pay', '--mo'])).toBe('--month')
  }, 60_000)
})

describe('progress', () => {
  it('shows a progress line at a terminal, and none without one', async (context) => {
    if (!existsSync('/usr/bin/script')) {
      console.log('notice: script(1) is absent, skipping the terminal progress test')
      context.skip()
    }
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,一院,三级,1.00,职工|居民\n')
    const header = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded'
    const rows = Array.from({length: 60_000}, (_, k) => `S${k},H001,职工,1,60,22000,,8,I63.900,,14000.00,14000.00`)
    writeFileSync(join(dir, 'cases.csv'), [header, ...rows].join('\n'))
    writeFileSync(join(dir, 'april.csv'), [header, ...rows.map((row) => `A${row}`)].join('\n'))
    await yb(dir, ['init'])
    await yb(dir, ['institution', 'import', 'inst.csv'])
    const quiet = await ybProcess(dir, ['cases', 'import', '--month', '2025-03', 'cases.csv'])
    expect(quiet.stderr).toBe('')
    // script(1) gives the command a terminal; its output is what the terminal showed.
    const env = {...process.env, YB_DB: join(dir, 'yibao.db')}
    delete env.CI
    const shown = spawnSync('/usr/bin/script', ['-qec', `node ${join(ROOT, 'bin', 'run.js')} cases import --month 2025-04 april.csv`, '/dev/null'], {cwd: dir, env, encoding: 'utf8'})
    expect(shown.status, shown.stdout).toBe(0)
    expect(shown.stdout).toMatch(/\rreading april\.csv… [0-9.]+ of [0-9.]+ MB/)
    expect(shown.stdout).toContain('60000 rows read, 60000 new')
  }, 60_000)
})

describe('as cron runs it', () => {
  it('a small year in real processes without a terminal: every command ends by itself with its exit code, nothing on stderr', async () => {
    const dir = tempDir()
    const steps: [string[], number][] = [
      [['demo', '--count', '10', '--out-dir', 'd'], 0],
      // The demo closes its months: paying one again is refused, exit 1.
      [['pay', '--month', '2025-03', '--db', 'd/demo.db'], 1],
      [['reconcile', '--month', '2025-03', '--out', 'statements', '--db', 'd/demo.db'], 0],
      [['audit', 'verify', '--year', '2025', '--db', 'd/demo.db'], 0],
      [['runs', 'list', '--year', '2025', '--db', 'd/demo.db', '--json'], 0],
      [['cases', 'import', '--month', '2025-03', 'missing.csv', '--db', 'd/demo.db'], 1],
      [['clear', '--year', '2025', '--assessment', 'missing.csv', '--db', 'd/demo.db'], 1],
    ]
    for (const [args, exitCode] of steps) {
      const run = await ybProcess(dir, args)
      expect(run.exitCode, `yb ${args.join(' ')}: ${run.stderr}`).toBe(exitCode)
      if (exitCode === 0) expect(run.stderr, `yb ${args.join(' ')}`).not.toMatch(/\r|\u001B\[/)
    }
  }, 120_000)
})
