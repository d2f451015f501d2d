/**
 * The key index of an ordered rule sequence (the MDCs; the ADRG rows of one MDC), so that a case
 * only evaluates the rows whose principal diagnosis or main procedure can match.
 */
import type {ListSet, Predicate} from './rule-compile.js'
import type {Rule, Subject} from './rule-parse.js'

/**
 * Candidate rows of an ordered rule sequence. A row whose rule is `pdx in L` or `main_px in L`
 * (alone or as a top-level `and` conjunct) can only hold when the case's code is in L, so it
 * is indexed under each code of L, and once reached that way only the rest of its rule is
 * tested; every other row is always a candidate and tested whole. A case's candidates are two
 * ascending runs of row numbers, one for its principal diagnosis (including the rows without a
 * key), one for its main procedure, kept in flat arrays (offsets + rows) and walked in order.
 */
export class KeyIndex {
  /** Per row: what to test once the row is a candidate; null when nothing is left to test. */
  readonly tests: readonly (Predicate | null)[]
  /** After select(): the two runs, data[from, to). */
  aData: Int32Array
  aFrom = 0
  aTo = 0
  bData: Int32Array
  bFrom = 0
  bTo = 0
  private readonly alwaysRows: Int32Array
  private readonly pdxOffsets: Offsets
  private readonly pdxData: Int32Array
  private readonly pxOffsets: Offsets
  private readonly pxData: Int32Array

  /** `prebuilt`: the index's arrays as an earlier compile of the same pack made them (the compile cache); the rules are still compiled here. */
  constructor(
    rules: readonly Rule[],
    codeCounts: {dx: number; px: number},
    resolve: (row: number, key: {subject: Subject; list: string}) => ListSet,
    compile: (row: number, rule: Rule) => Predicate,
    prebuilt?: KeyIndexData,
  ) {
    const always: number[] = []
    const byPdx = new Map<number, number[]>()
    const byMainPx = new Map<number, number[]>()
    this.tests = rules.map((rule, row) => {
      const key = keyConjunct(rule)
      if (key === undefined) {
        always.push(row)
        return compile(row, rule)
      }
      if (prebuilt === undefined) {
        const index = key.subject === 'pdx' ? byPdx : byMainPx
        for (const id of resolve(row, key).ids) {
          const rows = index.get(id)
          if (rows === undefined) index.set(id, [row])
          else if (rows[rows.length - 1] !== row) rows.push(row)
        }
      }
      const rest = rule.kind === 'and' ? rule.items.filter((item) => item !== key.item) : []
      return rest.length === 0 ? null : compile(row, rest.length === 1 ? rest[0]! : {kind: 'and', items: rest})
    })
    if (prebuilt !== undefined) {
      this.alwaysRows = prebuilt.always
      ;({pdxOffsets: this.pdxOffsets, pdxData: this.pdxData, pxOffsets: this.pxOffsets, pxData: this.pxData} = prebuilt)
    } else {
      this.alwaysRows = Int32Array.from(always)
      ;[this.pdxOffsets, this.pdxData] = flatten(codeCounts.dx, byPdx, always)
      ;[this.pxOffsets, this.pxData] = flatten(codeCounts.px, byMainPx, [])
    }
    this.aData = this.alwaysRows
    this.bData = this.pxData
  }

  /** The index's arrays, for the compile cache. */
  data(): KeyIndexData {
    return {always: this.alwaysRows, pdxOffsets: this.pdxOffsets, pdxData: this.pdxData, pxOffsets: this.pxOffsets, pxData: this.pxData}
  }

  /** Sets the two runs of candidate rows for a case. */
  select(pdx: number, mainPx: number): void {
    const from = pdx >= 0 ? this.pdxOffsets[pdx]! : 0
    const to = pdx >= 0 ? this.pdxOffsets[pdx + 1]! : 0
    if (from === to) {
      this.aData = this.alwaysRows
      this.aFrom = 0
      this.aTo = this.alwaysRows.length
    } else {
      this.aData = this.pdxData
      this.aFrom = from
      this.aTo = to
    }
    this.bFrom = mainPx >= 0 ? this.pxOffsets[mainPx]! : 0
    this.bTo = mainPx >= 0 ? this.pxOffsets[mainPx + 1]! : 0
  }
}

/** 16-bit offsets where the data is short enough: half the bytes to keep in cache per code. */
type Offsets = Uint16Array | Int32Array

/** A key index's arrays: what a compile makes from the pack's lists, kept by the compile cache. */
export interface KeyIndexData {
  readonly always: Int32Array
  readonly pdxOffsets: Offsets
  readonly pdxData: Int32Array
  readonly pxOffsets: Offsets
  readonly pxData: Int32Array
}

/** Rows by code id as offsets + data; each code's run is `extra` ∪ its rows, ascending. */
function flatten(codes: number, byCode: ReadonlyMap<number, number[]>, extra: readonly number[]): [Offsets, Int32Array] {
  // Only the codes with rows have a run; the rest have none, so nothing is built per code.
  const runs = new Map<number, readonly number[]>()
  let total = 0
  for (const [id, rows] of byCode) {
    const run = extra.length === 0 ? rows : mergeAscending(extra, rows)
    runs.set(id, run)
    total += run.length
  }
  const offsets = total <= 0xffff ? new Uint16Array(codes + 1) : new Int32Array(codes + 1)
  for (const [id, run] of runs) offsets[id + 1] = run.length
  for (let id = 0; id < codes; id++) offsets[id + 1] = offsets[id + 1]! + offsets[id]!
  const data = new Int32Array(total)
  for (const [id, run] of runs) data.set(run, offsets[id]!)
  return [offsets, data]
}

/** The union of two ascending runs of row numbers, ascending, each row once. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!
    if (merged.length === 0 || merged[merged.length - 1] !== next) merged.push(next)
  }
  return merged
}

function keyConjunct(rule: Rule): {subject: Subject; list: string; item: Rule} | undefined {
  const conjuncts = rule.kind === 'and' ? rule.items : [rule]
  for (const subject of ['pdx', 'main_px'] as const) {
    for (const item of conjuncts) if (item.kind === 'in' && item.subject === subject) return {subject, list: item.list, item}
  }
  return undefined
}

