/**
 * 高套 evidence: the secondary diagnoses that made an institution's cases MCC or CC (counted after
 * the scheme's exclusions, as the grouper counts them), most frequent first.
 *
 *   upcodingDrivers(db, 2025, ['S1', 'S7']) → [{code: 'J96.000', level: 'MCC', cases: 2}]
 */
import type {Db} from '../store/db.js'
import {storedCases} from '../store/cases.js'
import {loadDrgContext, toGroupCase} from './drg-method.js'

const DRIVERS_MAX = 8

export function upcodingDrivers(db: Db, year: number, settlementIds: readonly string[]): {code: string; level: 'CC' | 'MCC'; cases: number}[] {
  const {scheme} = loadDrgContext(db, year)
  const counts = new Map<string, {code: string; level: 'CC' | 'MCC'; cases: number}>()
  for (const row of storedCases(db, settlementIds)) {
    const view = scheme.view.load(toGroupCase(row))
    const seen = new Set<string>()
    for (const line of view.complicationDetail()) {
      if (!line.counted || seen.has(line.code)) continue
      seen.add(line.code)
      const entry = counts.get(line.code) ?? {code: line.code, level: line.level, cases: 0}
      entry.cases++
      counts.set(line.code, entry)
    }
  }
  return [...counts.values()].sort((a, b) => b.cases - a.cases || (a.code < b.code ? -1 : 1)).slice(0, DRIVERS_MAX)
}
