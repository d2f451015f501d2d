// Runs `yb` as a user would, without a TTY, in a temporary folder. `yb` runs the command in this
// test process, through the same oclif entry and failure reporting as bin/run.js (the built
// commands of dist/, oclif.manifest.json), capturing stdout and stderr: a process start per
// command was most of the suite's time. `ybProcess` starts the real binary, for what only a
// process shows: standard input, exit codes as the shell sees them, signals, two commands at once.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Config, run} from '@oclif/core'
import {execa} from 'execa'
import {afterAll} from 'vitest'
import {BIN, ROOT} from '../helpers.js'
import {schemaProblems} from '../json-schema.js'

export interface Run {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

const made: string[] = []
// Registered at import, so it runs after the importing test file's tests.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
})

/** A temporary folder, removed after the test file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'yb-test-'))
  made.push(dir)
  return dir
}

/** The real binary in its own process (stdin given as `input`). */
export async function ybProcess(cwd: string, args: string[], input?: string | Buffer, env: Record<string, string> = {}): Promise<Run> {
  const result = await execa('node', [BIN, ...args], {cwd, reject: false, input, env: {YB_DB: join(cwd, 'yibao.db'), CI: 'true', ...env}, stripFinalNewline: false})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

let config: Promise<Config> | undefined
let failure: Promise<{reportFailure: (error: unknown, json: boolean) => number; jsonRequested: (argv: readonly string[]) => boolean}> | undefined
/** One command at a time: the working folder, the environment and stdout are the process's. */
let queue: Promise<unknown> = Promise.resolve()

async function inProcess(cwd: string, args: string[]): Promise<Run> {
  config ??= Config.load({root: ROOT})
  failure ??= import(join(ROOT, 'dist', 'cli', 'failure.js'))
  // Help keeps state in the configuration it renders from (a topic shown once hides its
  // subcommands from the next lookup): each help request gets a configuration of its own.
  const help = args[0] === 'help' || args.includes('--help')
  const [loaded, {reportFailure, jsonRequested}] = await Promise.all([help ? Config.load({root: ROOT}) : config, failure])
  const out: string[] = []
  const err: string[] = []
  const capture = (into: string[]) => (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)())
    return true
  }
  const saved = {cwd: process.cwd(), db: process.env.YB_DB, ci: process.env.CI, stdout: process.stdout.write, stderr: process.stderr.write, exitCode: process.exitCode}
  process.chdir(cwd)
  process.env.YB_DB = join(cwd, 'yibao.db')
  process.env.CI = 'true'
  process.exitCode = undefined
  process.stdout.write = capture(out) as typeof process.stdout.write
  process.stderr.write = capture(err) as typeof process.stderr.write
  let exitCode: number
  try {
    await run(args, loaded)
    exitCode = Number(process.exitCode ?? 0)
  } catch (error) {
    exitCode = reportFailure(error, jsonRequested(args))
  } finally {
    process.stdout.write = saved.stdout
    process.stderr.write = saved.stderr
    process.chdir(saved.cwd)
    if (saved.db === undefined) delete process.env.YB_DB
    else process.env.YB_DB = saved.db
    if (saved.ci === undefined) delete process.env.CI
    else process.env.CI = saved.ci
    process.exitCode = saved.exitCode
  }
  const result = {exitCode, stdout: out.join(''), stderr: err.join('')}
  if (args.includes('--json')) checkContract(loaded, args, result)
  return result
}

/** The error shape every failure has under --json (src/cli/failure.ts). */
const FAILURE_SCHEMA = {
  type: 'object',
  required: ['error', 'exitCode'],
  additionalProperties: false,
  properties: {
    exitCode: {type: 'number'},
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {code: {type: 'string'}, message: {type: 'string'}, file: {type: 'string'}, row: {type: 'number'}, column: {type: 'string'}, hint: {type: 'string'}, details: {type: 'object'}},
    },
  },
}

/**
 * Every --json output of every test is held to its contract: a success to the command's schema in
 * contracts/json (generated from its result type), a failure to the one error shape with the
 * process's exit code. A test then fails where the output and the contract part.
 */
function checkContract(loaded: Config, args: string[], run: Run): void {
  if (run.stdout.trim() === '' || (args.includes('--out') && args[args.indexOf('--out') + 1] === '-')) return
  const value = JSON.parse(run.stdout) as unknown
  if (run.exitCode !== 0 && run.exitCode !== 3 && run.exitCode !== 4) {
    const problems = schemaProblems(FAILURE_SCHEMA, value)
    if ((value as {exitCode?: number}).exitCode !== run.exitCode) problems.push(`exitCode ${(value as {exitCode?: number}).exitCode} is not the exit code ${run.exitCode}`)
    if (problems.length > 0) throw new Error(`yb ${args.join(' ')}: the failure is not the one --json shape: ${problems.join('; ')}`)
    return
  }
  const words = args.filter((a) => !a.startsWith('-'))
  let id: string | undefined
  for (let n = words.length; n > 0 && id === undefined; n -= 1) if (loaded.findCommand(words.slice(0, n).join(':')) !== undefined) id = words.slice(0, n).join(':')
  if (id === undefined) return
  const file = join(ROOT, 'contracts', 'json', `${id.split(':').join('-')}.schema.json`)
  if (!existsSync(file)) throw new Error(`yb ${id}: no contract ${file} (run npm run contracts)`)
  const problems = schemaProblems(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, value)
  if (problems.length > 0) throw new Error(`yb ${args.join(' ')}: the --json output differs from contracts/json/${id.split(':').join('-')}.schema.json: ${problems.slice(0, 8).join('; ')}`)
}

/** `yb args` in `cwd` (workspace ./yibao.db, no TTY); with `input`, in its own process, reading it on stdin. */
export async function yb(cwd: string, args: string[], input?: string | Buffer): Promise<Run> {
  if (input !== undefined) return ybProcess(cwd, args, input)
  const next = queue.then(() => inProcess(cwd, args))
  queue = next.catch(() => undefined)
  return next
}

/** Runs commands in order, as a setup: each must succeed, or the test fails naming it. */
export async function ybAll(cwd: string, commands: readonly string[][]): Promise<void> {
  for (const args of commands) {
    const run = await yb(cwd, args)
    if (run.exitCode !== 0) throw new Error(`yb ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}`)
  }
}

/** `yb period close` of every month of a year (a month without cases closes without a run): what a clearing needs first. */
export function closeMonths(year = 2025): string[] {
  return ['period', 'close', ...Array.from({length: 12}, (_, k) => ['--month', `${year}-${String(k + 1).padStart(2, '0')}`]).flat(), '--reason', '拨付完成']
}

/** Runs `work` with these environment variables set (the commands run in this process), then puts them back. */
export async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  try {
    return await work()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}
