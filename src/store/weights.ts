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

/** Inside a simulation's rolled-back transaction only (store/db.ts undone): the year's weights removed, for a draft weights file to take their place. */
export function dropWeightsForSimulation(db: Db, year: number): void {
  if (!db.inTransaction) throw new Error('dropWeightsForSimulation runs inside a transaction that is rolled back')
  db.prepare('DELETE FROM drg_weight WHERE year = ?').run(year)
}
