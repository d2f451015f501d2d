/**
 * 定点医疗机构 as stored: id, name, level, own coefficient ('' when it has none) and pools ('职工|居民').
 *
 *   institutionRows(db) → [{institution_id: 'H001', name: '市第一人民医院', level: '三级', coefficient: '1.00', pools: '职工|居民'}]
 */
import {createHash} from 'node:crypto'
import type {Db} from './db.js'

export interface InstitutionRow {
  institution_id: string
  name: string
  level: string
  coefficient: string
  pools: string
}

export function institutionRows(db: Db): InstitutionRow[] {
  return db.prepare('SELECT institution_id, name, level, coefficient, pools FROM institution ORDER BY institution_id').all() as InstitutionRow[]
}

/** A hash of the institutions as stored (their row hashes in id order): names, levels, coefficients and pools. */
export function institutionsSha256(db: Db): string {
  const hash = createHash('sha256')
  for (const [id, rowHash] of db.prepare('SELECT institution_id, row_hash FROM institution ORDER BY institution_id').raw(true).iterate() as IterableIterator<[string, string]>) hash.update(`${id}\t${rowHash}\n`)
  return hash.digest('hex')
}
