/**
 * One writer at a time. Every command that writes takes the workspace's writer lock (a row with
 * its pid, command and start time) before it reads anything, and gives it back when done, so a
 * run reads all of its inputs from one state that nothing else changes meanwhile. A second writer
 * waits (YB_WAIT seconds, default 30), then gives up with WorkspaceBusy (exit 5), naming the
 * holder. A lock whose process is gone (a crash, a kill) is taken over. Readers never take it:
 * in WAL mode they read the last committed state and never see half a run.
 *
 *   const release = acquireWriter(db, 'yb pay --month 2025-03'); try { … } finally { release() }
 */
import {hostname} from 'node:os'
import {WorkspaceBusy} from '../errors.js'
import type {Db} from './db.js'

interface LockRow {
  pid: number
  command: string
  started_at: string
  host: string
}

const POLL_MS = 100

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** True while the process of a lock row runs (on this host; a lock from another host is taken as live). */
function alive(row: LockRow): boolean {
  if (row.host !== hostname()) return true
  try {
    process.kill(row.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function waitSeconds(): number {
  const given = Number(process.env.YB_WAIT)
  return process.env.YB_WAIT !== undefined && Number.isFinite(given) && given >= 0 ? given : 30
}

export function acquireWriter(db: Db, command: string, wait = waitSeconds()): () => void {
  const deadline = Date.now() + wait * 1000
  const previousTimeout = db.pragma('busy_timeout', {simple: true}) as number
  db.pragma(`busy_timeout = ${POLL_MS}`)
  try {
    for (;;) {
      let holder: LockRow | undefined
      try {
        db.exec('BEGIN IMMEDIATE')
        try {
          holder = db.prepare('SELECT pid, command, started_at, host FROM writer_lock WHERE id = 1').get() as LockRow | undefined
          if (holder === undefined || holder.pid === process.pid || !alive(holder)) {
            db.prepare('INSERT INTO writer_lock (id, pid, command, started_at, host) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, command = excluded.command, started_at = excluded.started_at, host = excluded.host').run(
              process.pid,
              command,
              new Date().toISOString().replace(/\.[0-9]+Z$/, 'Z'),
              hostname(),
            )
            db.exec('COMMIT')
            return () => {
              db.prepare('DELETE FROM writer_lock WHERE id = 1 AND pid = ?').run(process.pid)
            }
          }
        } finally {
          if (db.inTransaction) db.exec('ROLLBACK')
        }
      } catch (error) {
        // Another writer's transaction holds the file: read who it is (WAL readers are never blocked).
        if ((error as {code?: string}).code !== 'SQLITE_BUSY') throw error
        holder = db.prepare('SELECT pid, command, started_at, host FROM writer_lock WHERE id = 1').get() as LockRow | undefined
      }
      if (Date.now() >= deadline) throw new WorkspaceBusy({pid: holder?.pid ?? 0, command: holder?.command ?? 'another writer', startedAt: holder?.started_at ?? ''}, wait)
      sleep(POLL_MS)
    }
  } finally {
    db.pragma(`busy_timeout = ${previousTimeout}`)
  }
}

/** One short write as the workspace's writer (a mark from the review screen): waits at most `wait` seconds. */
export function asWriter<T>(db: Db, command: string, work: () => T, wait = 5): T {
  const release = acquireWriter(db, command, wait)
  try {
    return work()
  } finally {
    release()
  }
}
