/**
 * DRG relative weights of a year as stored, with the hash of their rows (for the run's record).
 *
 *   weightRows(db, 2025) → {rows: [{drg: 'BR25', institution_level: '', weight: '1.5', avg_cost: '15000'}], sha256: '…'}
 */
import {createHash} from 'node:crypto'
import type {Db} from './db.js'

export interface WeightRow {
  drg: string
  institution_level: string
  weight: string
  avg_cost: string
  drg_name: string
}

export function weightRows(db: Db, year: number): {rows: WeightRow[]; sha256: string} {
  const rows = db.prepare('SELECT drg, institution_level, weight, avg_cost, drg_name, row_hash FROM drg_weight WHERE year = ? ORDER BY drg, institution_level').all(year) as (WeightRow & {row_hash: string})[]
  const hash = createHash('sha256')
  for (const row of rows) hash.update(row.row_hash)
  // The rows as WeightRow says (the hash is the list's, not a field of each).
  return {rows: rows.map(({row_hash: _hash, ...row}) => row), sha256: hash.digest('hex')}
}
