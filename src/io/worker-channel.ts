/**
 * A command's thread and a worker talking in order over a MessagePort, with shared counters so
 * that the command can wait for the next message synchronously (it is inside a SQLite
 * transaction and reads as it writes) and the worker waits when it is far enough ahead (memory
 * stays flat). Used by the import and pricing workers.
 *
 *   const control = channelControl()                       // given to the worker with its port
 *   worker side: const out = new ChannelSender(port, control); out.waitForRoom(sent, 16); out.post(page)
 *   command side: const input = new ChannelReceiver<Reply>(port, control, 'pricing worker 1'); input.next(); input.consumed()
 */
import {existsSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'
import {type MessagePort, receiveMessageOnPort, type Transferable, Worker} from 'node:worker_threads'
import {assert} from '../errors.js'

/** The shared words: messages posted and consumed, the command's cancel, and jobs sent (a worker can be given several, in turn). */
export const CHANNEL = {produced: 0, consumed: 1, cancelled: 2, jobs: 3} as const
/** A worker that stops without a word (it cannot: it answers every failure) is not waited for forever. */
const STALL_MS = 600_000
const WAIT_MS = 1000

/** The most workers YB_WORKERS may ask for. */
const MAX_WORKERS = 8

/** A whole number ≥ 1 that environment variable `name` gives, else undefined (unset, or not such a number). */
export function envCount(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const asked = Number(env[name])
  return env[name] !== undefined && Number.isInteger(asked) && asked >= 1 ? asked : undefined
}

/** What YB_WORKERS asks for (1: this thread only), at most MAX_WORKERS; undefined when it does not say. */
export function askedWorkers(env: NodeJS.ProcessEnv): number | undefined {
  const asked = envCount(env, 'YB_WORKERS')
  return asked === undefined ? undefined : Math.min(asked, MAX_WORKERS)
}

/**
 * Whether workers can read what the command reads: a database in a file, not inside a
 * transaction already open (what that connection wrote only it sees), and the worker's module
 * built (run from the TypeScript sources, as the unit tests do, there is none to start).
 */
export function workersCanRead(db: {readonly inTransaction: boolean; readonly memory: boolean; readonly name: string}, workerFile: URL): boolean {
  return !db.inTransaction && !db.memory && db.name !== '' && db.name !== ':memory:' && existsSync(fileURLToPath(workerFile))
}

/** A started worker and the promise of its exit (listened for from the start: an exit before anyone asks is not missed). */
export interface RunningWorker {
  readonly worker: Worker
  readonly exited: Promise<unknown>
}

/** Starts a worker that does not keep the process alive by itself (the command waits for it with workerExit). */
export function runWorker(file: URL, workerData: unknown, transferList: readonly Transferable[]): RunningWorker {
  const worker = new Worker(file, {workerData, transferList: [...transferList]})
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.unref()
  return {worker, exited}
}

/**
 * Waits for a worker that is done, or told to stop, to close its read of the workspace and exit:
 * a connection left open keeps SQLite from folding its log back into the workspace file when the
 * command closes its own (the file alone would then lack the last writes). One that has not exited
 * within `graceMs` is terminated. (The wait's timer keeps the process alive meanwhile: the worker itself does not.)
 */
export async function workerExit(running: RunningWorker, graceMs = 5000): Promise<void> {
  const timer = new AbortController()
  await Promise.race([running.exited, sleep(graceMs, undefined, {signal: timer.signal}).then(() => running.worker.terminate(), () => undefined)])
  timer.abort()
}

export function channelControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Object.keys(CHANNEL).length))
}

export class ChannelReceiver<T> {
  constructor(
    private readonly port: MessagePort,
    private readonly control: Int32Array,
    private readonly what: string,
  ) {}

  /** The next message, waited for. */
  next(): T {
    let waitedMs = 0
    for (;;) {
      const seen = Atomics.load(this.control, CHANNEL.produced)
      const received = receiveMessageOnPort(this.port)
      if (received !== undefined) return received.message as T
      assert(waitedMs < STALL_MS, `${this.what} sent nothing for ${STALL_MS / 1000} s`)
      if (Atomics.wait(this.control, CHANNEL.produced, seen, WAIT_MS) === 'timed-out') waitedMs += WAIT_MS
    }
  }

  /** The next message if one is in, else undefined (not waited for). */
  tryNext(): T | undefined {
    return receiveMessageOnPort(this.port)?.message as T | undefined
  }

  /** One message used: the worker may post another. */
  consumed(): void {
    Atomics.add(this.control, CHANNEL.consumed, 1)
    Atomics.notify(this.control, CHANNEL.consumed)
  }

  /** A job posted to the worker (after its message). */
  jobSent(): void {
    Atomics.add(this.control, CHANNEL.jobs, 1)
    Atomics.notify(this.control, CHANNEL.jobs)
  }

  /** The command is done with the worker: it stops at its next wait. */
  cancel(): void {
    Atomics.store(this.control, CHANNEL.cancelled, 1)
    Atomics.notify(this.control, CHANNEL.consumed)
    Atomics.notify(this.control, CHANNEL.jobs)
    this.port.close()
  }
}

export class ChannelSender<T> {
  constructor(
    private readonly port: MessagePort,
    private readonly control: Int32Array,
  ) {}

  get cancelled(): boolean {
    return Atomics.load(this.control, CHANNEL.cancelled) === 1
  }

  post(message: T, transfer: readonly Transferable[] = []): void {
    this.port.postMessage(message, transfer)
    Atomics.add(this.control, CHANNEL.produced, 1)
    Atomics.notify(this.control, CHANNEL.produced)
  }

  /** Waits while `sent` messages are `ahead` or more beyond those consumed; false when the command cancelled. */
  waitForRoom(sent: number, ahead: number): boolean {
    for (;;) {
      const consumed = Atomics.load(this.control, CHANNEL.consumed)
      if (this.cancelled) return false
      if (sent - consumed < ahead) return true
      Atomics.wait(this.control, CHANNEL.consumed, consumed, WAIT_MS)
    }
  }

  /** The job numbered `n` (from 1), waited for; undefined when the command cancelled. */
  job<J>(n: number): J | undefined {
    while (Atomics.load(this.control, CHANNEL.jobs) < n && !this.cancelled) Atomics.wait(this.control, CHANNEL.jobs, n - 1, WAIT_MS)
    if (this.cancelled) return undefined
    return receiveMessageOnPort(this.port)?.message as J | undefined
  }
}
