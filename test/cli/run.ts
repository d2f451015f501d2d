// Runs the built `yb` as a user would, without a TTY, in a temporary folder.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {BIN} from '../helpers.js'

export interface Run {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'yb-test-'))
}

export async function yb(cwd: string, args: string[], input?: string | Buffer): Promise<Run> {
  const result = await execa('node', [BIN, ...args], {cwd, reject: false, input, env: {YB_DB: join(cwd, 'yibao.db'), CI: 'true'}, stripFinalNewline: false})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}
