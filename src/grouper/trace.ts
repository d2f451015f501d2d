/**
 * The trace of one grouping decision, read by `yb group --explain`, the tests and the TUI:
 * which MDC, ADRG row and DRG rule matched, through which lists and codes, and which CC/MCC
 * counted or were excluded by which exclusion table.
 *
 *   explainCase(scheme, c, result)
 *   → ['MDCB (mdc.csv line 8): pdx in zd[MDCB] (I63.900)',
 *      'BR2 rule BR2 (adrg.csv line 40, medical): pdx in zd[BR2] (I63.900)',
 *      'BR21 (drg.csv line 90): has_mcc via J96.000',
 *      'cc: J96.000 MCC counted (its table 7; pdx table 31)']
 */
import {CaseView, type GroupCase} from './case-view.js'
import type {CompiledScheme} from './compile-scheme.js'
import type {GroupResult} from './group-case.js'

export function explainCase(scheme: CompiledScheme, groupCase: GroupCase, result: GroupResult): string[] {
  if (result.status === 'invalid') return [`invalid: ${result.reason}`]
  const view = new CaseView(scheme.tables).load(groupCase)
  const trace: string[] = []
  const {at} = result
  if (at.mdc < 0) {
    const held = scheme.mdcs.filter((mdc) => mdc.rule.test(view)).map((mdc) => mdc.row.mdc)
    const tried = held.length > 0 ? `${held.join(', ')} held but none of their ADRG rows did` : 'no MDC rule held'
    trace.push(`${tried} → ${result.drg}`)
    return withComplications(trace, view)
  }
  const mdc = scheme.mdcs[at.mdc]!
  trace.push(`${mdc.row.mdc} (mdc.csv line ${mdc.row.line}): ${mdc.rule.explain(view).join(' and ')}`)
  if (result.status === 'qy') {
    const code = view.case.px.find((_, k) => mdc.validPx?.ids.has(view.px[k]!))
    trace.push(`${mdc.row.mdc} qy: no procedure ADRG row held and ${code} is in ${mdc.validPx?.name}[${mdc.validPx?.owner}] → ${result.drg}`)
    return withComplications(trace, view)
  }
  const adrg = mdc.adrgs[at.adrg]!
  const row = adrg.row
  trace.push(`${row.adrg} rule ${row.ruleId} (adrg.csv line ${row.line}, ${row.partition}): ${adrg.rule.explain(view).join(' and ')}`)
  const drg = at.drg >= 0 ? adrg.drgs[at.drg] : undefined
  if (drg === undefined) trace.push(`${row.adrg}: none of its DRG rules held → ${result.drg}`)
  else trace.push(`${drg.row.drg} (drg.csv line ${drg.row.line}): ${drg.rule.explain(view).join(' and ')}`)
  return withComplications(trace, view)
}

function withComplications(trace: string[], view: CaseView): string[] {
  for (const line of view.complicationDetail()) trace.push(`cc: ${line.text}`)
  return trace
}
