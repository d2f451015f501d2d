/**
 * The workspace's institutions with the coefficient a year pays them by: their own, else the
 * policy's for them, else the policy's for their level (§3.3). An institution with none is an
 * input error naming it.
 *
 *   payInstitutions(db, policy, 2025) → Map {'H001' => {institution_id: 'H001', level: '三级', coefficientValue: 1.00, …}}
 */
import {parseDecimal} from '../clearing/money.js'
import type {Policy} from '../clearing/policy.js'
import {inputError, InputErrors} from '../errors.js'
import type {Db} from '../store/db.js'
import {institutionRows} from '../store/institutions.js'
import type {PayInstitutionRow} from './payment-method.js'

export function payInstitutions(db: Db, policy: Policy, year: number): Map<string, PayInstitutionRow> {
  const p = policy.file
  const missing: string[] = []
  const institutions = new Map<string, PayInstitutionRow>()
  for (const row of institutionRows(db)) {
    const coefficient = row.coefficient !== '' ? parseDecimal(row.coefficient) : (p.coefficients.by_institution[row.institution_id] ?? p.coefficients.by_level[row.level])
    if (coefficient === undefined) missing.push(`${row.institution_id} (level ${row.level})`)
    else institutions.set(row.institution_id, {...row, coefficientValue: coefficient})
  }
  if (missing.length > 0) {
    throw new InputErrors([inputError(`policy ${year}`, 0, 'coefficients.by_level', 'parameter_missing', `no coefficient for ${missing.join(', ')}`, 'give the institution one, or the policy one for its level')])
  }
  return institutions
}
