/**
 * Groups one case under a compiled scheme, following docs/scheme-pack.md exactly: MDCs in
 * order; inside an MDC its ADRG rows in order with the QY check just before the first medical
 * row; the first ADRG row that holds fixes the ADRG and its first DRG that holds is the result;
 * no result anywhere is 0000. Bad data (unknown code, no principal diagnosis, newborn without
 * birth weight, sex missing) makes the case invalid with a reason, before any rule runs.
 *
 *   groupCase(scheme, {sex: 1, ageYears: 60, ageDays: 21915, birthWeightG: 0, losDays: 8,
 *                      dx: ['I63.900'], px: []})
 *   → {status: 'grouped', mdc: 'MDCB', adrg: 'BR2', drg: 'BR25', …}
 */
import type {CaseView, GroupCase} from './case-view.js'
import type {CompiledMdc, CompiledScheme} from './compile-scheme.js'

export type GroupStatus = 'grouped' | 'qy' | 'ungroupable' | 'invalid'

/** Why a case is invalid: a closed set, written at the start of the `reason` column. */
export type InvalidReason = 'pdx_missing' | 'sex_missing' | 'dx_unknown' | 'px_unknown' | 'birth_weight_missing' | 'qc_error'

export interface GroupResult {
  readonly status: GroupStatus
  readonly mdc: string
  readonly adrg: string
  readonly drg: string
  readonly drgName: string
  /** Empty unless invalid: `<InvalidReason>: <explanation>`, several joined by '; '. */
  readonly reason: string
  /** Positions of the matched MDC, ADRG row and DRG in the compiled scheme (-1 where none), for the trace. */
  readonly at: {readonly mdc: number; readonly adrg: number; readonly drg: number}
}

export const UNGROUPABLE_DRG = '0000'
export const UNGROUPABLE_NAME = '无法入组'
/** Newborn: 28 days or less (CHS-DRG: 出生年龄 < 29 天). */
export const NEWBORN_DAYS_MAX = 28

export const NOWHERE = {mdc: -1, adrg: -1, drg: -1} as const

/** A case held from grouping (待更正) for a reason found outside the grouper: a failed quality rule. */
export function heldResult(reason: string): GroupResult {
  return {status: 'invalid', mdc: '', adrg: '', drg: '', drgName: '', reason, at: NOWHERE}
}

export function groupCase(scheme: CompiledScheme, groupCase: GroupCase): GroupResult {
  const view = scheme.view.load(groupCase)
  const reason = invalidReason(scheme, view)
  if (reason !== '') return {status: 'invalid', mdc: '', adrg: '', drg: '', drgName: '', reason, at: NOWHERE}
  return groupView(scheme, view)
}

function groupView(scheme: CompiledScheme, view: CaseView): GroupResult {
  const index = scheme.mdcIndex
  index.select(view.pdx, view.mainPx)
  const {aData, aTo, bData, bTo, tests} = index
  let i = index.aFrom
  let j = index.bFrom
  while (i < aTo || j < bTo) {
    // Walk both ascending runs of candidates in order (a row can be in both).
    const m = j >= bTo || (i < aTo && aData[i]! <= bData[j]!) ? aData[i++]! : bData[j++]!
    if (j < bTo && bData[j] === m) j++
    const test = tests[m]!
    if (test !== null && !test(view)) continue
    const result = groupInMdc(scheme.mdcs[m]!, view)
    if (result !== undefined) return result
  }
  return scheme.ungroupable
}

/** Docs/scheme-pack.md steps 2–4 inside one MDC; undefined to go on to the next MDC. */
function groupInMdc(mdc: CompiledMdc, view: CaseView): GroupResult | undefined {
  const index = mdc.adrgIndex
  index.select(view.pdx, view.mainPx)
  const {aData, aTo, bData, bTo, tests} = index
  let qyChecked = mdc.qyAt < 0
  let i = index.aFrom
  let j = index.bFrom
  while (i < aTo || j < bTo) {
    const row = j >= bTo || (i < aTo && aData[i]! <= bData[j]!) ? aData[i++]! : bData[j++]!
    if (j < bTo && bData[j] === row) j++
    if (!qyChecked && row >= mdc.qyAt) {
      qyChecked = true
      if (hasValidPx(mdc.validPx?.ids, view)) return mdc.qyResult
    }
    const test = tests[row]!
    if (test !== null && !test(view)) continue
    const adrg = mdc.adrgs[row]!
    for (const drg of adrg.drgs) if (drg.rule.test(view)) return drg.result
    // The ADRG held but none of its DRGs did: the pack gives no DRG for this case.
    return adrg.noDrgResult
  }
  if (!qyChecked && hasValidPx(mdc.validPx?.ids, view)) return mdc.qyResult
  return undefined
}

function hasValidPx(ids: ReadonlySet<number> | undefined, view: CaseView): boolean {
  if (ids === undefined) return false
  for (let k = 0; k < view.pxCount; k++) if (ids.has(view.px[k]!)) return true
  return false
}

/** Bad data that no scheme rule should decide. Empty when the case can be grouped. */
export function invalidReason(scheme: CompiledScheme, view: CaseView): string {
  const c = view.case
  const pdxMissing = c.dx.length === 0 || c.dx[0] === ''
  const newbornWithoutWeight = c.ageDays <= NEWBORN_DAYS_MAX && c.birthWeightG === 0
  if (!pdxMissing && c.sex !== 0 && view.unknownCodes === 0 && !newbornWithoutWeight) return ''
  const reasons: string[] = []
  if (pdxMissing) reasons.push('pdx_missing: the case has no principal diagnosis')
  if (c.sex === 0) reasons.push('sex_missing: sex is missing or not stated')
  const unknownDx = c.dx.filter((code, k) => code !== '' && view.dx[k]! < 0)
  const unknownPx = c.px.filter((_, k) => view.px[k]! < 0)
  if (unknownDx.length > 0) reasons.push(`dx_unknown: ${unknownDx.join(', ')} ${unknownDx.length > 1 ? 'are not diagnosis codes' : 'is not a diagnosis code'} of ${scheme.id}`)
  if (unknownPx.length > 0) reasons.push(`px_unknown: ${unknownPx.join(', ')} ${unknownPx.length > 1 ? 'are not procedure codes' : 'is not a procedure code'} of ${scheme.id}`)
  if (newbornWithoutWeight) reasons.push(`birth_weight_missing: a newborn of ${c.ageDays} days needs birth_weight_g`)
  return reasons.join('; ')
}
