/**
 * The corrections a month settles (冲正 / 补退, docs/settlement.md): for each case corrected into
 * the month, what was last paid for it comes back off the institution-pool that was paid (冲正,
 * naming that run), and the corrected case is priced at the month's rates and paid (补退). The
 * closed month that paid it first keeps its run and its files as they were.
 *
 *   priceCorrections(db, month, runId, price, accumulatorOf) → [{settlementId: 'S1', reverses: {runId: 3, fundYuan: '12126.67'}, fundYuan: '13000.00'}]
 */
import type {MonthAccumulator} from '../clearing/month.js'
import {monthCorrections, previousPayment, type RunCorrection, runCorrectionWriter} from '../store/corrections.js'
import type {Db} from '../store/db.js'
import type {RowPricer} from './payment-method.js'

export function priceCorrections(db: Db, month: string, runId: number, price: RowPricer, accumulatorOf: (key: string) => MonthAccumulator): RunCorrection[] {
  const write = runCorrectionWriter(db, runId)
  const lines: RunCorrection[] = []
  for (const row of monthCorrections(db, month)) {
    // A case of a closed month that was never paid (held) has nothing to reverse.
    const reverses = previousPayment(db, row.settlement_id, month) ?? {runId: 0, institutionId: row.institution_id, pool: row.insurance_type, fundYuan: '0.00'}
    const {outcome, record} = price(row)
    accumulatorOf(`${reverses.institutionId}\t${reverses.pool}`).addReversal(reverses.fundYuan)
    accumulatorOf(`${row.institution_id}\t${row.insurance_type}`).addCorrected(outcome.fundFen, outcome.residueUnits, outcome.fundExactYuan)
    const line: RunCorrection = {
      settlementId: row.settlement_id,
      reverses,
      institutionId: row.institution_id,
      pool: row.insurance_type,
      status: record.status,
      drg: record.drg,
      weight: record.weight,
      payment: record.payment,
      outlier: record.outlier,
      standardYuan: record.standardYuan,
      adjustedYuan: record.adjustedYuan,
      fundYuan: record.fundYuan,
      points: record.points,
    }
    write(line)
    lines.push(line)
  }
  return lines
}
