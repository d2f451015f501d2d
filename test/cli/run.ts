// Runs the built `yb` as a user would, without a TTY, in a temporary folder.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {afterAll} from 'vitest'
import {BIN} from '../helpers.js'

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

export async function yb(cwd: string, args: string[], input?: string | Buffer): Promise<Run> {
  const result = await execa('node', [BIN, ...args], {cwd, reject: false, input, env: {YB_DB: join(cwd, 'yibao.db'), CI: 'true'}, stripFinalNewline: false})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
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
