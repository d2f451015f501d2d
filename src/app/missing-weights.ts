/**
 * Cases grouped to a DRG that the year's weights lack: they are paid by their items at the 0000
 * discount, which is right for a group the weights leave out and wrong for weights of another
 * scheme or year (2024 weights on harbin-2022 left 48% of cases so). A run counts them per
 * institution and per DRG and refuses above the policy's drg.missing_weight_max_share.
 *
 *   missingWeightsCheck(counter, policy, '2025-03') → {cases: 3, groupedCases: 900, sharePercent: '0.33', groups: [{drg: 'BR23', cases: 3}]}
 */
import {countWithinShare, percentText} from '../clearing/special-cap.js'
import type {Policy} from '../clearing/policy.js'
import {inputError, InputErrors} from '../errors.js'

export interface MissingWeights {
  readonly cases: number
  /** Cases grouped to a DRG (status grouped), the share's base. */
  readonly groupedCases: number
  readonly sharePercent: string
  readonly maxShare: string
  readonly maxSharePercent: string
  /** The DRGs without a weight, most cases first. */
  readonly groups: readonly {readonly drg: string; readonly cases: number}[]
}

export class MissingWeightsCounter {
  private grouped = 0
  private readonly byKey = new Map<string, number>()
  private readonly byDrg = new Map<string, number>()

  add(key: string, status: string, missingDrg: string): void {
    if (status === 'grouped') this.grouped++
    if (missingDrg === '') return
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1)
    this.byDrg.set(missingDrg, (this.byDrg.get(missingDrg) ?? 0) + 1)
  }

  casesOf(key: string): number {
    return this.byKey.get(key) ?? 0
  }

  summary(): {cases: number; grouped: number; groups: {drg: string; cases: number}[]} {
    const groups = [...this.byDrg].map(([drg, cases]) => ({drg, cases})).sort((a, b) => b.cases - a.cases || (a.drg < b.drg ? -1 : 1))
    return {cases: groups.reduce((n, g) => n + g.cases, 0), grouped: this.grouped, groups}
  }
}

export function missingWeightsCheck(counter: MissingWeightsCounter, policy: Policy, period: string): MissingWeights {
  const {cases, grouped, groups} = counter.summary()
  const use = countWithinShare(cases, grouped, policy.missingWeightMaxShare)
  const result = {cases, groupedCases: grouped, sharePercent: percentText(use.share), maxShare: policy.missingWeightMaxShare.toString(), maxSharePercent: percentText(policy.missingWeightMaxShare), groups}
  if (!use.within) {
    const named = groups.slice(0, 10).map((g) => `${g.drg} (${g.cases})`).join(', ')
    throw new InputErrors([
      inputError(
        period,
        0,
        'drg.missing_weight_max_share',
        'weights_missing',
        `${cases} of ${grouped} grouped cases (${result.sharePercent}%) are in DRGs without a ${policy.file.year} weight, above drg.missing_weight_max_share ${result.maxShare}: ${named}${groups.length > 10 ? `, and ${groups.length - 10} more` : ''}`,
        `import the ${policy.file.year} weights of scheme ${policy.file.scheme} (yb weights import --year ${policy.file.year}), or raise the share in the policy`,
      ),
    ])
  }
  return result
}
