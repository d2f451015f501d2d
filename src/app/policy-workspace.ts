/**
 * A policy against the workspace it pays in: what a policy file alone cannot tell. Every
 * institution needs a coefficient and, under LEVEL_TIERED, a high-cost threshold for its level;
 * every case of the year needs its pool in the policy. Checked when the policy is imported and
 * again before a run, each problem an input error naming the institution or the cases.
 *
 *   workspacePolicyErrors(db, policy, 'policy 2025 v2', ['2025-03']) → [{column: 'pools', message: '3 cases of 2025-03 are in pool 居民, which the policy does not pay (e.g. S4)…'}]
 */
import type {Policy} from '../clearing/policy.js'
import {type InputError, inputError, InputErrors} from '../errors.js'
import {openQcRules} from './quality-rules.js'
import {enrolledKinds} from '../store/capitation-data.js'
import {casesOutsidePools} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {institutionRows} from '../store/institutions.js'

/**
 * `cases: false` leaves out the pass over the months' cases (casePoolErrors), for a run that
 * checks it while its workers price (and asks for every error together when another is found).
 */
export function workspacePolicyErrors(db: Db, policy: Policy, label: string, months: readonly string[], options: {readonly cases?: boolean} = {}): InputError[] {
  const p = policy.file
  const errors: InputError[] = []
  const institutions = institutionRows(db)
  const noCoefficient = institutions.filter((i) => i.coefficient === '' && p.coefficients.by_institution[i.institution_id] === undefined && p.coefficients.by_level[i.level] === undefined)
  for (const i of noCoefficient) errors.push(inputError(label, 0, 'coefficients.by_level', 'parameter_missing', `institution ${i.institution_id} (level ${i.level}) has no coefficient`, `give it one in \`yb institution import\`, or the policy one for level ${i.level}`))
  const t = p.drg.high.threshold
  if (p.method === 'DRG' && t.variant === 'LEVEL_TIERED') {
    for (const i of institutions.filter((row) => t.by_level[row.level] === undefined)) {
      errors.push(inputError(label, 0, 'drg.high.threshold.by_level', 'parameter_missing', `institution ${i.institution_id} is of level ${i.level}, which has no high-cost threshold (levels: ${Object.keys(t.by_level).join(', ') || 'none'})`))
    }
  }
  if (options.cases !== false) errors.push(...casePoolErrors(db, policy, label, months))
  for (const kind of enrolledKinds(db, months)) {
    const where = `${kind.rows} enrolment row(s) of ${monthsText(months)} in pool ${kind.pool}${kind.category === '' ? '' : `, package ${kind.category}`} (e.g. ${kind.example})`
    if (p.capitation === undefined) errors.push(inputError(label, 0, 'capitation', 'parameter_missing', `${where}, but the policy has no capitation section to pay them by`, 'add capitation.pools (docs/settlement.md, 按人头付费)'))
    else if (p.capitation.pools[kind.pool] === undefined) errors.push(inputError(label, 0, 'capitation.pools', 'parameter_missing', `${where}: the policy's capitation has no rule for pool ${kind.pool}`))
    else if (kind.category !== '' && !p.capitation.packages.some((pack) => pack.code === kind.category) && p.capitation.pools[kind.pool]!.category_coefficients[kind.category] === undefined) {
      errors.push(inputError(label, 0, 'capitation.packages', 'parameter_missing', `${where}: ${kind.category} is neither among capitation.packages nor a category_coefficients entry of pool ${kind.pool}`))
    }
  }
  if (p.quality !== undefined) {
    try {
      openQcRules(db, p.quality.rules)
    } catch (error) {
      if (!(error instanceof InputErrors)) throw error
      const first = error.errors[0]
      errors.push(inputError(label, 0, 'quality.rules', 'reference_unknown', `quality rules "${p.quality.rules}" cannot be used: ${first?.message ?? 'they do not load'}`, 'import them with `yb qc import <dir>`, or use default (the bundled set)'))
    }
  }
  return errors
}

/** '2025-03', or '2025-01 … 2025-12'. */
function monthsText(months: readonly string[]): string {
  return months.length === 1 ? months[0]! : `${months[0]} … ${months[months.length - 1]}`
}

/** Every case of the months in a pool of the policy: the part of workspacePolicyErrors that reads the cases. */
export function casePoolErrors(db: Db, policy: Policy, label: string, months: readonly string[]): InputError[] {
  const pools = policy.file.pools
  return casesOutsidePools(db, months, pools).map((outside) =>
    inputError(label, 0, 'pools', 'value_not_allowed', `${outside.cases} case(s) of ${monthsText(months)} are in pool ${outside.pool}, which the policy does not pay (pools: ${pools.join(', ')}), e.g. ${outside.examples.join(', ')}`, `add ${outside.pool} to the policy's pools with its parameters`),
  )
}

/**
 * A run's check of its policy against the workspace in two steps: `early` (before the run loads
 * its method) refuses with every problem found, the cases' included, when any is found without
 * them; `cases` (while the run's workers price) refuses a case in a pool the policy does not pay.
 */
export function runPolicyCheck(db: Db, policy: Policy, label: string, months: readonly string[]): {readonly early: () => void; readonly cases: () => void} {
  return {
    early() {
      if (workspacePolicyErrors(db, policy, label, months, {cases: false}).length > 0) throw new InputErrors(workspacePolicyErrors(db, policy, label, months))
    },
    cases() {
      const errors = casePoolErrors(db, policy, label, months)
      if (errors.length > 0) throw new InputErrors(errors)
    },
  }
}
