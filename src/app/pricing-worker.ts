/**
 * The worker thread of priced-source.ts: loads the year's payment method over its own read-only
 * connection, then does the run's jobs: Σ units of a computed rate over its share of the pages
 * (posting {units}), and the pricing of its share (every `of`-th page from `index`, at most
 * PAGES_AHEAD ahead of the run, then {done}); or posts the error that stopped it.
 */
import {workerData} from 'node:worker_threads'
import {parseDecimal} from '../clearing/money.js'
import {InputErrors} from '../errors.js'
import {openReader} from '../store/db.js'
import {loadMethod} from './method.js'
import {sumUnits} from './period-rates.js'
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
  const mine = (n: number) => n % of === index
  // Jobs come one at a time (the units of a computed rate, then the pricing); CONTROL.job counts those sent.
  for (let jobs = 1; !cancelled(); jobs++) {
    while (Atomics.load(control, CONTROL.job) < jobs && !cancelled()) Atomics.wait(control, CONTROL.job, jobs - 1, 1000)
    const received = cancelled() ? undefined : receiveMessageOnPort(port)
    if (received === undefined) break
    const asked = received.message as {units: readonly string[]} | {price: Omit<PricingJob, 'rates'> & {rates: {pool: string; source: 'published' | 'computed'; rate: string}[]}}
    if ('units' in asked) {
      const units = sumUnits(db, asked.units, method.unitsOf, mine)
      post({units: [...units.keys()].map((pool) => [pool, units.get(pool).toFixed()] as const)})
      continue
    }
    const job: PricingJob = {...asked.price, rates: asked.price.rates.map((r) => ({pool: r.pool, source: r.source, rate: parseDecimal(r.rate)}))}
    let pages = 0
    for (const page of pricePages(db, method, job, mine)) {
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
    // The pricing is a run's last job.
    break
  }
} catch (error) {
  if (!cancelled()) post(error instanceof InputErrors ? {error: error.message, inputErrors: error.errors} : {error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)})
} finally {
  db.close()
  port.close()
}
