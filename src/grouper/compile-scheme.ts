/**
 * Compiles a loaded scheme pack once: every rule becomes a closure over Sets, every list a Set,
 * and each ordered sequence of rules (the MDCs; the ADRG rows of one MDC) gets a key index so
 * that a case only evaluates the rows whose principal diagnosis or main procedure can match.
 *
 *   const scheme = compileScheme(pack)   // ~0.3 s for CHS-DRG 1.1, then ~1 µs per case
 */
import {type CaseView, type CodeTables, LEVEL_CC, LEVEL_MCC} from './case-view.js'
import type {AdrgRow, DrgRow, MdcRow, SchemePack} from './pack-load.js'
import {adrgOwners, drgOwners, mdcOwners, resolveList, VALID_PX_LIST} from './pack-check.js'
import {compileRule, type CompiledRule, type ListSet} from './rule-compile.js'
import {isDxSubject, ruleLists, type Rule, type Subject} from './rule-parse.js'

export interface CompiledDrg {
  readonly row: DrgRow
  readonly rule: CompiledRule
}
export interface CompiledAdrg {
  readonly row: AdrgRow
  readonly rule: CompiledRule
  readonly drgs: readonly CompiledDrg[]
}
export interface CompiledMdc {
  readonly row: MdcRow
  readonly rule: CompiledRule
  readonly adrgs: readonly CompiledAdrg[]
  readonly adrgIndex: KeyIndex
  /** Position of the QY check among the ADRG rows (before the first medical row), or -1 when qy = no. */
  readonly qyAt: number
  /** The `valid_px` list the QY check uses. */
  readonly validPx: ListSet | undefined
}

export interface CompiledScheme {
  readonly id: string
  readonly name: string
  readonly sha256: string
  readonly mdcs: readonly CompiledMdc[]
  readonly mdcIndex: KeyIndex
  /**
   * The codes the scheme knows, as ids: diagnoses from its names file plus every code its CC,
   * exclusion and body-region tables and its diagnosis lists hold; procedures from its names
   * file plus every code its procedure lists hold.
   */
  readonly tables: CodeTables
  readonly dxNames: ReadonlyMap<string, string>
  readonly pxNames: ReadonlyMap<string, string>
}

/**
 * Candidate rows of an ordered rule sequence. A row whose rule is `pdx in L` or `main_px in L`
 * (alone or as a top-level `and` conjunct) can only hold when the case's code is in L, so it
 * is indexed under each code of L; every other row is always a candidate. Order is unchanged.
 */
export class KeyIndex {
  private readonly always: Uint8Array
  /** Rows indexed under each diagnosis id (as pdx) and each procedure id (as main_px). */
  private readonly byPdx: (number[] | undefined)[] = []
  private readonly byMainPx: (number[] | undefined)[] = []
  private readonly stamp: Int32Array
  private tick = 0

  constructor(rules: readonly Rule[], resolve: (row: number, key: {subject: Subject; list: string}) => ListSet) {
    this.always = new Uint8Array(rules.length)
    this.stamp = new Int32Array(rules.length)
    rules.forEach((rule, row) => {
      const key = keyConjunct(rule)
      if (key === undefined) {
        this.always[row] = 1
        return
      }
      const index = key.subject === 'pdx' ? this.byPdx : this.byMainPx
      for (const id of resolve(row, key).ids) {
        const rows = index[id]
        if (rows === undefined) index[id] = [row]
        else if (rows[rows.length - 1] !== row) rows.push(row)
      }
    })
  }

  /** Marks the candidates for one case; valid until the next call. */
  mark(view: CaseView): void {
    this.tick++
    const tick = this.tick
    const pdxRows = view.pdx >= 0 ? this.byPdx[view.pdx] : undefined
    if (pdxRows !== undefined) for (const row of pdxRows) this.stamp[row] = tick
    const pxRows = view.mainPx >= 0 ? this.byMainPx[view.mainPx] : undefined
    if (pxRows !== undefined) for (const row of pxRows) this.stamp[row] = tick
  }

  isCandidate(row: number): boolean {
    return this.always[row] === 1 || this.stamp[row] === this.tick
  }
}

function keyConjunct(rule: Rule): {subject: Subject; list: string} | undefined {
  const conjuncts = rule.kind === 'and' ? rule.items : [rule]
  for (const subject of ['pdx', 'main_px'] as const) {
    for (const item of conjuncts) if (item.kind === 'in' && item.subject === subject) return {subject, list: item.list}
  }
  return undefined
}

