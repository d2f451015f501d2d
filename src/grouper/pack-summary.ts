/**
 * Counts that describe a scheme pack, for `yb scheme import|list|show`.
 *
 *   packCounts(pack) → {mdcs: 26, adrgRows: 376, drgs: 628, lists: 1490, listCodes: 98636, …}
 */
import type {SchemePack} from './pack-load.js'

export interface PackCounts {
  readonly mdcs: number
  readonly adrgRows: number
  readonly adrgs: number
  readonly drgs: number
  readonly lists: number
  readonly listCodes: number
  readonly ccCodes: number
  readonly mccCodes: number
  readonly dxCodes: number
  readonly pxCodes: number
}

export function packCounts(pack: SchemePack): PackCounts {
  let lists = 0
  let listCodes = 0
  for (const owned of pack.lists.values()) {
    lists += owned.size
    for (const list of owned.values()) listCodes += list.codes.length
  }
  let mccCodes = 0
  for (const entry of pack.cc.values()) if (entry.level === 'MCC') mccCodes++
  return {
    mdcs: pack.mdcs.length,
    adrgRows: pack.adrgs.length,
    adrgs: new Set(pack.adrgs.map((row) => row.adrg)).size,
    drgs: pack.drgs.length,
    lists,
    listCodes,
    ccCodes: pack.cc.size - mccCodes,
    mccCodes,
    dxCodes: pack.dxNames.size,
    pxCodes: pack.pxNames.size,
  }
}
