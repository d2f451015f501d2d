/**
 * DIP payment in the settlement cycle (settlement-rules §3): each stored case is grouped with the
 * year's catalog and priced by clearing/dip-case (deviation, case score, score × point value,
 * the fund mode); the monthly payment, the bands, the deposit and the balance are the shared
 * cycle's (pay.ts, clear.ts).
 *
 *   dipMethod(db, 2025).rowPricer(rates, true)(row) → {outcome: {points: 1200.0000, fundFen: …}, record: {drg: 'K80.1-01', outlier: 'high', …}}
 */
import {dipCaseFund, type DipCaseRules, priceDipCase} from '../clearing/dip-case.js'
import {fixedMonthlyPointValue} from '../clearing/dip-pricing.js'
import {discountedItemsStep, discountedItemsYuan} from '../clearing/drg-case.js'
import {fenOfYuan, fenText} from '../clearing/fen.js'
import {type Dec, ONE, parseDecimal} from '../clearing/money.js'
import {dipSpecialCaseFund} from '../clearing/special-value.js'
import {assert, InputErrors} from '../errors.js'
import {loadDipCatalog} from '../grouper/dip-catalog.js'
import {auxFactor, compileDip, type DipCase, type DipResult, groupDip} from '../grouper/dip-group.js'
import {mapPackSource} from '../grouper/pack-load.js'
import {codeList} from '../io/case-row.js'
import type {CaseRow} from '../store/cases.js'
import type {Db} from '../store/db.js'
import {findScheme, schemeFiles} from '../store/schemes.js'
import type {RunCase} from '../store/runs.js'
import {casePaths} from './case-paths.js'
import {payInstitutions} from './institutions.js'
import {type CaseOutcome, type PaymentMethod, rateJsonOf} from './payment-method.js'
import {periodRates} from './period-rates.js'
import {yearPolicy} from './year-policy.js'
import {qualityHold} from './quality-hold.js'
import {schemeDictionary} from './quality-rules.js'

const y = (x: Dec): string => x.toFixed(2)

