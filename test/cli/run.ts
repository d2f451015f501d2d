// Runs `yb` as a user would, without a TTY, in a temporary folder. `yb` runs the command in this
// test process, through the same oclif entry and failure reporting as bin/run.js (the built
// commands of dist/, oclif.manifest.json), capturing stdout and stderr: a process start per
// command was most of the suite's time. `ybProcess` starts the real binary, for what only a
// process shows: standard input, exit codes as the shell sees them, signals, two commands at once.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Config, run} from '@oclif/core'
import {execa} from 'execa'
import {afterAll} from 'vitest'
import {BIN, ROOT} from '../helpers.js'

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
  const [loaded, {reportFailure, jsonRequested}] = await Promise.all([config, failure])
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
  return {exitCode, stdout: out.join(''), stderr: err.join('')}
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
