/**
 * `yb group` on both cores for a big file: the command's thread and a worker thread (or as many
 * as YB_WORKERS says) each parse the whole file and group their share of it, batch n of
 * BATCH_RECORDS records on thread n % threads (groupFile's share). The command writes every batch
 * in order and adds up the counts, so the output, the rejects and the result are those of one
 * thread, byte for byte. Workers are used from GROUP_WORKERS_FROM_BYTES of input, for a file
 * (not stdin), and when the worker's module is built.
 *
 *   const workers = startGroupWorkers(groupThreads(file), {refs: {scheme: 'chs-drg-1.1'}, input: file, …})
 *   try { result = await workers.group(groupFileOptions) } finally { await workers.close() }
 */
import {existsSync, statSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {MessageChannel, type MessagePort} from 'node:worker_threads'
import {assert, InputErrors, type InputError} from '../errors.js'
import {type GroupedBatch, groupFile, type GroupFileOptions, type GroupFileResult, type GroupTally} from '../grouper/group-file.js'
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
  readonly index: number
  readonly of: number
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
type GroupJob = Omit<GroupWorkerInput, 'index' | 'of' | 'batchRecords' | 'port' | 'control'>

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

  constructor(
    readonly threads: number,
    readonly batchRecords: number,
    job: GroupJob,
  ) {
    for (let k = 1; k < threads; k++) {
      const {port1, port2} = new MessageChannel()
      const control = channelControl()
      const input: GroupWorkerInput = {...job, index: k, of: threads, batchRecords, port: port2, control: control.buffer as SharedArrayBuffer}
      this.running.push(runWorker(WORKER_FILE, input, [port2]))
      this.receivers.push(new ChannelReceiver<GroupReply>(port1, control, `grouping worker ${k}`))
      this.ports.push(port1)
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
        index: 0,
        of: this.threads,
        batchRecords: this.batchRecords,
        others: {
          batch: (batchNo) => {
            const reply = this.next(batchNo % this.threads)
            assert('batch' in reply && reply.batch.batchNo === batchNo, `grouping worker ${batchNo % this.threads} sends batch ${batchNo} in turn`)
            return reply.batch
          },
          tallies: () =>
            this.receivers.map((_, k) => {
              const reply = this.next(k + 1)
              assert('end' in reply, `grouping worker ${k + 1} ends after its last batch`)
              return reply.end
            }),
        },
      },
    })
  }

  /** Stops the workers (they stop at their next wait) and waits for them to exit. */
  async close(): Promise<void> {
    for (const receiver of this.receivers) receiver.cancel()
    await Promise.all(this.running.map((running) => workerExit(running)))
  }

  private next(worker: number): GroupReply & ({batch: GroupedBatch} | {end: GroupTally}) {
    const receiver = this.receivers[worker - 1]!
    const reply = receiver.next()
    receiver.consumed()
    if ('error' in reply) throw reply.inputErrors === undefined ? new Error(`grouping worker ${worker}: ${reply.error}`) : new InputErrors(reply.inputErrors, reply.total)
    return reply
  }
}
