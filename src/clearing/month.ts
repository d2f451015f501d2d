/**
 * An institution-pool's month (or year) of priced cases, added one by one in whole 分 with each
 * case's rounding residue (a month of a million cases is never held in memory), and the month's
 * payment (§3.6): the fund due at the policy's rounding stage, floored at 0, p of it paid less
 * the deductions due, the rest held back.
 *
 *   const month = new MonthAccumulator(); month.add(priced) …; month.finish({preSettleRatio: 0.95, deductionsDueYuan: 100.00, …})
 *   → {fundDueYuan: 28729.99, payYuan: 27193.49, withheldYuan: 1436.50, check: {holds: true}}
 */
import {assert} from '../errors.js'
import {type ExcessDeduction, type MonthlyPayment, monthlyPayment} from './cycle.js'
import type {CaseOutlier, CasePayment, PricedCase} from './drg-case.js'
import {fenOfYuan, parseFen, yuanOfFen} from './fen.js'
import {type Dec, roundYuan, type RoundingMode, ZERO} from './money.js'

export type MoneyRoundingStage = 'CASE' | 'INSTITUTION'

export interface InstitutionMonth extends MonthlyPayment {
  readonly institutionId: string
  readonly cases: number
  /** 冲正 and 补退 lines (corrections of cases paid in closed months). */
  readonly corrections: number
  readonly byPayment: Readonly<Record<CasePayment, number>>
  readonly byOutlier: Readonly<Record<CaseOutlier, number>>
  /** Σ of the cases' fund amounts as each was rounded (what the case-detail sheet adds up to). */
  readonly casesFundYuan: Dec
  /** 尾差 = Σ rounded cases − the cases' exact sum rounded once (§7.5, §7.7). */
  readonly roundingResidueYuan: Dec
  /** The fund due: Σ rounded cases (stage CASE), or the exact sum rounded once (INSTITUTION) = casesFund − 尾差. May be below 0 (DIP TOTAL_MINUS_PATIENT). */
  readonly fundDueYuan: Dec
  /** The month's check equation: paid + withheld + deductions taken = the fund due floored at 0. */
  readonly check: {readonly accountedYuan: Dec; readonly holds: boolean}
}

export interface MonthRules {
  readonly preSettleRatio: Dec
  readonly excess: ExcessDeduction
  readonly mode: RoundingMode
  readonly stage: MoneyRoundingStage
}

/** One 1e-8 分 (the unit of the integer path's rounding residues). */
export const RESIDUE_UNITS_PER_FEN = 100_000_000

export class MonthAccumulator {
  private cases = 0
  private readonly byPayment: Record<CasePayment, number> = {drg: 0, discounted_items: 0, per_diem: 0, items: 0, held: 0}
  private readonly byOutlier: Record<CaseOutlier, number> = {normal: 0, high: 0, low: 0, mid_low: 0, extreme: 0}
  private fundDueFen = 0
  /** 冲正 / 补退 lines: a reversal of what was paid for a case, or the payment of its correction. */
  private correctionLines = 0
  /** Σ exact − rounded, in 1e-8 分 (integer path). */
  private residueUnits = 0
  /** Σ exact − rounded, in 元 (decimal path). */
  private residueYuan: Dec = ZERO

  add(priced: PricedCase): void {
    this.addFen(priced.payment, priced.outlier, fenOfYuan(priced.fundYuan))
    this.residueYuan = this.residueYuan.plus(priced.fundExactYuan.minus(priced.fundYuan))
  }

  addFen(payment: CasePayment, outlier: CaseOutlier, fundFen: number, residueUnits = 0): void {
    this.cases++
    this.byPayment[payment]++
    if (payment === 'drg') this.byOutlier[outlier]++
    this.fundDueFen += fundFen
    this.residueUnits += residueUnits
    assert(Number.isSafeInteger(this.fundDueFen) && Number.isSafeInteger(this.residueUnits), 'a month of 分 stays a safe integer')
  }

  get count(): number {
    return this.cases
  }

  /** 冲正: what an earlier run paid for a case (its stored 2-dp amount) comes back off this institution-pool. */
  addReversal(paidText: string): void {
    this.correctionLines++
    this.fundDueFen -= parseFen(paidText)
  }

