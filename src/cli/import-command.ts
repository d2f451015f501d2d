/**
 * What the settlement imports share: their flags, the workspace, a progress line at a terminal
 * (bytes of the file read), the summary line and the exit code (0 done, 3 done with rows in the
 * rejects file).
 *
 *   runImport(this, 'cases.csv', flags, (db, options) => importCases(db, '2025-03', options)) → KeyedImportResult
 */
import {basename} from 'node:path'
import {Flags} from '@oclif/core'
import type {KeyedImportResult} from '../store/keyed-import.js'
import type {ImportFileOptions} from '../store/settlement-data.js'
import type {Db} from '../store/db.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../io/text-stream.js'
import {dbFlag, EXIT_REJECTED_ROWS, type YbCommand} from './base.js'
import {progressLine} from './progress.js'

const megabytes = (bytes: number): string => (bytes / 1_048_576).toFixed(1)

export const importFlags = {
  replace: Flags.boolean({description: 'replace rows whose key is already stored with other values'}),
  rejects: Flags.string({description: 'import the good rows and write the bad ones here with their reason', helpValue: '<file>'}),
  encoding: Flags.string({description: 'input encoding', options: [...TEXT_ENCODINGS], default: 'utf-8'}),
  db: dbFlag,
}

export async function runImport<R extends KeyedImportResult>(
  command: YbCommand,
  file: string,
  flags: {db?: string | undefined; encoding: string; replace: boolean; rejects?: string | undefined},
  work: (db: Db, options: ImportFileOptions) => Promise<R>,
): Promise<R> {
  return command.writing(flags.db, async (db) => {
    const progress = command.interactive() ? progressLine(`reading ${basename(file)}`) : undefined
    const options: ImportFileOptions = {
      file,
      encoding: flags.encoding as TextEncoding,
      replace: flags.replace,
      ...(flags.rejects === undefined ? {} : {rejects: flags.rejects}),
      ...(progress === undefined ? {} : {onProgress: (read: number, total: number) => progress.update(total > 0 ? `${megabytes(read)} of ${megabytes(total)} MB` : `${megabytes(read)} MB`)}),
    }
    const result = await work(db, options)
    progress?.done()
    command.log(
      `${result.file} → ${result.kind} ${result.scope}: ${result.rowsRead} rows read, ${result.inserted} new, ${result.same} unchanged, ${result.replaced} replaced` +
        (result.rejected > 0 ? `, ${result.rejected} rejected → ${result.rejects}` : '') +
        (result.skipped > 0 ? `, ${result.skipped} blank skipped` : ''),
    )
    if (result.rejected > 0) process.exitCode = EXIT_REJECTED_ROWS
    return result
  })
}
