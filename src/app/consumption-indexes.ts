/**
 * 费用消耗指数 and 时间消耗指数 per institution for the paid months of a year (the evaluation's,
 * src/clearing/evaluation.ts), for the dashboard: computed in this thread for --json, or in a
 * worker thread while the screen is already up (it reads every case of the year: about 2 s a
 * million cases).
 *
 *   consumptionIndexes(db, ['2025-01', '2025-02']) → {H001: {costIndex: '0.9998', timeIndex: '1.0139'}, …}
 */
import {Worker} from 'node:worker_threads'
import {evaluate} from '../clearing/evaluation.js'
import type {Db} from '../store/db.js'
import {evaluationCases} from '../store/evaluation.js'

export type ConsumptionIndexes = Readonly<Record<string, {readonly costIndex: string; readonly timeIndex: string}>>

export function consumptionIndexes(db: Db, months: readonly string[]): ConsumptionIndexes {
  const {cells} = evaluationCases(db, months)
  return Object.fromEntries(evaluate(cells).units.map((u) => [u.unit, {costIndex: u.costIndex, timeIndex: u.timeIndex}]))
}

/** The same in a worker thread over its own read of the workspace. */
export function consumptionIndexesInWorker(dbPath: string, months: readonly string[]): Promise<ConsumptionIndexes> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./consumption-worker.js', import.meta.url), {workerData: {dbPath, months}})
    // Quitting the screen does not wait for it.
    worker.unref()
    worker.once('message', (message: {indexes?: ConsumptionIndexes; error?: string}) => (message.indexes === undefined ? reject(new Error(message.error)) : resolve(message.indexes)))
    worker.once('error', reject)
  })
}
