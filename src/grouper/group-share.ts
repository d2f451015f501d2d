/**
 * A file grouped in shares by several threads (src/cli/group-workers.ts): what a share is, the
 * batches a thread hands on, and its tally of the records it grouped, added up into one result.
 */
import {assert, type InputError} from '../errors.js'
import {ERRORS_KEPT_MAX} from '../io/rejects.js'
import type {CompiledScheme} from './compile-scheme.js'
import type {DipStatus} from './dip-group.js'
import type {GroupStatus} from './group-case.js'
import type {GroupFileResult} from './group-file.js'

/**
 * A share of a file's records, taken batch by batch: batch n (records n × batchRecords onwards,
 * counted after the header, blank and malformed ones included) is grouped by the thread that
 * reaches it first (`claim`, which claimBatch makes with a shared word). Every thread parses the whole file; one
 * that is behind passes over batches already taken until it catches up, so a thread that starts
 * late (a worker loading its scheme) or runs slower (the command's, which also writes) takes fewer.
 * A worker's share (`emit`) writes no file: each of its batches' text is emitted, then its tally
 * is returned. The command's share (`others`) writes the files, its own batches and the others'
 * in batch order, and adds the others' tallies to its own.
 */
export type GroupShare =
  | {readonly claim: BatchClaim; readonly batchRecords: number; readonly emit: (batch: GroupedBatch) => void}
  | {readonly claim: BatchClaim; readonly batchRecords: number; readonly others: OtherShares}

/** Asked once for each batch a thread reaches, in order: whether it is this thread's to group. */
export type BatchClaim = (batchNo: number) => boolean

/** The word the threads of a share claim batches with: the first batch no thread has taken yet. */
export function shareClaims(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
}

/**
 * Whether batch n, which this thread has just reached, is its own: it is when no thread has taken
 * it yet, and then it is taken. Each thread passes the batches in order and every batch it passed
 * was taken, by it or by a thread ahead, so the first untaken batch is n or later.
 */
export function claimBatch(claims: Int32Array): BatchClaim {
  return (n) => {
    const untaken = Atomics.compareExchange(claims, 0, n, n + 1)
    assert(untaken >= n, `batch ${n} is reached after every batch before it was taken (the first untaken is ${untaken})`)
    return untaken === n
  }
}

/** A batch's output and rejects text, as the thread that grouped it made them. */
export interface GroupedBatch {
  readonly batchNo: number
  readonly out: string
  readonly rejects: string
}

export interface OtherShares {
  /** Batch n when another thread has sent it, else undefined (not waited for). */
  readonly arrived: (batchNo: number) => GroupedBatch | undefined
  /** Batch n, which another thread took, waited for. */
  readonly batch: (batchNo: number) => GroupedBatch
  /** The other threads' tallies, once their batches are all written. */
  readonly tallies: () => readonly GroupTally[]
}

/** What a thread counted of the records it grouped. */
export interface GroupTally {
  rowsRead: number
  rowsSkipped: number
  casesWritten: number
  rowsRejected: number
  errorCount: number
  errors: InputError[]
  failed: boolean
  byStatus: Record<GroupStatus, number>
  byMdc: Record<string, number>
  byDipStatus: Record<DipStatus, number>
  byDipType: Record<string, number>
}


/** What a share's result counted, for the command's share to add up (a worker's result). */
export function tallyOf(result: GroupFileResult): GroupTally {
  const {rowsRead, rowsSkipped, casesWritten, rowsRejected, errorCount, byStatus, byMdc, byDipStatus, byDipType} = result
  return {rowsRead, rowsSkipped, casesWritten, rowsRejected, errorCount, errors: [...result.errors], failed: !result.completed, byStatus, byMdc, byDipStatus, byDipType}
}

export function newTally(scheme: CompiledScheme | undefined): GroupTally {
  return {
    rowsRead: 0,
    rowsSkipped: 0,
    casesWritten: 0,
    rowsRejected: 0,
    errorCount: 0,
    errors: [],
    failed: false,
    byStatus: {grouped: 0, qy: 0, ungroupable: 0, invalid: 0},
    byMdc: Object.fromEntries((scheme?.mdcs ?? []).map((mdc) => [mdc.row.mdc, 0])),
    byDipStatus: {grouped: 0, ungroupable: 0, invalid: 0},
    byDipType: {core: 0, basic: 0, comprehensive: 0},
  }
}

/** The tallies of every share as one: sums, and the first errors of the file in line order. */
export function addTallies(own: GroupTally, others: readonly GroupTally[]): GroupTally {
  if (others.length === 0) return own
  const all = {...own, errors: [...own.errors], byStatus: {...own.byStatus}, byMdc: {...own.byMdc}, byDipStatus: {...own.byDipStatus}, byDipType: {...own.byDipType}}
  for (const other of others) {
    all.rowsRead += other.rowsRead
    all.rowsSkipped += other.rowsSkipped
    all.casesWritten += other.casesWritten
    all.rowsRejected += other.rowsRejected
    all.errorCount += other.errorCount
    all.failed ||= other.failed
    all.errors.push(...other.errors)
    for (const [from, to] of [[other.byStatus, all.byStatus], [other.byMdc, all.byMdc], [other.byDipStatus, all.byDipStatus], [other.byDipType, all.byDipType]] as const) {
      for (const [key, n] of Object.entries(from)) (to as Record<string, number>)[key] = ((to as Record<string, number>)[key] ?? 0) + n
    }
  }
  // Each share kept its first errors in line order; the file's first are among them (a stable sort keeps a row's own order).
  all.errors = all.errors.sort((a, b) => a.row - b.row).slice(0, ERRORS_KEPT_MAX)
  return all
}

