/**
 * A month's case file read and checked on worker threads (import-worker.ts) while this thread
 * stores the rows: each worker parses the whole file and checks and hashes its share of the
 * records (batch n of BATCH_RECORDS records on worker n % workers) exactly as prepareFile does here
 * (the same function, over its own read of the workspace for the institutions and the person-key
 * secret); the import takes the batches in order and applies them as it would its own records.
 * For a regular file of IMPORT_WORKER_MIN_BYTES or more, or as YB_WORKERS says (1: this thread);
 * never inside a transaction already open or for stdin.
 *
 *   importWorkers(db, 'cases.csv') → 2;  recordsFromWorker('yibao.db', {month, file, encoding}, 2)(apply, …)
 */
import {statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {MessageChannel, type MessagePort} from 'node:worker_threads'
import {assert, type InputError, InputErrors} from '../errors.js'
import type {TextEncoding} from '../io/text-stream.js'
import {askedWorkers, ChannelReceiver, channelControl, envCount, runWorker, workerExit, workersCanRead} from '../io/worker-channel.js'
import type {Db} from './db.js'
import type {RecordSource} from './keyed-import.js'
import type {PreparedRecord} from './keyed-records.js'

/** About 100,000 cases: below it a worker's start (about 0.2 s) costs more than it saves. */
export const IMPORT_WORKER_MIN_BYTES = 16 << 20
/** Records a batch, and batches the worker may be ahead of the import. */
export const BATCH_RECORDS = 500
export const BATCHES_AHEAD = 16
const WORKER_FILE = new URL('./import-worker.js', import.meta.url)

export const KIND = {header: 0, blank: 1, reject: 2, row: 3} as const

/** A batch as posted: per record its kind and line, and its pieces of text (a row's values, its hash, its raw line; a reject's raw line) run together with their ends. */
export interface PostedBatch {
  /** Records batchNo × BATCH_RECORDS onwards. */
  readonly batchNo: number
  readonly kinds: Uint8Array
  readonly lines: Int32Array
  readonly text: string
  readonly ends: Int32Array
  /** Per rejected record, in order, its errors. */
  readonly errors: (readonly InputError[])[]
  /** The header's fields, when the batch has it. */
  readonly header?: readonly string[]
  /** Values a row has (the table's columns). */
  readonly valuesPerRow: number
  /** Bytes of the file the worker had read. */
  readonly bytesRead: number
}
export type ImportReply = {readonly batch: PostedBatch} | {readonly end: {readonly sha256: string; readonly headerSeen: boolean; readonly records: number}} | {readonly error: string; readonly inputErrors?: readonly InputError[]; readonly total?: number}
export interface ImportWorkerInput {
  readonly dbPath: string
  readonly month: string
  readonly file: string
  readonly encoding: TextEncoding
  readonly port: MessagePort
  readonly control: SharedArrayBuffer
  /** This worker checks the batches n with n % of === index. */
  readonly index: number
  readonly of: number
  readonly batchRecords: number
}

/** How many workers read the file (0: this thread): two for a large file on two cores, or YB_WORKERS (1: this thread). */
export function importWorkers(db: Db, file: string, env: NodeJS.ProcessEnv = process.env): number {
  if (file === '-' || !workersCanRead(db, WORKER_FILE)) return 0
  let size = 0
  try {
    const stat = statSync(file)
    if (!stat.isFile()) return 0
    size = stat.size
  } catch {
    return 0
  }
  const asked = askedWorkers(env)
  if (asked !== undefined) return asked === 1 ? 0 : asked
  return size >= IMPORT_WORKER_MIN_BYTES && availableParallelism() >= 2 ? 2 : 0
}

/** The records of the file, prepared on `workers` workers, handed to the import in order. */
export function recordsFromWorker(dbPath: string, what: {month: string; file: string; encoding: TextEncoding}, workers: number): RecordSource {
  return async (emit, afterBatch, onBytes) => {
    // YB_IMPORT_BATCH_RECORDS: smaller batches, for tests of batch boundaries on small files.
    const started = Array.from({length: workers}, (_, index) => {
      const control = channelControl()
      const {port1, port2} = new MessageChannel()
      const workerData: ImportWorkerInput = {dbPath, ...what, port: port2, control: control.buffer as SharedArrayBuffer, index, of: workers, batchRecords: envCount(process.env, 'YB_IMPORT_BATCH_RECORDS') ?? BATCH_RECORDS}
      return {channel: new ChannelReceiver<ImportReply>(port1, control, `import worker ${index + 1}`), running: runWorker(WORKER_FILE, workerData, [port2])}
    })
    let bytesRead = 0
    try {
      // Batch n comes from worker n % workers; the first worker that has no batch n says where the file ends.
      for (let n = 0; ; n++) {
        const {channel} = started[n % workers]!
        const reply = channel.next()
        if ('error' in reply) throw reply.inputErrors === undefined ? new Error(`import worker ${(n % workers) + 1} failed: ${reply.error}`) : new InputErrors(reply.inputErrors, reply.total)
        if ('end' in reply) return reply.end
        assert(reply.batch.batchNo === n, `import worker ${(n % workers) + 1} sent batch ${reply.batch.batchNo} where batch ${n} was due`)
        unpack(reply.batch, emit)
        channel.consumed()
        if (reply.batch.bytesRead > bytesRead) {
          onBytes(reply.batch.bytesRead - bytesRead)
          bytesRead = reply.batch.bytesRead
        }
        await afterBatch()
      }
    } finally {
      for (const {channel} of started) channel.cancel()
      await Promise.all(started.map(({running}) => workerExit(running)))
    }
  }
}

function unpack(batch: PostedBatch, emit: (record: PreparedRecord) => void): void {
  const {kinds, lines, text, ends, errors} = batch
  let piece = 0
  let rejected = 0
  const next = () => text.slice(piece === 0 ? 0 : ends[piece - 1]!, ends[piece++]!)
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[k]!
    if (kind === KIND.header) emit({kind: 'header', fields: batch.header!})
    else if (kind === KIND.blank) emit({kind: 'blank'})
    else if (kind === KIND.reject) emit({kind: 'reject', raw: next(), errors: errors[rejected++]!})
    else {
      const values: string[] = new Array<string>(batch.valuesPerRow)
      for (let v = 0; v < batch.valuesPerRow; v++) values[v] = next()
      const hash = next()
      emit({kind: 'row', line: lines[k]!, values, hash, raw: next()})
    }
  }
}
