/**
 * One case as the compiled rules see it. Its codes are interned once to integer ids of the
 * scheme's code tables (an unknown code gets -1), so every later test is an integer lookup, and
 * the facts derived from the scheme's tables (CC/MCC after exclusion, trauma body regions) are
 * computed at most once.
 *
 *   const view = new CaseView(tables, {sex: 1, dx: ['I63.900', 'J18.900'], …})
 *   view.hasCc() → true when J18.900 is a CC whose exclusion table differs from I63.900's
 */

/** A discharge, reduced to what grouping reads. Integers are counts and days, never money. */
export interface GroupCase {
  /** 1 male, 2 female, 0 missing. */
  readonly sex: 0 | 1 | 2
  readonly ageYears: number
  readonly ageDays: number
  /** 0 when absent (docs/scheme-pack.md: "birth_weight_g is 0 when absent"). */
  readonly birthWeightG: number
  readonly losDays: number
  /** Diagnoses, principal first. */
  readonly dx: readonly string[]
  /** Procedures, main first; may be empty. */
  readonly px: readonly string[]
}

export const LEVEL_NONE = 0
export const LEVEL_CC = 1
export const LEVEL_MCC = 2

/** A scheme's codes as dense ids, and its per-diagnosis tables indexed by id. */
export interface CodeTables {
  readonly dxId: ReadonlyMap<string, number>
  readonly pxId: ReadonlyMap<string, number>
  /** CC level of each diagnosis id: LEVEL_NONE, LEVEL_CC or LEVEL_MCC. */
  readonly ccLevel: Uint8Array
  /** Exclusion table id of each diagnosis as a CC (-1: none). */
  readonly ccTable: Int32Array
  /** Exclusion table id of each diagnosis as a principal diagnosis (-1: none). */
  readonly pdxTable: Int32Array
  /** Trauma body region id of each diagnosis (-1: none). */
  readonly bodyRegion: Int32Array
  readonly tableNames: readonly string[]
  readonly regionNames: readonly string[]
}

const UNKNOWN = -1

export class CaseView {
  readonly case: GroupCase
  /** Diagnosis ids, principal first; -1 for a code the scheme does not know. */
  readonly dx: number[]
  /** Procedure ids, main first; -1 for a code the scheme does not know. */
  readonly px: number[]
  readonly pdx: number
  /** -1 when the case has no procedure. */
  readonly mainPx: number
  private readonly tables: CodeTables
  private complication = UNKNOWN
  private regions = UNKNOWN

  constructor(tables: CodeTables, groupCase: GroupCase) {
    this.tables = tables
    this.case = groupCase
    this.dx = intern(tables.dxId, groupCase.dx)
    this.px = intern(tables.pxId, groupCase.px)
    this.pdx = this.dx.length > 0 ? this.dx[0]! : UNKNOWN
    this.mainPx = this.px.length > 0 ? this.px[0]! : UNKNOWN
  }

  /** True when some code is unknown to the scheme. */
  hasUnknownCode(): boolean {
    return this.dx.includes(UNKNOWN) || this.px.includes(UNKNOWN)
  }

  hasMcc(): boolean {
    if (this.complication === UNKNOWN) this.complication = this.computeComplication()
    return this.complication === LEVEL_MCC
  }

  hasCc(): boolean {
    if (this.complication === UNKNOWN) this.complication = this.computeComplication()
    return this.complication !== LEVEL_NONE
  }

  bodyRegions(): number {
    if (this.regions === UNKNOWN) this.regions = this.distinctRegions().length
    return this.regions
  }

  /** Names of the distinct trauma body regions among all diagnoses. */
  distinctRegions(): string[] {
    const seen: number[] = []
    for (const id of this.dx) {
      const region = id < 0 ? -1 : this.tables.bodyRegion[id]!
      if (region >= 0 && !seen.includes(region)) seen.push(region)
    }
    return seen.map((region) => this.tables.regionNames[region]!)
  }

  /** has_mcc / has_cc: a secondary diagnosis counts unless its exclusion table is the principal's. */
  private computeComplication(): number {
    const {ccLevel, ccTable, pdxTable} = this.tables
    const excluded = this.pdx < 0 ? -2 : pdxTable[this.pdx]!
    let level = LEVEL_NONE
    for (let k = 1; k < this.dx.length; k++) {
      const id = this.dx[k]!
      if (id < 0) continue
      const found = ccLevel[id]!
      if (found === LEVEL_NONE || ccTable[id] === excluded) continue
      if (found === LEVEL_MCC) return LEVEL_MCC
      level = LEVEL_CC
    }
    return level
  }

  /** For the trace: each secondary diagnosis that is a CC or MCC, and whether it counted. */
  complicationDetail(): {code: string; level: 'CC' | 'MCC'; counted: boolean; text: string}[] {
    const {ccLevel, ccTable, pdxTable, tableNames} = this.tables
    const pdxTableId = this.pdx < 0 ? -1 : pdxTable[this.pdx]!
    const pdxCode = this.case.dx[0] ?? ''
    const lines: {code: string; level: 'CC' | 'MCC'; counted: boolean; text: string}[] = []
    for (let k = 1; k < this.dx.length; k++) {
      const id = this.dx[k]!
      if (id < 0 || ccLevel[id] === LEVEL_NONE) continue
      const code = this.case.dx[k]!
      const level = ccLevel[id] === LEVEL_MCC ? 'MCC' : 'CC'
      const table = tableNames[ccTable[id]!]!
      if (ccTable[id] === pdxTableId) {
        lines.push({code, level, counted: false, text: `${code} ${level} excluded by exclusion table ${table} (the table of pdx ${pdxCode})`})
      } else {
        const pdxSide = pdxTableId < 0 ? `pdx ${pdxCode} has no exclusion table` : `pdx table ${tableNames[pdxTableId]}`
        lines.push({code, level, counted: true, text: `${code} ${level} counted (its table ${table}; ${pdxSide})`})
      }
    }
    return lines
  }
}

function intern(ids: ReadonlyMap<string, number>, codes: readonly string[]): number[] {
  const out: number[] = []
  for (let k = 0; k < codes.length; k++) out.push(ids.get(codes[k]!) ?? UNKNOWN)
  return out
}
