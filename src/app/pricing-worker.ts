/**
 * The worker thread of priced-source.ts: loads the year's payment method over its own read-only
 * connection, waits for the run's job, then posts its share of the priced pages (every `of`-th,
 * from `index`; at most PAGES_AHEAD ahead of the run) and {done}, or the error that stopped it.
 */
import {workerData} from 'node:worker_threads'
import {parseDecimal} from '../clearing/money.js'
import {InputErrors} from '../errors.js'
import {openReader} from '../store/db.js'
import {loadMethod} from './method.js'
import {pricePages, type PricingJob} from './priced-pages.js'
import {CONTROL, FIELD_SEPARATOR, PAGES_AHEAD, type PricingWorkerInput, type WorkerReply} from './priced-source.js'
import {receiveMessageOnPort} from 'node:worker_threads'

const {dbPath, year, port, control: shared, index, of} = workerData as PricingWorkerInput
const control = new Int32Array(shared)
const cancelled = () => Atomics.load(control, CONTROL.cancelled) === 1
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => {
  port.postMessage(reply, transfer)
  Atomics.add(control, CONTROL.produced, 1)
  Atomics.notify(control, CONTROL.produced)
}

const db = openReader(dbPath)
try {
  const method = loadMethod(db, year)
  while (Atomics.load(control, CONTROL.job) === 0 && !cancelled()) Atomics.wait(control, CONTROL.job, 0, 1000)
  const received = cancelled() ? undefined : receiveMessageOnPort(port)
  if (received !== undefined) {
    const sent = (received.message as {job: Omit<PricingJob, 'rates'> & {rates: {pool: string; source: 'published' | 'computed'; rate: string}[]}}).job
    const job: PricingJob = {...sent, rates: sent.rates.map((r) => ({pool: r.pool, source: r.source, rate: parseDecimal(r.rate)}))}
    let pages = 0
    for (const page of pricePages(db, method, job, (n) => n % of === index)) {
      for (;;) {
        const consumed = Atomics.load(control, CONTROL.consumed)
        if (pages - consumed < PAGES_AHEAD || cancelled()) break
        Atomics.wait(control, CONTROL.consumed, consumed, 1000)
      }
      if (cancelled()) break
      const {fields, ...rest} = page
      // The fields as one string (one copy, not 30,000 strings to serialize); the run splits it again.
      post({page: {...rest, text: fields.join(FIELD_SEPARATOR)}}, [page.numbers.buffer as ArrayBuffer])
      pages++
    }
    if (!cancelled()) post({done: true})
  }
} catch (error) {
  if (!cancelled()) post(error instanceof InputErrors ? {error: error.message, inputErrors: error.errors} : {error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)})
} finally {
  db.close()
  port.close()
}
