/**
 * The worker thread of import-source.ts: parses a month's case file and prepares its share of the
 * records (prepareFile, with the plan importCases uses, over its own read-only connection): the
 * batches of BATCH_RECORDS records n with n % of === index, posted in order, at most
 * BATCHES_AHEAD ahead of the import; then {end}, or the error that stopped it.
 */
import {workerData} from 'node:worker_threads'
import {InputErrors} from '../errors.js'
import {openReader} from './db.js'
import type {PreparedRecord} from './keyed-records.js'
import {prepareFile} from './keyed-records.js'
import {BATCHES_AHEAD, type ImportReply, type ImportWorkerInput, KIND, type PostedBatch} from './import-source.js'
import {casePlan} from './settlement-data.js'
import {ChannelSender} from '../io/worker-channel.js'

const {dbPath, month, file, encoding, port, control, index, of, batchRecords} = workerData as ImportWorkerInput
const channel = new ChannelSender<ImportReply>(port, new Int32Array(control))

const CANCELLED = new Error('cancelled')
const db = openReader(dbPath)
try {
  const plan = casePlan(db, month, file)
  const valuesPerRow = plan.table.columns.length
  // Batch n is records n × batchRecords onwards; this worker checks the batches n with n % of === index (every worker parses the whole file).
  const mine = (record: number) => Math.floor(record / batchRecords) % of === index
  let records: PreparedRecord[] = []
  let batchNo = -1
  let bytesRead = 0
  let posted = 0
  const send = (): void => {
    if (!channel.waitForRoom(posted, BATCHES_AHEAD)) return
    const batch = pack(batchNo, records, valuesPerRow, bytesRead)
    channel.post({batch}, [batch.kinds.buffer as ArrayBuffer, batch.lines.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer])
    posted++
    records = []
  }
  const end = await prepareFile(
    plan,
    encoding,
    (record) => {
      // Told to stop (the import failed or ended): stop reading, close and exit.
      if (channel.cancelled) throw CANCELLED
      records.push(record)
      if (records.length === batchRecords) send()
    },
    {
      onBytes: (chunk) => (bytesRead += chunk.length),
      take(record) {
        const taken = mine(record)
        if (taken && records.length === 0) batchNo = Math.floor(record / batchRecords)
        return taken
      },
    },
  )
  if (records.length > 0) send()
  if (!channel.cancelled) channel.post({end})
} catch (error) {
  if (error !== CANCELLED && !channel.cancelled) channel.post(error instanceof InputErrors ? {error: error.message, inputErrors: error.errors, total: error.total} : {error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)})
} finally {
  db.close()
  port.close()
}

function pack(batchNo: number, records: readonly PreparedRecord[], valuesPerRow: number, bytesRead: number): PostedBatch {
  const kinds = new Uint8Array(records.length)
  const lines = new Int32Array(records.length)
  const pieces: string[] = []
  const errors: PostedBatch['errors'] = []
  let header: readonly string[] | undefined
  for (const [k, record] of records.entries()) {
    kinds[k] = KIND[record.kind]
    if (record.kind === 'header') header = record.fields
    else if (record.kind === 'reject') {
      pieces.push(record.raw)
      errors.push(record.errors)
    } else if (record.kind === 'row') {
      lines[k] = record.line
      for (const value of record.values) pieces.push(value)
      pieces.push(record.hash, record.raw)
    }
  }
  const ends = new Int32Array(pieces.length)
  let at = 0
  for (const [k, piece] of pieces.entries()) ends[k] = at += piece.length
  return {batchNo, kinds, lines, text: pieces.join(''), ends, errors, valuesPerRow, bytesRead, ...(header === undefined ? {} : {header})}
}
