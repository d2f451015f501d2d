/** The worker of consumptionIndexesInWorker: the indexes over a read-only connection, posted back as {indexes} or {error}. */
import {parentPort, workerData} from 'node:worker_threads'
import {openReader} from '../store/db.js'
import {consumptionIndexes} from './consumption-indexes.js'

const {dbPath, months} = workerData as {dbPath: string; months: string[]}
const db = openReader(dbPath)
try {
  parentPort!.postMessage({indexes: consumptionIndexes(db, months)})
} catch (error) {
  parentPort!.postMessage({error: error instanceof Error ? error.message : String(error)})
} finally {
  db.close()
}
