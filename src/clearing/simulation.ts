/**
 * What a draft policy changes, figure by figure: the difference of two amounts and its share of
 * the current one, and how the payment standards of the same cases moved (their ratio, draft over
 * current, at its lowest and highest).
 *
 *   change('1000.00', '1100.00') → {differenceYuan: '100.00', percent: '10.00'}
 *   standardRatios([['16666.67', '18333.34'], …]) → {cases: 1, changed: 1, minRatio: '1.1000', maxRatio: '1.1000'}
 */
import {differenceText} from './ledger.js'
import {fixed, parseDecimal, round} from './money.js'

export function change(currentYuan: string, draftYuan: string): {differenceYuan: string; percent: string} {
  const current = parseDecimal(currentYuan)
  const differenceYuan = differenceText(draftYuan, currentYuan)
  return {differenceYuan, percent: current.isZero() ? '' : fixed(round(parseDecimal(differenceYuan).times(100).div(current), 2), 2)}
}

/** Standards of the same cases under the current run and the draft: how many moved, and the range of draft ÷ current (4 dp). */
export function standardRatios(pairs: Iterable<readonly [string, string]>): {cases: number; changed: number; minRatio: string; maxRatio: string} {
  let cases = 0
  let changed = 0
  let low: ReturnType<typeof parseDecimal> | undefined
  let high: ReturnType<typeof parseDecimal> | undefined
  for (const [current, draft] of pairs) {
    if (current === '' || draft === '' || parseDecimal(current).isZero()) continue
    cases += 1
    if (current !== draft) changed += 1
    const ratio = parseDecimal(draft).div(parseDecimal(current))
    if (low === undefined || ratio.lt(low)) low = ratio
    if (high === undefined || ratio.gt(high)) high = ratio
  }
  return {cases, changed, minRatio: low === undefined ? '' : fixed(round(low, 4), 4), maxRatio: high === undefined ? '' : fixed(round(high, 4), 4)}
}
