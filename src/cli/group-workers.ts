/**
 * `yb group` on both cores for a big file: the command's thread and a worker thread (or as many
 * as YB_WORKERS says) each parse the whole file and group their share of it, a batch of
 * BATCH_RECORDS records on the thread that reaches it first (groupFile's share): the command's
 * thread groups alone while the worker starts, and the worker takes more when the command's is
 * busy writing. The command writes every batch in order and adds up the counts, so the output,
 * the rejects and the result are those of one thread, byte for byte. Workers are used from GROUP_WORKERS_FROM_BYTES of input, for a file
 * (not stdin), and when the worker's module is built.
 *
 *   const workers = startGroupWorkers(groupThreads(file), {refs: {scheme: 'chs-drg-1.1'}, input: file, …})
 *   try { result = await workers.group(groupFileOptions) } finally { await workers.close() }
 */
import {existsSync, statSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {MessageChannel, type MessagePort} from 'node:worker_threads'
import {assert, InputErrors, type InputError} from '../errors.js'
import {type GroupedBatch, groupFile, type GroupFileOptions, type GroupFileResult, type GroupTally, claimBatch, shareClaims} from '../grouper/group-file.js'
import {askedWorkers, ChannelReceiver, channelControl, envCount, type RunningWorker, runWorker, workerExit} from '../io/worker-channel.js'

/** Records in a batch: big enough that a batch's text is handed over in one message, small enough to keep both threads busy. */
const BATCH_RECORDS = 2000
/**
 * From this size of input (about 200,000 cases) a second thread pays for its start and its second
 * parse of the file. Measured here: 100,000 cases (11 MB) 0.76 s on one thread, 0.81 s on two;
 * 300,000 cases (40 MB) 1.53 → 1.28 s; 1,000,000 cases 4.75–5.05 → 4.05–4.39 s.
 */
const GROUP_WORKERS_FROM_BYTES = 24 << 20
/** Batches a worker may be ahead of the command's writing. */
export const BATCHES_AHEAD = 16
const WORKER_FILE = new URL('./group-worker.js', import.meta.url)

/** The scheme and catalog as the command was given them, for a worker to open the same. */
export interface GroupRefs {
  readonly scheme?: string | undefined
  readonly dip?: string | undefined
  readonly db?: string | undefined
}

export interface GroupWorkerInput {
  readonly refs: GroupRefs
  readonly input: string
  readonly format: GroupFileOptions['format']
  readonly explain: boolean
  readonly encoding: GroupFileOptions['encoding']
  readonly rejects: string | undefined
  /** The shared word the threads take batches with (group-share.ts, claimBatch). */
  readonly claims: SharedArrayBuffer
  readonly batchRecords: number
  readonly port: MessagePort
  readonly control: SharedArrayBuffer
}

export type GroupReply = {readonly batch: GroupedBatch} | {readonly end: GroupTally} | {readonly error: string; readonly inputErrors?: readonly InputError[]; readonly total?: number}

/** Threads to group `input` on: 1 (this one) unless the file is big enough or YB_WORKERS asks for more. */
export function groupThreads(input: string, env: NodeJS.ProcessEnv = process.env): number {
  if (input === '-' || !existsSync(fileURLToPath(WORKER_FILE))) return 1
  const asked = askedWorkers(env)
  if (asked !== undefined) return asked
  try {
    const stat = statSync(input)
    return stat.isFile() && stat.size >= GROUP_WORKERS_FROM_BYTES ? 2 : 1
  } catch {
    return 1
  }
}

/** What a worker is given apart from its place among the threads and its channel. */
type GroupJob = Omit<GroupWorkerInput, 'claims' | 'batchRecords' | 'port' | 'control'>

/** Starts the workers of a grouping on `threads` threads (the command's is the first): they load the scheme while the command does. */
export function startGroupWorkers(threads: number, job: GroupJob): GroupWorkers | undefined {
  if (threads < 2) return undefined
  const batchRecords = envCount(process.env, 'YB_GROUP_BATCH_RECORDS') ?? BATCH_RECORDS
  return new GroupWorkers(threads, batchRecords, job)
}

export class GroupWorkers {
  private readonly running: RunningWorker[] = []
  private readonly receivers: ChannelReceiver<GroupReply>[] = []
  private readonly ports: MessagePort[] = []
  private readonly claims = shareClaims()
  /** Batches received and not yet handed to the writer, by number, with the worker that sent them. */
  private readonly arrivedBatches = new Map<number, {readonly batch: GroupedBatch; readonly worker: number}>()
  /** Per worker: the number of the last batch it sent (each sends its batches in order), and its tally once it ended. */
  private readonly lastBatch: number[] = []
  private readonly ends: (GroupTally | undefined)[] = []

  constructor(
    readonly threads: number,
    readonly batchRecords: number,
    job: GroupJob,
  ) {
    for (let k = 1; k < threads; k++) {
      const {port1, port2} = new MessageChannel()
      const control = channelControl()
      const input: GroupWorkerInput = {...job, claims: this.claims.buffer as SharedArrayBuffer, batchRecords, port: port2, control: control.buffer as SharedArrayBuffer}
      this.running.push(runWorker(WORKER_FILE, input, [port2]))
      this.receivers.push(new ChannelReceiver<GroupReply>(port1, control, `grouping worker ${k}`))
      this.ports.push(port1)
      this.lastBatch.push(-1)
      this.ends.push(undefined)
    }
  }

  /** Groups the file on every thread: `options` as for one thread. The caller closes the workers after, as after a failure before. */
  async group(options: GroupFileOptions): Promise<GroupFileResult> {
    // What the command opened, for each worker to check that it opened the same (a pack changed in between would group otherwise).
    const sha = {scheme: options.scheme?.sha256 ?? null, dip: options.dip?.sha256 ?? null}
    this.ports.forEach((port, k) => {
      port.postMessage(sha)
      this.receivers[k]!.jobSent()
    })
    return groupFile({
      ...options,
      share: {
        claim: claimBatch(this.claims),
        batchRecords: this.batchRecords,
        others: {
          arrived: (batchNo) => {
            this.poll()
            return this.hand(batchNo)
          },
          batch: (batchNo) => this.waitFor(batchNo),
          // Asked once every batch is written. A worker that sent none took none: its tally is empty and not waited for (it may still be starting).
          tallies: () => {
            assert(this.arrivedBatches.size === 0, 'every batch the workers sent is written')
            return this.receivers.flatMap((receiver, k) => {
              if (this.lastBatch[k] === -1) return []
              while (this.ends[k] === undefined) this.take(k, receiver.next())
              return [this.ends[k]!]
            })
          },
        },
      },
    })
  }

  /** Stops the workers (they stop at their next wait) and waits for them to exit. */
  async close(): Promise<void> {
    for (const receiver of this.receivers) receiver.cancel()
    await Promise.all(this.running.map((running) => workerExit(running)))
  }

  /** What worker k sent: a batch (kept until written), its tally, or the error that stopped it (thrown). */
  private take(k: number, reply: GroupReply): void {
    if ('error' in reply) throw reply.inputErrors === undefined ? new Error(`grouping worker ${k + 1}: ${reply.error}`) : new InputErrors(reply.inputErrors, reply.total)
    assert(this.ends[k] === undefined, `grouping worker ${k + 1} sends nothing after its tally`)
    if ('end' in reply) {
      this.ends[k] = reply.end
      return
    }
    assert(reply.batch.batchNo > this.lastBatch[k]!, `grouping worker ${k + 1} sends its batches in order`)
    this.lastBatch[k] = reply.batch.batchNo
    this.arrivedBatches.set(reply.batch.batchNo, {batch: reply.batch, worker: k})
  }

  /** Takes in what every worker has sent so far, without waiting. */
  private poll(): void {
    this.receivers.forEach((receiver, k) => {
      for (let reply = receiver.tryNext(); reply !== undefined; reply = receiver.tryNext()) this.take(k, reply)
    })
  }

  /** Batch n if it is in, handed to the writer: its worker may send another. */
  private hand(batchNo: number): GroupedBatch | undefined {
    const arrived = this.arrivedBatches.get(batchNo)
    if (arrived === undefined) return undefined
    this.arrivedBatches.delete(batchNo)
    this.receivers[arrived.worker]!.consumed()
    return arrived.batch
  }

  /**
   * Batch n, which a worker took, waited for. Only a worker that has not ended and whose last batch
   * came before n can have it; such a worker is not held back by its unwritten batches (every batch
   * before n is written), so waiting for its next message ends.
   */
  private waitFor(batchNo: number): GroupedBatch {
    for (;;) {
      this.poll()
      const batch = this.hand(batchNo)
      if (batch !== undefined) return batch
      const k = this.lastBatch.findIndex((last, k) => this.ends[k] === undefined && last < batchNo)
      assert(k >= 0, `batch ${batchNo} was taken by a grouping worker`)
      this.take(k, this.receivers[k]!.next())
    }
  }
}