  /** 补退: a corrected case, priced now, as addCase would add it but not counted as a discharge. */
  addCorrected(fundFen: number, residueUnits: number, fundExactYuan: Dec | null): void {
    this.correctionLines++
    this.fundDueFen += fundFen
    this.residueUnits += residueUnits
    if (fundExactYuan !== null) this.residueYuan = this.residueYuan.plus(fundExactYuan.minus(yuanOfFen(fundFen)))
    assert(Number.isSafeInteger(this.fundDueFen) && Number.isSafeInteger(this.residueUnits), 'a month of 分 stays a safe integer')
  }

  get corrections(): number {
    return this.correctionLines
  }

  /** A case as a run priced it: its rounded fund in 分 with its residue in 1e-8 分 (integer path), or its exact amount (decimal path). */
  addCase(payment: CasePayment, outlier: CaseOutlier, fundFen: number, residueUnits: number, fundExactYuan: Dec | null): void {
    this.addFen(payment, outlier, fundFen, residueUnits)
    if (fundExactYuan !== null) this.residueYuan = this.residueYuan.plus(fundExactYuan.minus(yuanOfFen(fundFen)))
  }

  /** Σ rounded case amounts, the 尾差 against rounding once, and the fund due at the policy's rounding stage. */
  totals(mode: RoundingMode, stage: MoneyRoundingStage): {casesFundYuan: Dec; roundingResidueYuan: Dec; fundDueYuan: Dec} {
    const casesFundYuan = yuanOfFen(this.fundDueFen)
    const exact = casesFundYuan.plus(this.residueYuan).plus(yuanOfFen(this.residueUnits).div(RESIDUE_UNITS_PER_FEN))
    const onceYuan = roundYuan(exact, mode)
    return {casesFundYuan, roundingResidueYuan: casesFundYuan.minus(onceYuan), fundDueYuan: stage === 'CASE' ? casesFundYuan : onceYuan}
  }

  /** The month: the fund due at the rounding stage, then the payment of §3.6 with the deductions due (this month's and those carried in). */
  finish(institutionId: string, rules: MonthRules, deductionsDueYuan: Dec): InstitutionMonth {
    const {casesFundYuan, roundingResidueYuan, fundDueYuan} = this.totals(rules.mode, rules.stage)
    const payment = monthlyPayment({fundDueYuan, preSettleRatio: rules.preSettleRatio, deductionsDueYuan, excess: rules.excess}, rules.mode)
    const accountedYuan = payment.payYuan.plus(payment.withheldYuan).plus(payment.takenYuan)
    return {
      institutionId,
      cases: this.cases,
      corrections: this.correctionLines,
      byPayment: {...this.byPayment},
      byOutlier: {...this.byOutlier},
      casesFundYuan,
      roundingResidueYuan,
      fundDueYuan,
      ...payment,
      check: {accountedYuan, holds: accountedYuan.eq(payment.dueFlooredYuan) && payment.takenYuan.plus(payment.carriedOutYuan).eq(deductionsDueYuan)},
    }
  }
}

export function institutionMonth(institutionId: string, cases: readonly PricedCase[], rules: MonthRules, deductionsDueYuan: Dec): InstitutionMonth {
  const month = new MonthAccumulator()
  for (const priced of cases) month.add(priced)
  return month.finish(institutionId, rules, deductionsDueYuan)
}

/** An institution-pool's year for the clearing: its cases, the band's actual basis, and the 特例单议 additions, in 分. */
export class YearAccumulator {
  readonly cases = new MonthAccumulator()
  private actualFen = 0
  private specialFen = 0

  /** The case's fund recorded or total cost (policy band.basis), as stored. */
  addActual(fen: number): void {
    this.actualFen += fen
    assert(Number.isSafeInteger(this.actualFen), 'a year of 分 stays a safe integer')
  }

  /** An approved special case: its fund at the approved cost in place of its fund by the group. */
  addSpecial(approvedFundFen: number, groupFundFen: number): void {
    this.specialFen += approvedFundFen - groupFundFen
  }

  get actualYuan(): Dec {
    return yuanOfFen(this.actualFen)
  }

  get specialAdditionsYuan(): Dec {
    return yuanOfFen(this.specialFen)
  }
}
