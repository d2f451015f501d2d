/**
 * `yb group` as a function: stream a case file through a compiled scheme into a CSV or NDJSON
 * file, in input order, keeping every input column and adding mdc, adrg, drg, drg_name, status,
 * reason (and trace with explain). Memory stays flat: one 64 KiB chunk in, one out.
 *
 *   await groupFile({scheme, input: 'cases.csv', output: 'grouped.csv', format: 'csv', …})
 *   → {cases: 20000, byStatus: {grouped: 19716, qy: 0, ungroupable: 284, invalid: 0}, …}
 *
 * A malformed row (wrong column count, bad number) stops the run: the output file is removed
 * and every error is returned. With a rejects file, malformed rows go there with their reason
 * and the good rows are grouped. With `share`, a thread groups its share of the records and the
 * command's thread writes every share's batches in order (group-share.ts, src/cli/group-workers.ts).
 */
import {assert, type InputError, inputError, InputErrors} from '../errors.js'
import {resolveCaseColumns} from '../io/case-columns.js'
import {parseCaseRow} from '../io/case-row.js'
import {CsvParser, isBlankRow} from '../io/csv-reader.js'
import {ERRORS_KEPT_MAX, rejectHeader, rejectRow, unreadableRaw} from '../io/rejects.js'
import {csvLine, readText, type TextEncoding, TextOutput} from '../io/text-stream.js'
import type {CompiledScheme} from './compile-scheme.js'
import {type CompiledDip, type DipStatus, groupDip} from './dip-group.js'
import {groupCase, type GroupStatus} from './group-case.js'
import {csvRow, type DipGrouped, type Grouped, type Layout, makeLayout, ndjsonRow} from './group-output.js'
import {addTallies, type GroupedBatch, type GroupShare, type GroupTally, newTally} from './group-share.js'
import {explainCase} from './trace.js'

export {DIP_COLUMNS, DIP_TRACE_COLUMN, RESULT_COLUMNS, TRACE_COLUMN} from './group-output.js'
export type {BatchClaim, GroupedBatch, GroupShare, GroupTally, OtherShares} from './group-share.js'
export {claimBatch, shareClaims, tallyOf} from './group-share.js'

export type OutputFormat = 'csv' | 'ndjson'

/** Batches of its own the command's thread may hold while another thread's batch before them is still being grouped. */
const OWN_AHEAD = 16
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'ndjson']

export interface GroupFileOptions {
  /** The DRG scheme; at least one of scheme and dip. */
  readonly scheme?: CompiledScheme
  readonly dip?: CompiledDip
  readonly input: string
  readonly output: string
  readonly format: OutputFormat
  readonly explain: boolean
  readonly encoding: TextEncoding
  readonly rejects?: string
  readonly onProgress?: (casesRead: number) => void
  /** Group only a share of the records, the others being grouped by other threads (src/cli/group-workers.ts). */
  readonly share?: GroupShare
}

export interface GroupFileResult {
  readonly scheme: {readonly id: string; readonly sha256: string} | null
  readonly dip: {readonly id: string; readonly sha256: string} | null
  readonly input: string
  readonly output: string
  readonly format: OutputFormat
  /** Data records read (every record after the header): casesWritten + rowsRejected + rowsSkipped. */
  readonly rowsRead: number
  /** Blank records (empty lines, `,,,` rows): skipped, not grouped. */
  readonly rowsSkipped: number
  /** Cases written to the output (grouped, qy, ungroupable or invalid). */
  readonly casesWritten: number
  readonly byStatus: Record<GroupStatus, number>
  /** Cases per MDC among grouped and QY cases, in the scheme's MDC order. */
  readonly byMdc: Record<string, number>
  /** DIP: cases per status and per group type (core, basic, comprehensive). */
  readonly byDipStatus: Record<DipStatus, number>
  readonly byDipType: Record<string, number>
  /** Malformed rows: written to the rejects file when one was given, else the run failed. */
  readonly rowsRejected: number
  readonly rejects: string | null
  /** The first ERRORS_KEPT_MAX input errors; errorCount counts them all. */
  readonly errors: readonly InputError[]
  readonly errorCount: number
  readonly completed: boolean
}

