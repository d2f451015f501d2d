/**
 * `yb policy import`: a policy file checked as `yb policy check` does, then against the workspace
 * it will pay in (institutions' coefficients and levels, the pools of the year's stored cases),
 * and stored as the next version of its year. Nothing is stored when either check fails.
 *
 *   importPolicy(db, 'policy-2025.yaml', text) → {year: 2025, version: 2, created: true, …}
 */
import {parsePolicy} from '../clearing/policy.js'
import {InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {assertWritable} from '../store/periods.js'
import {savePolicy, type StoredPolicy} from '../store/policies.js'
import {workspacePolicyErrors} from './policy-workspace.js'

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']

export function importPolicy(db: Db, file: string, text: string): StoredPolicy & {created: boolean} {
  const {policy, errors} = parsePolicy(file, text)
  if (policy === undefined) throw new InputErrors(errors)
  const year = policy.file.year
  assertWritable(db, {year}, `a new ${year} policy`, file)
  const problems = workspacePolicyErrors(db, policy, file, MONTHS.map((m) => `${year}-${m}`))
  if (problems.length > 0) throw new InputErrors(problems)
  return savePolicy(db, year, text, file)
}
