/**
 * The pricing of one DRG case for a run: integer 分 (clearing/drg-case-fen) for a plain run under
 * HALF_UP, decimal.js (clearing/drg-case) when the build-ups are stored or the policy rounds
 * otherwise. Both give the same amounts (test/clearing/drg-case-fen.test.ts). Standards and
 * thresholds that depend only on the DRG, pool, institution or level are made once per run.
 *
 *   const price = casePricer(context, rates, false); price(row, institution, groupCase(…), weight) → {payment: 'drg', fundFen: 1099333, …}
 */
import {priceDrgCase} from '../clearing/drg-case.js'
import {fenRules, priceDrgCaseFen} from '../clearing/drg-case-fen.js'
import {paymentStandardYuan} from '../clearing/drg-pricing.js'
import {fenOfYuan, fenText, parseFen, type Ratio, ratioOf, residueExactFor} from '../clearing/fen.js'
import {type Dec, ONE, parseDecimal} from '../clearing/money.js'
import type {GroupResult} from '../grouper/group-case.js'
import type {CaseRow} from '../store/cases.js'
import type {RunCase} from '../store/runs.js'
import type {DrgContext, Weight} from './drg-method.js'
import type {CaseOutcome, PayInstitutionRow, PoolRate} from './payment-method.js'

export type CasePricer = (row: CaseRow, institution: PayInstitutionRow, result: GroupResult, weight: Weight | undefined) => CaseOutcome

