/**
 * What every yb command shares: the `--db` flag, the workspace opened to read or as its one
 * writer, and every failure reported one way (src/cli/failure.ts): a line on stderr, or the one
 * JSON shape on stdout under --json, with the exit code of src/cli/exit-codes.ts.
 */
import {Command, Flags} from '@oclif/core'
import {type Db, openWorkspace, workspacePath} from '../store/db.js'
import {acquireWriter} from '../store/writer.js'
import {EXIT} from './exit-codes.js'
import {reportFailure} from './failure.js'

export const EXIT_REJECTED_ROWS = EXIT.rejectedRows
export const EXIT_DIFFERENCES = EXIT.differences

export const dbFlag = Flags.string({
  description: 'workspace file (default: $YB_DB, else ./yibao.db)',
  helpValue: '<file>',
})

export abstract class YbCommand extends Command {
  protected override async catch(error: Error): Promise<unknown> {
    return this.exit(reportFailure(error, this.jsonEnabled()))
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
  interactive(): boolean {
    return Boolean(process.stderr.isTTY) && !process.env.CI && !this.jsonEnabled()
  }
}
