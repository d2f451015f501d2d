/**
 * Where a run's priced pages come from: this thread, or worker threads (pricing-worker.ts) that
 * read, group and price the cases over their own reads of the workspace while this thread sums
 * them and writes the run. Worker k of n prices pages k, k + n, …; the run takes the pages in
 * order, so it writes and sums exactly what one thread would (pricePages makes every page). A
 * worker starts (modules, scheme, weights) in about 0.3 s, so workers price runs of
 * WORKER_MIN_CASES cases or more, or as YB_WORKERS says (1: this thread; n: n workers).
 *
 * The workers are started before the run's transaction (they load the method meanwhile) and
 * given the job inside it. Nothing else can write while the run holds the workspace, so their
 * reads see what the run sees: they are not used inside a transaction already open (a
 * simulation's, whose draft policy only that connection sees) nor on a database without a file.
 *
 *   const pricing = pricingThread(db, 2025, total)   // before BEGIN
 *   const source = pricing.start(method, job)         // inside the run
 *   for (const page of source.pages) …; source.summary() → {cases, casesSha256, …}
 */
import {createHash} from 'node:crypto'
import {availableParallelism} from 'node:os'
import {MessageChannel, type MessagePort} from 'node:worker_threads'
import {assert, type InputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {KeyedTotals} from '../clearing/ledger.js'
import {parseDecimal} from '../clearing/money.js'
import type {PaymentMethod} from './payment-method.js'
import type {UnitsSummer} from './period-rates.js'
import {askedWorkers, ChannelReceiver, channelControl, envCount, runWorker, workerExit, workersCanRead} from '../io/worker-channel.js'
import {type PricedPage, pricePages, type PricingJob, specialDecisionCount} from './priced-pages.js'

export const WORKER_MIN_CASES = 100_000
/** Workers by default: two, one for each core besides the run's own work (which is lighter than pricing). */
const DEFAULT_WORKERS = 2

/** Pages a worker may be ahead of the run (memory stays flat: a page is 2,000 cases). */
export const PAGES_AHEAD = 16

/** Between a page's fields on the way from a worker: a control character, which no stored text has (imports refuse them). */
export const FIELD_SEPARATOR = '\u001f'

/** What the pages were made from: the hashes the run records of what it read. */
export interface PricedSummary {
  readonly cases: number
  /** The stored cases' row hashes in the order priced. */
  readonly casesSha256: string
  /** The 特例单议 decisions the clearing valued (their row hashes), and how many the year has. */
  readonly specialSha256: string
  readonly specialDecisions: number
}

export interface PricedSource {
  readonly pages: Iterable<PricedPage>
  /** Once every page is consumed. */
  summary(): PricedSummary
}

export interface PricingThread {
  /** How many workers price (0: this thread). */
  readonly workers: number
  /** Σ units per pool of months for a computed rate, counted on the workers (undefined without workers: the rate counts them here). */
  readonly summer: UnitsSummer | undefined
  start(method: PaymentMethod, job: PricingJob): PricedSource
  /** Stops the workers (at the end of the run, or when it ended before pricing) and waits for them to close their reads and exit. */
  stop(): Promise<void>
}

/** A page as posted: its fields joined by FIELD_SEPARATOR. */
export type PostedPage = Omit<PricedPage, 'fields'> & {readonly text: string}
/** What a worker is asked: to price a run's cases, or to count a computed rate's units. */
export type WorkerJob = {readonly price: PricingJob} | {readonly units: readonly string[]}
export type WorkerReply = {readonly page: PostedPage} | {readonly done: true} | {readonly units: readonly (readonly [string, string])[]} | {readonly error: string; readonly inputErrors?: readonly InputError[]}
export interface PricingWorkerInput {
  readonly dbPath: string
  readonly year: number
  readonly port: MessagePort
  readonly control: SharedArrayBuffer
  /** This worker prices pages n with n % of === index. */
  readonly index: number
  readonly of: number
}

const WORKER_FILE = new URL('./pricing-worker.js', import.meta.url)

export function pricingWorkers(db: Db, cases: number, env: NodeJS.ProcessEnv = process.env): number {
  if (!workersCanRead(db, WORKER_FILE)) return 0
  const asked = askedWorkers(env)
  if (asked !== undefined) return asked === 1 ? 0 : asked
  return cases >= WORKER_MIN_CASES && availableParallelism() >= 2 ? DEFAULT_WORKERS : 0
}

/** The pages hashed as they pass, into the summary. */
function summarised(db: Db, job: PricingJob, pages: Iterable<PricedPage>): PricedSource {
  const casesSha = createHash('sha256')
  const specialSha = createHash('sha256')
  let cases = 0
  let summary: PricedSummary | undefined
  function* passing(): Generator<PricedPage> {
    for (const page of pages) {
      casesSha.update(page.rowHashes)
      if (page.specialHashes !== '') specialSha.update(page.specialHashes)
      cases += page.count
      yield page
    }
    summary = {cases, casesSha256: casesSha.digest('hex'), specialSha256: specialSha.digest('hex'), specialDecisions: specialDecisionCount(db, job)}
  }
  return {
    pages: passing(),
    summary() {
      assert(summary !== undefined, 'the summary of the priced cases is known once every page is read')
      return summary
    },
  }
}

export function pricingThread(db: Db, year: number, cases: number, env: NodeJS.ProcessEnv = process.env): PricingThread {
  const count = pricingWorkers(db, cases, env)
  // YB_PRICING_PAGE_CASES: smaller pages, for tests of page boundaries on small months.
  const pageCases = envCount(env, 'YB_PRICING_PAGE_CASES')
  const sized = (job: PricingJob): PricingJob => (pageCases === undefined ? job : {...job, pageCases})
  if (count === 0) return {workers: 0, summer: undefined, start: (method, job) => summarised(db, job, pricePages(db, method, sized(job))), stop: async () => undefined}
  const workers = Array.from({length: count}, (_, index) => startWorker(db.name, year, index, count))
  const cancel = () => workers.forEach((w) => w.cancel())
  return {
    workers: count,
    summer(months) {
      for (const w of workers) w.send({units: months})
      // Exact sums: the same Σ in whatever order the workers' parts are added.
      const units = new KeyedTotals()
      for (const w of workers) for (const [pool, text] of w.units()) units.add(pool, parseDecimal(text))
      return units
    },
    start(_method, asked) {
      const job = sized(asked)
      for (const w of workers) w.send({price: job})
      function* pages(): Generator<PricedPage> {
        try {
          // Page n comes from worker n % count; the first worker without its page means the job has no more.
          for (let n = 0; ; n++) {
            const page = workers[n % count]!.next()
            if (page === undefined) return
            assert(page.pageNo === n, `pricing worker ${(n % count) + 1} sent page ${page.pageNo} where page ${n} was due`)
            yield page
          }
        } finally {
          cancel()
        }
      }
      return summarised(db, job, pages())
    },
    async stop() {
      cancel()
      await Promise.all(workers.map((w) => w.exit()))
    },
  }
}

interface PricingWorker {
  send(job: WorkerJob): void
  /** The worker's next page, waited for; undefined once it has no more. */
  next(): PricedPage | undefined
  /** The worker's Σ units per pool, waited for. */
  units(): readonly (readonly [string, string])[]
  /** No more messages: the worker stops at its next wait. */
  cancel(): void
  /** Resolves once the worker has closed its read and exited. */
  exit(): Promise<void>
}

function startWorker(dbPath: string, year: number, index: number, of: number): PricingWorker {
  const control = channelControl()
  const {port1, port2} = new MessageChannel()
  const workerData: PricingWorkerInput = {dbPath, year, port: port2, control: control.buffer as SharedArrayBuffer, index, of}
  const running = runWorker(WORKER_FILE, workerData, [port2])
  const channel = new ChannelReceiver<WorkerReply>(port1, control, `pricing worker ${index + 1}`)
  let stopped = false
  /** The worker's next reply, waited for; its failure thrown here. */
  const receive = (): WorkerReply => {
    const reply = channel.next()
    if ('error' in reply) throw reply.inputErrors === undefined ? new Error(`pricing worker ${index + 1} failed: ${reply.error}`) : new InputErrors(reply.inputErrors)
    return reply
  }
  return {
    send(job) {
      port1.postMessage('price' in job ? {price: {...job.price, rates: job.price.rates.map((r) => ({pool: r.pool, source: r.source, rate: r.rate.toFixed()}))}} : job)
      channel.jobSent()
    },
    next() {
      const reply = receive()
      if ('done' in reply) return undefined
      assert('page' in reply, `pricing worker ${index + 1} sent a page`)
      channel.consumed()
      const {text, ...page} = reply.page
      return {...page, fields: text.split(FIELD_SEPARATOR)}
    },
    units() {
      const reply = receive()
      assert('units' in reply, `pricing worker ${index + 1} sent its units`)
      return reply.units
    },
    cancel() {
      if (stopped) return
      stopped = true
      channel.cancel()
    },
    exit: () => workerExit(running),
  }
}