export function casePricer(context: DrgContext, rates: readonly PoolRate[], explain: boolean): CasePricer {
  const p = context.policy.file
  const rateOf = new Map(rates.map((r) => [r.pool, r.rate]))
  const standards = new Map<string, Dec>()
  // What a case's standard and thresholds depend on besides its DRG and pool: its institution's coefficient and level. Institutions
  // that share them share the values (a region of 1,000 institutions has a few such classes, not 1,000).
  const classes = new Map<PayInstitutionRow, string>()
  const classOf = (institution: PayInstitutionRow): string => {
    let known = classes.get(institution)
    if (known === undefined) classes.set(institution, (known = `${institution.coefficientValue.toString()}\t${institution.level}`))
    return known
  }
  const standardOf = (drg: string, pool: string, institution: PayInstitutionRow, weight: Weight): {standard: Dec; coefficient: Dec} => {
    const exempt = p.coefficients.exempt_groups.includes(drg)
    const coefficient = exempt ? ONE : institution.coefficientValue
    const key = `${drg}\t${pool}\t${exempt ? '*' : coefficient.toString()}`
    let standard = standards.get(key)
    if (standard === undefined) {
      standard = paymentStandardYuan({weight: weight.weight, rateYuanPerWeight: rateOf.get(pool)!, coefficient}, context.policy.roundingMode)
      standards.set(key, standard)
    }
    return {standard, coefficient}
  }
  const averageOf = (weight: Weight | undefined, level: string) => weight?.averageByLevel.get(level) ?? weight?.averageByLevel.get('')
  const missingOf = (result: GroupResult, weight: Weight | undefined) => (result.status === 'grouped' && weight === undefined ? result.drg : '')

  const ratios = new Map(Object.entries(p.drg.fund_ratio).map(([pool, ratio]) => [pool, ratioOf(ratio)]))
  const residueExact = residueExactFor([...ratios.values(), ratioOf(p.drg.qy_discount), ratioOf(p.drg.ungroupable_discount)])
  if (!explain && context.policy.roundingMode === 'HALF_UP' && context.rules.points === undefined && residueExact) {
    const rules = fenRules(context.rules)
    // What depends only on the DRG, the pool and the institution, in 分, made once per run.
    // Per institution class, pool and DRG (the DRG's code is interned: no key string built per case but the class, once per institution).
    const fixedFen = new Map<string, Map<string, Map<string, {standardFen: number; basisFen: number; highTimes: Ratio}>>>()
    const NO_WEIGHT = {standardFen: undefined, basisFen: 0, highTimes: {num: 1, den: 1}}
    return (row, institution, result, weight) => {
      let fixed: {standardFen: number | undefined; basisFen: number; highTimes: Ratio} = NO_WEIGHT
      if (weight !== undefined) {
        const klass = classOf(institution)
        let pools = fixedFen.get(klass)
        if (pools === undefined) fixedFen.set(klass, (pools = new Map()))
        let drgs = pools.get(row.insurance_type)
        if (drgs === undefined) pools.set(row.insurance_type, (drgs = new Map()))
        let known = drgs.get(result.drg)
        if (known === undefined) {
          const standardFen = fenOfYuan(standardOf(result.drg, row.insurance_type, institution, weight).standard)
          const average = averageOf(weight, institution.level)
          const basisFen = average === undefined || context.rules.high.basis === 'STANDARD' ? standardFen : fenOfYuan(average)
          known = {standardFen, basisFen, highTimes: rules.highTimes(weight.weight, institution.level)}
          drgs.set(result.drg, known)
        }
        fixed = known
      }
      const {standardFen, basisFen, highTimes} = fixed
      const priced = priceDrgCaseFen(
        {
          status: result.status,
          standardFen,
          basisFen,
          highTimes,
          costFen: parseFen(row.total_cost),
          fundRecordedFen: parseFen(row.fund_recorded),
          selfPayAllFen: parseFen(row.self_pay_all),
          selfPayFirstFen: parseFen(row.self_pay_first),
          deductibleFen: parseFen(row.deductible),
          fundRatio: ratios.get(row.insurance_type)!,
        },
        rules,
      )
      return {
        payment: priced.payment,
        outlier: priced.outlier,
        standardText: fenText(priced.standardFen),
        adjustedText: fenText(priced.adjustedFen),
        fundFen: priced.fundFen,
        residueUnits: priced.residueUnits,
        fundExactYuan: null,
        points: undefined,
        missingWeightDrg: missingOf(result, weight),
        steps: '',
      }
    }
  }

  const points = context.rules.points !== undefined
  return (row, institution, result, weight) => {
    const fixed = weight === undefined || points ? undefined : standardOf(result.drg, row.insurance_type, institution, weight)
    const coefficient = fixed?.coefficient ?? (p.coefficients.exempt_groups.includes(result.drg) ? ONE : institution.coefficientValue)
    const priced = priceDrgCase(
      {
        settlementId: row.settlement_id,
        status: result.status,
        drg: result.drg,
        weight: weight?.weight,
        groupAverageYuan: averageOf(weight, institution.level),
        institutionLevel: institution.level,
        costYuan: parseDecimal(row.total_cost),
        fundRecordedYuan: parseDecimal(row.fund_recorded),
        selfPayAllYuan: parseDecimal(row.self_pay_all),
        selfPayFirstYuan: parseDecimal(row.self_pay_first),
        deductibleYuan: parseDecimal(row.deductible),
        rateYuanPerWeight: rateOf.get(row.insurance_type)!,
        coefficient,
        ...(points ? {pointValueYuan: rateOf.get(row.insurance_type)!} : {}),
        fundRatio: p.drg.fund_ratio[row.insurance_type]!,
        ...(fixed === undefined ? {} : {standardYuan: fixed.standard}),
      },
      context.rules,
      explain,
    )
    return {
      payment: priced.payment,
      outlier: priced.outlier,
      standardText: priced.standardYuan.toFixed(2),
      adjustedText: priced.adjustedYuan.toFixed(2),
      fundFen: fenOfYuan(priced.fundYuan),
      residueUnits: 0,
      fundExactYuan: priced.fundExactYuan,
      points: priced.points,
      missingWeightDrg: missingOf(result, weight),
      steps: explain ? priced.steps.join('\n') : '',
    }
  }
}

/** What the run keeps of a priced case. */
export function caseRecord(row: CaseRow, result: GroupResult, weightText: string, outcome: CaseOutcome): RunCase {
  return {
    settlementId: row.settlement_id,
    institutionId: row.institution_id,
    pool: row.insurance_type,
    status: result.status,
    mdc: result.mdc,
    drg: result.drg,
    weight: weightText,
    payment: outcome.payment,
    outlier: outcome.outlier,
    standardYuan: outcome.standardText,
    adjustedYuan: outcome.adjustedText,
    fundYuan: fenText(outcome.fundFen),
    points: outcome.points?.toFixed(4) ?? '',
    steps: outcome.steps,
  }
}
