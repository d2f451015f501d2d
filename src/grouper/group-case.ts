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
import {CaseView, type GroupCase} from './case-view.js'
import type {CompiledScheme} from './compile-scheme.js'

export type GroupStatus = 'grouped' | 'qy' | 'ungroupable' | 'invalid'

/** Why a case is invalid: a closed set, written at the start of the `reason` column. */
export type InvalidReason = 'pdx_missing' | 'sex_missing' | 'dx_unknown' | 'px_unknown' | 'birth_weight_missing'

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
/** Newborn: 28 days or less (CHS-DRG: 出生年龄 < 29 天). */
export const NEWBORN_DAYS_MAX = 28

const NOWHERE = {mdc: -1, adrg: -1, drg: -1} as const

export function groupCase(scheme: CompiledScheme, groupCase: GroupCase): GroupResult {
  const view = new CaseView(scheme.tables, groupCase)
  const reason = invalidReason(scheme, view)
  if (reason !== '') return {status: 'invalid', mdc: '', adrg: '', drg: '', drgName: '', reason, at: NOWHERE}
  return groupView(scheme, view)
}

function groupView(scheme: CompiledScheme, view: CaseView): GroupResult {
  const mdcs = scheme.mdcs
  scheme.mdcIndex.mark(view)
  for (let m = 0; m < mdcs.length; m++) {
    if (!scheme.mdcIndex.isCandidate(m)) continue
    const mdc = mdcs[m]!
    if (!mdc.rule.test(view)) continue
    const index = mdc.adrgIndex
    index.mark(view)
    const adrgs = mdc.adrgs
    for (let a = 0; a <= adrgs.length; a++) {
      if (a === mdc.qyAt && hasValidPx(mdc.validPx?.ids, view)) {
        const drg = `${mdc.row.mdc.slice(-1)}QY`
        return {status: 'qy', mdc: mdc.row.mdc, adrg: '', drg, drgName: `${mdc.row.name}歧义组`, reason: '', at: {mdc: m, adrg: -1, drg: -1}}
      }
      if (a === adrgs.length || !index.isCandidate(a)) continue
      const adrg = adrgs[a]!
      if (!adrg.rule.test(view)) continue
      for (let d = 0; d < adrg.drgs.length; d++) {
        const drg = adrg.drgs[d]!
        if (drg.rule.test(view)) {
          return {
            status: 'grouped',
            mdc: mdc.row.mdc,
            adrg: adrg.row.adrg,
            drg: drg.row.drg,
            drgName: drg.row.name || adrg.row.name,
            reason: '',
            at: {mdc: m, adrg: a, drg: d},
          }
        }
      }
      // The ADRG held but none of its DRGs did: the pack gives no result for this case here.
      return {status: 'ungroupable', mdc: mdc.row.mdc, adrg: adrg.row.adrg, drg: UNGROUPABLE_DRG, drgName: '无法入组', reason: '', at: {mdc: m, adrg: a, drg: -1}}
    }
  }
  return {status: 'ungroupable', mdc: '', adrg: '', drg: UNGROUPABLE_DRG, drgName: '无法入组', reason: '', at: NOWHERE}
}

function hasValidPx(ids: ReadonlySet<number> | undefined, view: CaseView): boolean {
  if (ids === undefined) return false
  for (const id of view.px) if (ids.has(id)) return true
  return false
}

/** Bad data that no scheme rule should decide. Empty when the case can be grouped. */
export function invalidReason(scheme: CompiledScheme, view: CaseView): string {
  const c = view.case
  let reason = ''
  const add = (code: InvalidReason, text: string): void => {
    reason += `${reason === '' ? '' : '; '}${code}: ${text}`
  }
  if (c.dx.length === 0 || c.dx[0] === '') add('pdx_missing', 'the case has no principal diagnosis')
  if (c.sex === 0) add('sex_missing', 'sex is missing or not stated')
  if (view.hasUnknownCode()) {
    const unknownDx = c.dx.filter((code, k) => code !== '' && view.dx[k]! < 0)
    const unknownPx = c.px.filter((_, k) => view.px[k]! < 0)
    if (unknownDx.length > 0) add('dx_unknown', `${unknownDx.join(', ')} ${unknownDx.length > 1 ? 'are not diagnosis codes' : 'is not a diagnosis code'} of ${scheme.id}`)
    if (unknownPx.length > 0) add('px_unknown', `${unknownPx.join(', ')} ${unknownPx.length > 1 ? 'are not procedure codes' : 'is not a procedure code'} of ${scheme.id}`)
  }
  if (c.ageDays <= NEWBORN_DAYS_MAX && c.birthWeightG === 0) {
    add('birth_weight_missing', `a newborn of ${c.ageDays} days needs birth_weight_g`)
  }
  return reason
}
