/**
 * The year's policy as stored (newest version), parsed; a stored policy that no longer parses is
 * an input error with its paths and lines.
 *
 *   yearPolicy(db, 2025) → {policy: {file: {method: 'DRG', …}, band: …}, stored: {year: 2025, version: 3, sha256: '…'}}
 */
import {parsePolicy, type Policy} from '../clearing/policy.js'
import {InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {currentPolicy, latestPolicy, type StoredPolicy} from '../store/policies.js'

export function yearPolicy(db: Db, year: number): {policy: Policy; stored: StoredPolicy} {
  const stored = currentPolicy(db, year)
  const parsed = parsePolicy(`policy ${year} v${stored.version}`, stored.text)
  if (parsed.policy === undefined) throw new InputErrors(parsed.errors)
  return {policy: parsed.policy, stored}
}

/** The year's policy, or undefined when the workspace has none for the year. */
export function yearPolicyIfAny(db: Db, year: number): {policy: Policy; stored: StoredPolicy} | undefined {
  return latestPolicy(db, year) === undefined ? undefined : yearPolicy(db, year)
}
