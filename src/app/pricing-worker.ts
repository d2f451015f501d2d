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
import {FIELD_SEPARATOR, PAGES_AHEAD, type PricingWorkerInput, type WorkerReply} from './priced-source.js'
import {ChannelSender} from '../io/worker-channel.js'

const {dbPath, year, port, control, index, of} = workerData as PricingWorkerInput
const channel = new ChannelSender<WorkerReply>(port, new Int32Array(control))

const db = openReader(dbPath)
try {
  const method = loadMethod(db, year)
  const mine = (n: number) => n % of === index
  // Jobs come one at a time (the units of a computed rate, then the pricing).
  for (let jobs = 1; ; jobs++) {
    const asked = channel.job<{units: readonly string[]} | {price: Omit<PricingJob, 'rates'> & {rates: {pool: string; source: 'published' | 'computed'; rate: string}[]}}>(jobs)
    if (asked === undefined) break
    if ('units' in asked) {
      const units = sumUnits(db, asked.units, method.unitsOf, mine)
      channel.post({units: [...units.keys()].map((pool) => [pool, units.get(pool).toFixed()] as const)})
      continue
    }
    const job: PricingJob = {...asked.price, rates: asked.price.rates.map((r) => ({pool: r.pool, source: r.source, rate: parseDecimal(r.rate)}))}
    let pages = 0
    for (const page of pricePages(db, method, job, mine)) {
      if (!channel.waitForRoom(pages, PAGES_AHEAD)) break
      const {fields, ...rest} = page
      // The fields as one string (one copy, not 3,000 strings to serialize); the run splits it again.
      channel.post({page: {...rest, text: fields.join(FIELD_SEPARATOR)}}, [page.numbers.buffer as ArrayBuffer])
      pages++
    }
    if (!channel.cancelled) channel.post({done: true})
    // The pricing is a run's last job.
    break
  }
} catch (error) {
  if (!channel.cancelled) channel.post(error instanceof InputErrors ? {error: error.message, inputErrors: error.errors} : {error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)})
} finally {
  db.close()
  port.close()
}