export function dipMethod(db: Db, year: number): PaymentMethod {
  const {policy, stored} = yearPolicy(db, year)
  const p = policy.file
  const d = p.dip!
  const catalogStored = findScheme(db, d.catalog!, 'dip')
  const loaded = loadDipCatalog(mapPackSource(`workspace:${catalogStored.id}@${catalogStored.version}`, schemeFiles(db, catalogStored)))
  if (loaded.catalog === undefined) throw new InputErrors(loaded.errors)
  const catalog = compileDip(loaded.catalog)
  const hold = p.quality?.hold_errors === true ? qualityHold(db, policy, schemeDictionary(db, p.scheme).dictionary) : undefined
  const institutions = payInstitutions(db, policy, year)
  const mode = policy.roundingMode
  const rules: DipCaseRules = {
    deviation: {high: d.deviation.high, low: d.deviation.low, extreme: d.deviation.extreme, boundaryInclusive: d.deviation.boundary_inclusive},
    hospitalFactorStage: d.hospital_factor_stage,
    fundMode: d.fund_mode,
    scoreScale: p.rounding.score_scale,
    mode,
  }
  const rounding = {mode, scoreScale: p.rounding.score_scale, rateScale: p.rounding.rate_scale, pvScale: p.rounding.pv_scale}
  const fundInput = (row: CaseRow) => ({costYuan: parseDecimal(row.total_cost), fundRecordedYuan: parseDecimal(row.fund_recorded), reimbursementRatio: p.reimbursement_ratio[row.insurance_type]!})

  const priceRow = (row: CaseRow, pointValue: Dec, explain: boolean): {outcome: CaseOutcome; record: RunCase} => {
    const institution = institutions.get(row.institution_id)
    assert(institution !== undefined, `case ${row.settlement_id}: institution ${row.institution_id} was checked on import`)
    const dipCase: DipCase = {dx: codeList(row.dx_codes, true), px: codeList(row.px_codes, false), ageYears: Number(row.age_years), dischargeMode: row.discharge_mode, costYuan: row.total_cost}
    const trace: string[] | undefined = explain ? [] : undefined
    const held = hold?.reasonOf(row) ?? ''
    const result: DipResult = held === '' ? groupDip(catalog, dipCase, trace) : {status: 'invalid', group: '', type: '', name: '', score: '', reason: held}
    if (held !== '') trace?.push(`质控拦截 (quality.hold_errors): ${held}`)
    const steps = trace ?? []
    const base = {settlementId: row.settlement_id, institutionId: row.institution_id, pool: row.insurance_type, status: result.status, mdc: '', drg: result.group, weight: result.score}
    const outcomeOf = (o: Omit<CaseOutcome, 'residueUnits' | 'missingWeightDrg' | 'steps'>): {outcome: CaseOutcome; record: RunCase} => {
      const text = explain ? steps.join('\n') : ''
      const outcome: CaseOutcome = {...o, residueUnits: 0, missingWeightDrg: '', steps: text}
      return {outcome, record: {...base, payment: o.payment, outlier: o.outlier, standardYuan: o.standardText, adjustedYuan: o.adjustedText, fundYuan: fenText(o.fundFen), points: o.points?.toFixed(p.rounding.score_scale) ?? '', steps: text}}
    }
    if (result.status === 'invalid') return outcomeOf({payment: 'held', outlier: 'normal', standardText: '0.00', adjustedText: '0.00', fundFen: 0, fundExactYuan: null, points: undefined})
    if (result.status === 'ungroupable') {
      // Not in the catalog: paid by its items at the policy's discount, like a DRG 0000 case.
      const recorded = parseDecimal(row.fund_recorded)
      const fund = discountedItemsYuan(recorded, p.drg.ungroupable_discount, mode)
      steps.push(`无法入组: ${discountedItemsStep(recorded, p.drg.ungroupable_discount, fund.fundYuan)}`)
      return outcomeOf({payment: 'discounted_items', outlier: 'normal', standardText: '0.00', adjustedText: y(fund.fundYuan), fundFen: fenOfYuan(fund.fundYuan), fundExactYuan: fund.exactYuan, points: undefined})
    }
    const group = catalog.groups.get(result.group)!
    const aux = auxFactor(catalog, dipCase)
    if (explain && aux.applied.length > 0) steps.push(`辅助目录: ${aux.applied.join(', ')}`)
    const priced = priceDipCase(
      {
        groupScore: group.score,
        groupScoreText: group.scoreText,
        groupType: group.type,
        coefficientExempt: p.coefficients.exempt_groups.includes(group.code),
        referenceAvgYuan: catalog.avgCostByLevel.get(`${group.code}\t${institution.level}`) ?? group.avgCostYuan,
        costYuan: parseDecimal(row.total_cost),
        fundRecordedYuan: parseDecimal(row.fund_recorded),
        auxFactor: aux.factor,
        institutionCoefficient: institution.coefficientValue,
        pointValueYuan: pointValue,
        reimbursementRatio: p.reimbursement_ratio[row.insurance_type]!,
      },
      rules,
      explain,
    )
    steps.push(...priced.steps)
    return outcomeOf({payment: 'drg', outlier: priced.outlier, standardText: y(priced.standardYuan), adjustedText: y(priced.valueYuan), fundFen: fenOfYuan(priced.fundYuan), fundExactYuan: priced.fundExactYuan, points: priced.score})
  }

  const paths = casePaths(policy)
  // Σ case scores (they do not depend on the point value); per-diem points are in S (§3.4), item-paid cases are not.
  const unitsOf = (row: CaseRow) => (paths.pathOf(row) === 'grouped' ? priceRow(row, ONE, false).outcome.points : paths.perDiemPoints(row))
  return {
    method: 'DIP',
    family: 'DIP',
    policy,
    stored: {year, version: stored.version, sha256: stored.sha256},
    schemeRef: {id: catalogStored.id, version: catalogStored.version, sha256: catalogStored.sha256},
    institutions,
    extraInputs: hold === undefined ? {} : {quality: hold.input},
    unitsOf,
    rates(db2, months, summed) {
      const published = d.point_value_yuan ?? 'computed'
      const monthly = months.length < 12
      // FIXED (§3.4c): the published point value × k each month; at the clearing, the published value itself.
      if (published !== 'computed' && monthly && d.monthly_point_value.method === 'FIXED') {
        return p.pools.map((pool) => ({pool, source: 'published' as const, rate: fixedMonthlyPointValue(published[pool]!, d.monthly_point_value.factor, rounding)}))
      }
      return periodRates(db2, {
        policy,
        family: 'DIP',
        months,
        published: monthly && d.monthly_point_value.method === 'MONTHLY_CALC' ? 'computed' : published,
        unitsOf,
        ...(summed === undefined ? {} : {summed}),
      })
    },
    rateJson: (r) => rateJsonOf('DIP', p.rounding.pv_scale, r),
    rowPricer(rates, explain) {
      const pvOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row) => priceRow(row, pvOf.get(row.insurance_type)!, explain)
    },
    caseFund: (row, valueYuan, valueExactYuan) => dipCaseFund(fundInput(row), rules, valueYuan, valueExactYuan),
    specialValuer(rates) {
      const pvOf = new Map(rates.map((r) => [r.pool, r.rate]))
      return (row, decision) => {
        const fund = dipSpecialCaseFund(
          {...fundInput(row), approvedScore: decision.approvedScore === '' ? undefined : parseDecimal(decision.approvedScore), approvedCostYuan: parseDecimal(decision.approvedCostYuan || '0'), pointValueYuan: pvOf.get(row.insurance_type)!},
          rules,
        )
        return {fundFen: fenOfYuan(fund.fundYuan), step: fund.step}
      }
    },
  }
}