export async function groupFile(options: GroupFileOptions): Promise<GroupFileResult> {
  const {scheme, dip, input, format, share} = options
  if (scheme === undefined && dip === undefined) throw new RangeError('groupFile needs a DRG scheme or a DIP catalog')
  const file = input === '-' ? 'stdin' : input
  const tally = newTally(scheme)
  let layout: Layout | undefined
  /** Records after the header, every one counted (share: the batches are numbered by it). */
  let records = 0
  const worker = share !== undefined && 'emit' in share ? share : undefined
  /** The batch this thread last reached, and whether it took it. */
  let reached = -1
  let taken = false
  const mine = (record: number): boolean => {
    if (share === undefined) return true
    const n = Math.floor(record / share.batchRecords)
    if (n !== reached) {
      reached = n
      taken = share.claim(n)
    }
    return taken
  }

  const inputFile = {path: input, what: 'the input file'}
  const output = worker !== undefined ? undefined : new TextOutput(options.output, '--out', [inputFile, ...(options.rejects === undefined ? [] : [{path: options.rejects, what: 'the rejects file'}])])
  const rejects = worker !== undefined || options.rejects === undefined ? undefined : new TextOutput(options.rejects, '--rejects', [inputFile, {path: options.output, what: 'the output file'}])
  // A share's batches are gathered as their rows come, and written (the command's share: after
  // the others' batches before them) or emitted (a worker's) between the input's chunks.
  let batchNo = -1
  let batchOut = ''
  let batchRejects = ''
  const gathered: GroupedBatch[] = []
  /** The command's share: its own batches grouped and not yet written (another thread's batch before them is not in yet). */
  const ownQueue: GroupedBatch[] = []
  /** Batches written so far, in batch order (the command's share). */
  let written = 0
  const writeOut = (text: string): void => {
    if (share === undefined) output!.write(text)
    else batchOut += text
  }
  const writeReject = (text: string): void => {
    if (share === undefined) rejects?.write(text)
    else if (options.rejects !== undefined) batchRejects += text
  }
  const endBatch = (): void => {
    if (batchNo >= 0) gathered.push({batchNo, out: batchOut, rejects: batchRejects})
    batchOut = ''
    batchRejects = ''
  }
  const writeBatch = async (batch: GroupedBatch): Promise<void> => {
    output!.write(batch.out)
    rejects?.write(batch.rejects)
    await output!.flushIfFull()
    await rejects?.flushIfFull()
  }
  /**
   * The command's share: writes the batches that can be written in order. The next one is another
   * thread's when this thread holds a later one (or at the end): it is waited for only when this
   * thread holds OWN_AHEAD batches (memory stays flat) or at the end; otherwise this thread goes on
   * grouping, and writes when the next chunk is in.
   */
  const writeReady = async (end: boolean): Promise<void> => {
    if (share === undefined || !('others' in share)) return
    const total = Math.ceil(records / share.batchRecords)
    while (!end || written < total) {
      const own = ownQueue[0]
      if (own !== undefined && own.batchNo === written) {
        ownQueue.shift()
        await writeBatch(own)
        written++
        continue
      }
      const wait = end || ownQueue.length >= OWN_AHEAD
      const batch = share.others.arrived(written) ?? (wait ? share.others.batch(written) : undefined)
      if (batch === undefined) return
      await writeBatch(batch)
      written++
    }
  }
  const passGathered = async (): Promise<void> => {
    if (worker !== undefined) {
      for (const batch of gathered.splice(0)) worker.emit(batch)
      return
    }
    ownQueue.push(...gathered.splice(0))
    await writeReady(false)
  }
  /** True when this record is this thread's (then it is counted and grouped here). */
  const take = (): boolean => {
    const record = records++
    if (!mine(record)) return false
    if (share !== undefined) {
      const n = Math.floor(record / share.batchRecords)
      if (n !== batchNo) {
        endBatch()
        batchNo = n
      }
    }
    return true
  }

  const keep = (error: InputError): void => {
    tally.errorCount++
    if (tally.errors.length < ERRORS_KEPT_MAX) tally.errors.push(error)
  }
  const rowErrors: InputError[] = []

  const reject = (raw: string): void => {
    tally.rowsRejected++
    for (const error of rowErrors) keep(error)
    if (options.rejects === undefined) tally.failed = true
    else writeReject(rejectRow(raw, rowErrors))
  }
  const onRow = (fields: string[], line: number, raw: string): void => {
    if (isBlankRow(fields)) {
      if (layout !== undefined && take()) {
        tally.rowsRead++
        tally.rowsSkipped++
      }
      return
    }
    if (layout === undefined) {
      const resolved = resolveCaseColumns(file, line, fields)
      if (resolved.errors.length > 0) throw new InputErrors(resolved.errors)
      layout = makeLayout(fields, resolved.columns, options.explain, scheme !== undefined, dip !== undefined)
      parser.expectWidth(fields.length)
      output?.write(format === 'csv' ? csvLine(layout.outputHeader) : '')
      rejects?.write(rejectHeader(fields))
      return
    }
    if (!take()) return
    tally.rowsRead++
    rowErrors.length = 0
    const groupInput =
      fields.length === layout.width
        ? parseCaseRow(layout.columns, fields, file, line, rowErrors)
        : (rowErrors.push(inputError(file, line, '', 'column_count', `the row has ${fields.length} fields but the header has ${layout.width}`)), undefined)
    if (groupInput === undefined) {
      reject(raw)
      return
    }
    if (tally.failed) return
    let drg: Grouped | undefined
    if (scheme !== undefined) {
      const result = groupCase(scheme, groupInput)
      tally.byStatus[result.status]++
      if (result.mdc !== '' && result.status !== 'ungroupable') tally.byMdc[result.mdc] = (tally.byMdc[result.mdc] ?? 0) + 1
      drg = {result, trace: options.explain ? explainCase(scheme, groupInput, result) : undefined}
    }
    let dipGrouped: DipGrouped | undefined
    if (dip !== undefined) {
      const trace: string[] | undefined = options.explain ? [] : undefined
      const costAt = layout.columns.total_cost
      const result = groupDip(dip, dip.tieBreak === 'CLOSEST_COST' && costAt >= 0 ? {...groupInput, costYuan: (fields[costAt] ?? '').trim()} : groupInput, trace)
      tally.byDipStatus[result.status]++
      if (result.type !== '') tally.byDipType[result.type]!++
      dipGrouped = {result, trace}
    }
    writeOut(format === 'csv' ? csvRow(layout, fields, raw, drg, dipGrouped) : ndjsonRow(layout, fields, drg, dipGrouped))
    tally.casesWritten++
  }
  const parser = new CsvParser(onRow, (line, message, raw, code) => {
    if (layout === undefined) throw new InputErrors([inputError(file, line, '', code, `the header: ${message}`)])
    if (!take()) return
    tally.rowsRead++
    rowErrors.length = 0
    rowErrors.push(inputError(file, line, '', code, message))
    reject(unreadableRaw(raw, layout.width))
  }, share === undefined ? undefined : () => {
    // Another thread's record, not split here: only counted (a record with a quote is parsed, and passed over in onRow).
    if (layout === undefined || mine(records)) return false
    records++
    return true
  })
  let tallies: readonly GroupTally[] = []
  try {
    for await (const text of readText(input, options.encoding)) {
      parser.push(text)
      if (share === undefined) {
        if (!tally.failed) await output!.flushIfFull()
        await rejects?.flushIfFull()
      } else await passGathered()
      options.onProgress?.(share === undefined ? tally.rowsRead : records)
    }
    parser.end()
    endBatch()
    await passGathered()
    if (layout === undefined) throw new InputErrors([inputError(file, 1, '', 'header_missing', 'the file is empty; expected a header row of the case format')])
    assert(tally.failed || tally.rowsRead === tally.casesWritten + tally.rowsRejected + tally.rowsSkipped, `every record of ${file} is counted once`)
    if (share !== undefined && 'others' in share) {
      await writeReady(true)
      assert(ownQueue.length === 0, 'every batch of the command\'s share is written')
      tallies = share.others.tallies()
    }
  } catch (error) {
    await output?.abandon()
    await rejects?.abandon()
    throw error
  }
  const all = addTallies(tally, tallies)
  if (output !== undefined) {
    if (all.failed) await output.abandon()
    else await output.commit()
  }
  await rejects?.commit()
  return {
    scheme: scheme === undefined ? null : {id: scheme.id, sha256: scheme.sha256},
    dip: dip === undefined ? null : {id: dip.id, sha256: dip.sha256},
    input,
    output: options.output,
    format,
    rowsRead: all.rowsRead,
    rowsSkipped: all.rowsSkipped,
    casesWritten: all.casesWritten,
    byStatus: all.byStatus,
    byMdc: all.byMdc,
    byDipStatus: all.byDipStatus,
    byDipType: all.byDipType,
    rowsRejected: all.rowsRejected,
    rejects: options.rejects ?? null,
    errors: all.errors,
    errorCount: all.errorCount,
    completed: !all.failed,
  }
}