export function compileScheme(pack: SchemePack): CompiledScheme {
  const dxCodes = new Set<string>([...pack.dxNames.keys(), ...pack.cc.keys(), ...pack.pdxTable.keys(), ...pack.bodyRegion.keys()])
  const pxCodes = new Set<string>(pack.pxNames.keys())
  const mdcRows = [...pack.mdcs].sort((a, b) => a.order - b.order)
  const adrgRows = (mdc: string) => pack.adrgs.filter((row) => row.mdc === mdc).sort((a, b) => a.order - b.order)
  const drgsByAdrg = bucketBy([...pack.drgs].sort((a, b) => a.order - b.order), (row) => row.adrg)

  // Every rule with its owner chain; the codes of the lists they name join the scheme's codes.
  const uses: {rule: Rule; owners: string[]}[] = []
  for (const mdc of mdcRows) {
    uses.push({rule: mdc.rule, owners: mdcOwners(mdc.mdc)})
    if (mdc.qy) uses.push({rule: {kind: 'in', subject: 'any_px', list: VALID_PX_LIST}, owners: mdcOwners(mdc.mdc)})
    for (const row of adrgRows(mdc.mdc)) {
      uses.push({rule: row.rule, owners: adrgOwners(row)})
      for (const drg of drgsByAdrg.get(row.adrg) ?? []) uses.push({rule: drg.rule, owners: drgOwners(row.adrg, row.mdc)})
    }
  }
  for (const {rule, owners} of uses) {
    for (const {subject, list} of ruleLists(rule)) {
      for (const code of resolveList(pack, owners, list)!.codes) (isDxSubject(subject) ? dxCodes : pxCodes).add(code)
    }
  }
  const tables = codeTables(pack, dxCodes, pxCodes)

  const sets = new Map<string, ListSet>()
  const resolver = (owners: readonly string[]) => (name: string, subject: Subject) => {
    const list = resolveList(pack, owners, name)
    if (list === undefined) return undefined
    const kind = isDxSubject(subject) ? 'dx' : 'px'
    const key = `${kind} ${list.owner} ${list.name}`
    let set = sets.get(key)
    if (set === undefined) {
      const ids = kind === 'dx' ? tables.dxId : tables.pxId
      set = {name: list.name, owner: list.owner, ids: new Set(list.codes.map((code) => ids.get(code)!))}
      sets.set(key, set)
    }
    return set
  }
  const compile = (rule: Rule, owners: readonly string[]): CompiledRule => compileRule(rule, resolver(owners))

  const mdcs = mdcRows.map((mdcRow): CompiledMdc => {
    const rows = adrgRows(mdcRow.mdc)
    const firstMedical = rows.findIndex((row) => row.partition === 'medical')
    return {
      row: mdcRow,
      rule: compile(mdcRow.rule, mdcOwners(mdcRow.mdc)),
      adrgs: rows.map((row) => ({
        row,
        rule: compile(row.rule, adrgOwners(row)),
        drgs: (drgsByAdrg.get(row.adrg) ?? []).map((drg) => ({row: drg, rule: compile(drg.rule, drgOwners(row.adrg, row.mdc))})),
      })),
      adrgIndex: new KeyIndex(
        rows.map((row) => row.rule),
        (k, key) => resolver(adrgOwners(rows[k]!))(key.list, key.subject)!,
      ),
      qyAt: mdcRow.qy ? (firstMedical < 0 ? rows.length : firstMedical) : -1,
      validPx: mdcRow.qy ? resolver(mdcOwners(mdcRow.mdc))(VALID_PX_LIST, 'any_px') : undefined,
    }
  })
  return {
    id: pack.meta.id,
    name: pack.meta.name,
    sha256: pack.sha256,
    mdcs,
    mdcIndex: new KeyIndex(
      mdcRows.map((row) => row.rule),
      (k, key) => resolver(mdcOwners(mdcRows[k]!.mdc))(key.list, key.subject)!,
    ),
    tables,
    dxNames: pack.dxNames,
    pxNames: pack.pxNames,
  }
}

function codeTables(pack: SchemePack, dxCodes: ReadonlySet<string>, pxCodes: ReadonlySet<string>): CodeTables {
  const dxId = new Map([...dxCodes].map((code, id) => [flatString(code), id]))
  const pxId = new Map([...pxCodes].map((code, id) => [flatString(code), id]))
  const tableNames: string[] = []
  const tableIds = new Map<string, number>()
  const tableId = (name: string): number => {
    let id = tableIds.get(name)
    if (id === undefined) {
      id = tableNames.push(name) - 1
      tableIds.set(name, id)
    }
    return id
  }
  const regionNames = [...new Set(pack.bodyRegion.values())]
  const ccLevel = new Uint8Array(dxId.size)
  const ccTable = new Int32Array(dxId.size).fill(-1)
  const pdxTable = new Int32Array(dxId.size).fill(-1)
  const bodyRegion = new Int32Array(dxId.size).fill(-1)
  for (const [code, entry] of pack.cc) {
    const id = dxId.get(code)!
    ccLevel[id] = entry.level === 'MCC' ? LEVEL_MCC : LEVEL_CC
    ccTable[id] = tableId(entry.table)
  }
  for (const [code, table] of pack.pdxTable) pdxTable[dxId.get(code)!] = tableId(table)
  for (const [code, region] of pack.bodyRegion) bodyRegion[dxId.get(code)!] = regionNames.indexOf(region)
  return {dxId, pxId, ccLevel, ccTable, pdxTable, bodyRegion, tableNames, regionNames}
}

/**
 * A flat copy of a string. Codes read from a pack are slices of the whole file's text; as Map
 * keys they are compared through that indirection (measured: 162 ns against 53 ns a lookup)
 * and keep the file's text alive.
 */
function flatString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}

export function bucketBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const buckets = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const bucket = buckets.get(k)
    if (bucket === undefined) buckets.set(k, [item])
    else bucket.push(item)
  }
  return buckets
}
