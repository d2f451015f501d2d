/**
 * The assessment that releases each institution's quality deposit at the clearing (policy
 * assessment.mode): a score out of 100 (SCORE_PCT: released = deposit × score ÷ 100) or a
 * coefficient from 0 to 1 (COEFFICIENT: released = deposit × coefficient). Without a file every
 * institution scores 100 (the output says so); with one, every institution with cases in the year
 * must be in it and every row must name a known institution, so a typo cannot release a deposit.
 *
 *   assessmentsOf(policy, new Map([['H001', {value: '95', row: 2, file: 'a.csv'}]]), byInstitution)('H001') → {assessment: {mode: 'SCORE_PCT', score: 95}, text: '95'}
 */
import type {Assessment} from '../clearing/cycle.js'
import {isDecimalText, parseDecimal} from '../clearing/money.js'
import type {Policy} from '../clearing/policy.js'
import {type InputError, inputError, InputErrors} from '../errors.js'

type Given = ReadonlyMap<string, {readonly value: string; readonly row: number; readonly file: string}>

/** `alsoCleared`: institutions cleared for something else than cases (按人头付费), whose assessment the file may give. */
export function assessmentsOf(policy: Policy, given: Given | undefined, byInstitution: ReadonlyMap<string, {readonly year: {readonly cases: {readonly count: number}}}>, alsoCleared: ReadonlySet<string> = new Set()): (institutionId: string) => {assessment: Assessment; text: string} {
  const mode = policy.file.assessment.mode
  const full = mode === 'SCORE_PCT' ? '100' : '1'
  const of = (text: string): Assessment => (mode === 'SCORE_PCT' ? {mode, score: parseDecimal(text)} : {mode, coefficient: parseDecimal(text)})
  if (given === undefined) return () => ({assessment: of(full), text: full})
  const errors: InputError[] = []
  const institutionIds = new Set([...[...byInstitution.keys()].map((key) => key.split('\t')[0]!), ...alsoCleared])
  for (const [id, entry] of given) {
    const value = entry.value.trim()
    const max = parseDecimal(full)
    if (!isDecimalText(value) || parseDecimal(value).lt(0) || parseDecimal(value).gt(max)) {
      errors.push(inputError(entry.file, entry.row, 'score', 'value_not_allowed', `"${entry.value}" is not ${mode === 'SCORE_PCT' ? 'a score from 0 to 100' : 'a coefficient from 0 to 1'} (policy assessment.mode ${mode})`))
    }
    if (!institutionIds.has(id)) errors.push(inputError(entry.file, entry.row, 'institution_id', 'reference_unknown', `institution ${id} has nothing to clear in ${policy.file.year} (no cases, payments, prepayment or deductions)`))
  }
  const file = [...given.values()][0]?.file ?? 'assessment'
  const withCases = [...byInstitution].filter(([, t]) => t.year.cases.count > 0).map(([key]) => key.split('\t')[0]!)
  const missing = [...new Set(withCases)].filter((id) => !given.has(id)).sort()
  if (missing.length > 0) errors.push(inputError(file, 0, 'institution_id', 'value_required', `no assessment for ${missing.join(', ')}`, 'give every institution with cases in the year its assessment'))
  if (errors.length > 0) throw new InputErrors(errors)
  return (institutionId) => {
    const text = given.get(institutionId)?.value.trim() ?? full
    return {assessment: of(text), text}
  }
}
