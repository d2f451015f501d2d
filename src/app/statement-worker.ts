/**
 * A worker thread of `yb reconcile`: writes one batch of institutions' statements
 * (src/app/statement-batch.ts) over its own read-only connection to the workspace, posting
 * {done} as cases are written and {result} (or {error}) at the end.
 */
import {parentPort, workerData} from 'node:worker_threads'
import {openReader} from '../store/db.js'
import {type BatchResult, type StatementBatch, writeStatements} from './statement-batch.js'

export interface WorkerInput {
  readonly dbPath: string
  readonly batch: StatementBatch
}
export type WorkerMessage = {readonly done: number} | {readonly result: BatchResult} | {readonly error: string}

const {dbPath, batch} = workerData as WorkerInput
const db = openReader(dbPath)
try {
  const result = await writeStatements(db, batch, (done) => parentPort!.postMessage({done} satisfies WorkerMessage))
  parentPort!.postMessage({result} satisfies WorkerMessage)
} catch (error) {
  parentPort!.postMessage({error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)} satisfies WorkerMessage)
} finally {
  db.close()
}
