/**
 * What every yb command shares: the `--db` flag, and turning input errors into readable lines on
 * stderr (or JSON under --json) with exit code 1. Bugs keep their stack trace.
 *
 * Exit codes: 0 success; 1 rejected input or a failed check; 2 usage error (oclif);
 * 3 completed, but some rows went to the rejects file; 4 a comparison found differences
 * (`yb reconcile verify`); 5 the workspace was busy with another writer for longer than YB_WAIT
 * seconds (default 30).
 */
import {Command, Flags} from '@oclif/core'
import {formatInputError, InputErrors, WorkspaceBusy} from '../errors.js'
import {type Db, openWorkspace, workspacePath} from '../store/db.js'
import {acquireWriter} from '../store/writer.js'

export const EXIT_INPUT = 1
export const EXIT_REJECTED_ROWS = 3
export const EXIT_DIFFERENCES = 4
export const EXIT_BUSY = 5
/** Errors printed in text mode before "… and N more". */
const ERRORS_SHOWN_MAX = 20

export const dbFlag = Flags.string({
  description: 'workspace file (default: $YB_DB, else ./yibao.db)',
  helpValue: '<file>',
})

export abstract class YbCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof WorkspaceBusy) {
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({error: {total: 1, errors: [{file: '', row: 0, column: '', code: 'workspace_busy', message: error.message, holder: error.holder}]}}, null, 2)}\n`)
      else process.stderr.write(`error: ${error.message}\n`)
      return this.exit(EXIT_BUSY)
    }
    if (!(error instanceof InputErrors)) {
      // oclif's own catch reads exitCode but not oclif.exit under --json: keep usage errors at 2.
      if (error.exitCode === undefined && error.oclif?.exit !== undefined) error.exitCode = error.oclif.exit
      return super.catch(error)
    }
    if (this.jsonEnabled()) {
      process.stdout.write(`${JSON.stringify({error: {total: error.total, errors: error.errors}}, null, 2)}\n`)
    } else {
      for (const item of error.errors.slice(0, ERRORS_SHOWN_MAX)) process.stderr.write(`error: ${formatInputError(item)}\n`)
      const more = error.total - Math.min(error.errors.length, ERRORS_SHOWN_MAX)
      if (more > 0) process.stderr.write(`error: … and ${more} more\n`)
    }
    return this.exit(EXIT_INPUT)
  }

  /**
   * Opens the workspace as its one writer for `work` (store/writer.ts): waits for another writer
   * up to YB_WAIT seconds, then exits 5 naming it. Commands that only read use openWorkspace.
   */
  async writing<T>(dbFlag: string | undefined, work: (db: Db) => Promise<T> | T): Promise<T> {
    const {db} = openWorkspace({path: workspacePath(dbFlag), create: false})
    try {
      const release = acquireWriter(db, `yb ${this.id?.replace(/:/g, ' ') ?? ''} ${this.argv.join(' ')}`.trim())
      try {
        return await work(db)
      } finally {
        release()
      }
    } finally {
      db.close()
    }
  }

  /** Opens the workspace to read for `work` (never waits for a writer, never writes). */
  async reading<T>(dbFlag: string | undefined, work: (db: Db) => Promise<T> | T): Promise<T> {
    const {db} = openWorkspace({path: workspacePath(dbFlag), create: false})
    try {
      return await work(db)
    } finally {
      db.close()
    }
  }

  /** True when a person is watching: progress lines and colour are allowed. */
  protected interactive(): boolean {
    return Boolean(process.stderr.isTTY) && !process.env.CI && !this.jsonEnabled()
  }
}
