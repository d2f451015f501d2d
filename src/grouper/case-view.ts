/**
 * One case as the compiled rules see it. Its codes are interned once to integer ids of the
 * scheme's code tables (an unknown code gets -1), so every later test is an integer lookup, and
 * the facts derived from the scheme's tables (CC/MCC after exclusion, trauma body regions) are
 * computed at most once.
 *
 *   const view = new CaseView(tables, {sex: 1, dx: ['I63.900', 'J18.900'], …})
 *   view.hasCc() → true when J18.900 is a CC whose exclusion table differs from I63.900's
 */
import type {CodeDictionary} from './code-dictionary.js'

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

export const DX_INFO_WORDS = 4
export const DX_CC_LEVEL = 0
export const DX_CC_TABLE = 1
export const DX_PDX_TABLE = 2
export const DX_REGION = 3

export const LEVEL_NONE = 0
export const LEVEL_CC = 1
export const LEVEL_MCC = 2

/** A scheme's codes as dense ids, and its per-diagnosis tables indexed by id. */
export interface CodeTables {
  readonly dxId: CodeDictionary
  readonly pxId: CodeDictionary
  /**
   * Per diagnosis id, four words side by side so that one cache line answers for a code:
   * [DX_CC_LEVEL] LEVEL_NONE | LEVEL_CC | LEVEL_MCC, [DX_CC_TABLE] its exclusion table as a CC,
   * [DX_PDX_TABLE] its exclusion table as a principal diagnosis, [DX_REGION] its trauma body
   * region; -1 where none.
   */
  readonly dxInfo: Int32Array
  readonly tableNames: readonly string[]
  readonly regionNames: readonly string[]
}

const UNKNOWN = -1

export class CaseView {
  case: GroupCase = {sex: 0, ageYears: 0, ageDays: 0, birthWeightG: 0, losDays: 0, dx: [], px: []}
  /** Diagnosis ids, principal first, in dx[0 .. dxCount); -1 for a code the scheme does not know. */
  dx = new Int32Array(16)
  dxCount = 0
  /** Procedure ids, main first, in px[0 .. pxCount); -1 for a code the scheme does not know. */
  px = new Int32Array(16)
  pxCount = 0
  /** -1 when there is no principal diagnosis or it is unknown. */
  pdx = UNKNOWN
  /** -1 when the case has no procedure. */
  mainPx = UNKNOWN
  /** How many codes the scheme does not know. */
  unknownCodes = 0
  private readonly tables: CodeTables
  private complication = UNKNOWN
  private regions = UNKNOWN

  /**
   * One view serves case after case (grouping is synchronous): load() resets it, so grouping
   * allocates nothing per case but its result.
   */
  constructor(tables: CodeTables) {
    this.tables = tables
  }

  load(groupCase: GroupCase): this {
    this.case = groupCase
    this.complication = UNKNOWN
    this.regions = UNKNOWN
    this.unknownCodes = 0
    if (groupCase.dx.length > this.dx.length) this.dx = new Int32Array(groupCase.dx.length * 2)
    if (groupCase.px.length > this.px.length) this.px = new Int32Array(groupCase.px.length * 2)
    this.dxCount = this.intern(this.tables.dxId, groupCase.dx, this.dx)
    this.pxCount = this.intern(this.tables.pxId, groupCase.px, this.px)
    this.pdx = this.dxCount > 0 ? this.dx[0]! : UNKNOWN
    this.mainPx = this.pxCount > 0 ? this.px[0]! : UNKNOWN
    return this
  }

  private intern(ids: CodeDictionary, codes: readonly string[], out: Int32Array): number {
    for (let k = 0; k < codes.length; k++) {
      const id = ids.get(codes[k]!)
      if (id === undefined) {
        out[k] = UNKNOWN
        this.unknownCodes++
      } else out[k] = id
    }
    return codes.length
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
    for (const id of this.dx.subarray(0, this.dxCount)) {
      const region = id < 0 ? -1 : this.tables.dxInfo[id * DX_INFO_WORDS + DX_REGION]!
      if (region >= 0 && !seen.includes(region)) seen.push(region)
    }
    return seen.map((region) => this.tables.regionNames[region]!)
  }

  /** has_mcc / has_cc: a secondary diagnosis counts unless its exclusion table is the principal's. */
  private computeComplication(): number {
    const info = this.tables.dxInfo
    const excluded = this.pdx < 0 ? -2 : info[this.pdx * DX_INFO_WORDS + DX_PDX_TABLE]!
    let level = LEVEL_NONE
    for (let k = 1; k < this.dxCount; k++) {
      const id = this.dx[k]!
      if (id < 0) continue
      const found = info[id * DX_INFO_WORDS + DX_CC_LEVEL]!
      if (found === LEVEL_NONE || info[id * DX_INFO_WORDS + DX_CC_TABLE] === excluded) continue
      if (found === LEVEL_MCC) return LEVEL_MCC
      level = LEVEL_CC
    }
    return level
  }

  /** For the trace: each secondary diagnosis that is a CC or MCC, and whether it counted. */
  complicationDetail(): {code: string; level: 'CC' | 'MCC'; counted: boolean; text: string}[] {
    const {dxInfo, tableNames} = this.tables
    const pdxTableId = this.pdx < 0 ? -1 : dxInfo[this.pdx * DX_INFO_WORDS + DX_PDX_TABLE]!
    const pdxCode = this.case.dx[0] ?? ''
    const lines: {code: string; level: 'CC' | 'MCC'; counted: boolean; text: string}[] = []
    for (let k = 1; k < this.dxCount; k++) {
      const id = this.dx[k]!
      if (id < 0 || dxInfo[id * DX_INFO_WORDS + DX_CC_LEVEL] === LEVEL_NONE) continue
      const ccTable = dxInfo[id * DX_INFO_WORDS + DX_CC_TABLE]!
      const code = this.case.dx[k]!
      const level = dxInfo[id * DX_INFO_WORDS + DX_CC_LEVEL] === LEVEL_MCC ? 'MCC' : 'CC'
      const table = tableNames[ccTable]!
      if (ccTable === pdxTableId) {
        lines.push({code, level, counted: false, text: `${code} ${level} excluded by exclusion table ${table} (the table of pdx ${pdxCode})`})
      } else {
        const pdxSide = pdxTableId < 0 ? `pdx ${pdxCode} has no exclusion table` : `pdx table ${tableNames[pdxTableId]}`
        lines.push({code, level, counted: true, text: `${code} ${level} counted (its table ${table}; ${pdxSide})`})
      }
    }
    return lines
  }
}
