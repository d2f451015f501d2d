/**
 * `yb special import`: the review panel's 特例单议 decisions, checked against the cap of each
 * year they touch (policy special_case) before the file commits. Approvals beyond a cap refuse
 * the whole file unless the policy allows them; the share used is reported either way.
 *
 *   await importSpecialDecisions(db, {file: 'decisions.csv', …}) → {inserted: 2, …, report: {caps: [{year: 2025, rows: [{scope: '统筹区', approved: 2, discharges: 40, sharePercent: '5.00', within: true}]}]}}
 */
import type {Db} from '../store/db.js'
import type {KeyedImportResult} from '../store/keyed-import.js'
import {latestPolicy} from '../store/policies.js'
import type {ImportFileOptions} from '../store/settlement-data.js'
import {importSpecialCases} from '../store/special-cases.js'
import {refuseBeyondCap, type SpecialCapReport, specialCapReport} from './special-cap.js'
import {yearPolicy} from './year-policy.js'

export interface SpecialImportReport {
  readonly caps: readonly ({readonly year: number} & SpecialCapReport)[]
  /** Years of the file's cases without a policy in the workspace: their caps are checked when one is imported and at the clearing. */
  readonly yearsWithoutPolicy: readonly number[]
}

export async function importSpecialDecisions(db: Db, options: ImportFileOptions): Promise<KeyedImportResult & {report?: SpecialImportReport}> {
  const months = new Set<string>()
  return importSpecialCases(db, {
    ...options,
    months,
    beforeCommit(): SpecialImportReport {
      const years = [...new Set([...months].map((m) => Number(m.slice(0, 4))))].sort()
      const caps: ({year: number} & SpecialCapReport)[] = []
      const yearsWithoutPolicy: number[] = []
      for (const year of years) {
        if (latestPolicy(db, year) === undefined) {
          yearsWithoutPolicy.push(year)
          continue
        }
        const {policy, stored} = yearPolicy(db, year)
        const report = specialCapReport(db, policy, year)
        refuseBeyondCap(report, `policy ${year} v${stored.version}`)
        caps.push({year, ...report})
      }
      return {caps, yearsWithoutPolicy}
    },
  }) as Promise<KeyedImportResult & {report?: SpecialImportReport}>
}
