/**
 * `yb reconcile`'s statements written on both cores: above WORKER_MIN_CASES cases (or as
 * YB_WORKERS says), the institutions are split into two batches of about equal cases, each
 * written by a worker thread (src/app/statement-worker.ts) over its own read of the workspace.
 * Each statement is the same bytes whichever batch writes it; the caller sorts the files.
 *
 *   await writeAllStatements('yibao.db', db, batch, 1_000_000, onProgress) → {files, checksEvaluated, checksFailed}
 */
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import {askedWorkers} from '../io/worker-channel.js'
import {assert} from '../errors.js'
import type {Db} from '../store/db.js'
import {type BatchResult, type StatementBatch, writeStatements} from './statement-batch.js'
import type {WorkerInput, WorkerMessage} from './statement-worker.js'

/** Below this many cases a worker's start (about 0.2 s: modules, a connection) costs more than it saves. */
export const WORKER_MIN_CASES = 100_000

/** How many batches: YB_WORKERS when set (1 writes in this thread), else two for a large run on a machine with two cores. */
export function workerCount(totalCases: number, batch: StatementBatch, env: NodeJS.ProcessEnv = process.env): number {
  const asked = askedWorkers(env)
  if (asked !== undefined) return asked
  const institutions = batch.institutionIds === null ? batch.lines.size : batch.institutionIds.length
  return totalCases >= WORKER_MIN_CASES && institutions >= 2 ? Math.min(2, availableParallelism()) : 1
}

/** The institutions in `count` groups of about equal cases (largest first, each to the lightest group). */
export function splitInstitutions(batch: StatementBatch, count: number): string[][] {
  const ids = batch.institutionIds ?? [...new Set([...batch.lines.keys(), ...batch.caseCounts.keys()])]
  const weight = (id: string) => (batch.caseCounts.get(id) ?? 0) + (batch.corrections.get(id)?.length ?? 0)
  const groups = Array.from({length: count}, () => ({ids: [] as string[], cases: 0}))
  for (const id of [...ids].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1))) {
    const lightest = groups.reduce((min, group) => (group.cases < min.cases ? group : min))
    lightest.ids.push(id)
    lightest.cases += weight(id)
  }
  return groups.map((group) => group.ids.sort()).filter((group) => group.length > 0)
}

/** `signal`: the command no longer wants the statements (a check failed meanwhile): the workers are stopped and the promise rejects. */
export async function writeAllStatements(dbPath: string, db: Db, batch: StatementBatch, totalCases: number, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<BatchResult> {
  const count = workerCount(totalCases, batch)
  if (count <= 1) return writeStatements(db, batch, (done) => onProgress?.(done, totalCases))
  const groups = splitInstitutions(batch, count)
  const done = groups.map(() => 0)
  const results = await Promise.all(
    groups.map(
      (ids, k) =>
        new Promise<BatchResult>((resolve, reject) => {
          const workerData: WorkerInput = {dbPath, batch: {...batch, institutionIds: ids}}
          const worker = new Worker(new URL('./statement-worker.js', import.meta.url), {workerData})
          let settled = false
          signal?.addEventListener('abort', () => {
            settled = true
            void worker.terminate()
            reject(new Error('the statements were no longer wanted'))
          })
          worker.on('message', (message: WorkerMessage) => {
            if ('done' in message) {
              done[k] = message.done
              onProgress?.(done.reduce((a, b) => a + b, 0), totalCases)
            } else if ('result' in message) {
              settled = true
              resolve(message.result)
            } else {
              settled = true
              reject(new Error(`a statement worker failed: ${message.error}`))
            }
          })
          worker.on('error', (error) => {
            settled = true
            reject(error)
          })
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`a statement worker exited with code ${code} before it finished`))
          })
        }),
    ),
  )
  const merged = {files: results.flatMap((r) => r.files), checksEvaluated: results.reduce((n, r) => n + r.checksEvaluated, 0), checksFailed: results.reduce((n, r) => n + r.checksFailed, 0)}
  assert(new Set(merged.files.map((f) => f.file)).size === merged.files.length, 'each statement file is written by one batch')
  return merged
}
