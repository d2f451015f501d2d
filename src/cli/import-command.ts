/**
 * What the three settlement imports share: their flags, the workspace, the summary line and the
 * exit code (0 done, 3 done with rows in the rejects file).
 *
 *   runImport(this, flags, (db) => importCases(db, '2025-03', options)) → KeyedImportResult
 */
import {Flags} from '@oclif/core'
import type {KeyedImportResult} from '../store/keyed-import.js'
import type {Db} from '../store/db.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../io/text-stream.js'
import {dbFlag, EXIT_REJECTED_ROWS, type YbCommand} from './base.js'

export const importFlags = {
  replace: Flags.boolean({description: 'replace rows whose key is already stored with other values'}),
  rejects: Flags.string({description: 'import the good rows and write the bad ones here with their reason', helpValue: '<file>'}),
  encoding: Flags.string({description: 'input encoding', options: [...TEXT_ENCODINGS], default: 'utf-8'}),
  db: dbFlag,
}

export async function runImport(
  command: YbCommand,
  flags: {db?: string | undefined; encoding: string},
  log: (text: string) => void,
  work: (db: Db, encoding: TextEncoding) => Promise<KeyedImportResult>,
): Promise<KeyedImportResult> {
  return command.writing(flags.db, async (db) => {
    const result = await work(db, flags.encoding as TextEncoding)
    log(
      `${result.file} → ${result.kind} ${result.scope}: ${result.rowsRead} rows read, ${result.inserted} new, ${result.same} unchanged, ${result.replaced} replaced` +
        (result.rejected > 0 ? `, ${result.rejected} rejected → ${result.rejects}` : '') +
        (result.skipped > 0 ? `, ${result.skipped} blank skipped` : ''),
    )
    if (result.rejected > 0) process.exitCode = EXIT_REJECTED_ROWS
    return result
  })
}
