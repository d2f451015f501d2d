/**
 * 质控拦截: under the policy's quality.hold_errors, yb pay pays a case that fails an error rule of
 * the policy's quality rules as 待更正 (invalid, reason `qc_error: QC010|QC011`): like a case the
 * grouper cannot judge, it is held until corrected data is imported. Warnings never hold. The
 * rules are the run's input (recorded with its other inputs), so a month paid again under the
 * same rules holds the same cases.
 *
 *   const hold = qualityHold(db, policy, dictionary);  hold?.reasonOf(row) → 'qc_error: QC010' or ''
 */
import type {Policy} from '../clearing/policy.js'
import type {QcDictionary, QcRecord} from '../quality/qc-case.js'
import {compileQc} from '../quality/qc-compile.js'
import type {Db} from '../store/db.js'
import {openQcRules} from './quality-rules.js'

export interface QualityHold {
  /** What a run records of it. */
  readonly input: {readonly rules: string; readonly sha256: string}
  /** '' when the case fails no error rule; else the reason it is held. */
  reasonOf(row: QcRecord): string
}

export function qualityHold(db: Db, policy: Policy, dictionary: QcDictionary): QualityHold | undefined {
  const quality = policy.file.quality
  if (quality === undefined || !quality.hold_errors) return undefined
  const rules = openQcRules(db, quality.rules)
  const qc = compileQc(rules.pack, dictionary)
  const errorRule = qc.rules.map((rule) => rule.severity === 'error')
  return {
    input: {rules: rules.ref, sha256: rules.pack.sha256},
    reasonOf(row) {
      const failed = qc.failed(qc.caseOf(row)).filter((k) => errorRule[k])
      return failed.length === 0 ? '' : `qc_error: ${failed.map((k) => qc.rules[k]!.id).join('|')}`
    },
  }
}
