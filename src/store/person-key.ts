/**
 * 参保人编号 as the workspace keeps it: a salted hash, SHA-256 of a secret made once per workspace
 * (32 random bytes in workspace_secret) followed by the number, first 32 hex digits. (One-shot
 * crypto.hash: six times faster than an HMAC object per case, and as one-way; nobody but the
 * workspace holds the secret.) yb audit needs only to
 * know that two cases are the same person; the workspace, its exports and its signals never hold
 * the number itself, and the same number gives another key in another workspace. To find the
 * person behind a signal, the office looks up the settlement ids it names in its own system.
 *
 *   const key = personKeyer(db);  key('230102199001011234') → '5f0c…' (32 hex);  key('') → ''
 */
import {hash, randomBytes} from 'node:crypto'
import type {Db} from './db.js'

const SECRET = 'person_id_salt'

/** Makes the workspace's secret now if it has none (committed before a worker reads it). */
export function ensurePersonSecret(db: Db): void {
  db.prepare('INSERT INTO workspace_secret (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(SECRET, randomBytes(32).toString('hex'))
}

export function personKeyer(db: Db): (personId: string) => string {
  let secret = db.prepare('SELECT value FROM workspace_secret WHERE name = ?').pluck().get(SECRET) as string | undefined
  const memo = new Map<string, string>()
  return (personId) => {
    if (personId === '') return ''
    let key = memo.get(personId)
    if (key !== undefined) return key
    if (secret === undefined) {
      secret = randomBytes(32).toString('hex')
      db.prepare('INSERT INTO workspace_secret (name, value) VALUES (?, ?)').run(SECRET, secret)
    }
    key = hash('sha256', `${secret}:${personId}`, 'hex').slice(0, 32)
    if (memo.size < 100_000) memo.set(personId, key)
    return key
  }
}
