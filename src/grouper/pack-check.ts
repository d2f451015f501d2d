/**
 * Cross-file checks of a scheme pack: orders unique in their scope, references that resolve,
 * every list a rule names resolvable through its owner chain (docs/scheme-pack.md, "LIST is
 * resolved by name against the lists of the rule's own owner first …").
 *
 *   checkPackReferences(pack) → [{file: 'adrg.csv', row: 57, column: 'rule', code: 'list_unknown', …}]
 */
import {type InputError, inputError} from '../errors.js'
import type {AdrgRow, CodeList, SchemePack} from './pack-load.js'
import {ruleLists, type Rule} from './rule-parse.js'

/** The scheme-wide owner of lists such as `valid_px`. */
export const GLOBAL_OWNER = '*'
/** The list of grouping-relevant procedures used by the QY check. */
export const VALID_PX_LIST = 'valid_px'

/** Owner chains: an MDC row looks in its MDC then `*`; an ADRG row in its rule_id, MDC, `*`; a DRG row in its ADRG, MDC, `*`. */
export function mdcOwners(mdc: string): string[] {
  return [mdc, GLOBAL_OWNER]
}
export function adrgOwners(row: AdrgRow): string[] {
  return [row.ruleId, row.mdc, GLOBAL_OWNER]
}
export function drgOwners(adrg: string, mdc: string): string[] {
  return [adrg, mdc, GLOBAL_OWNER]
}

export function resolveList<L = CodeList>(pack: {readonly lists: ReadonlyMap<string, ReadonlyMap<string, L>>}, owners: readonly string[], name: string): L | undefined {
  for (const owner of owners) {
    const list = pack.lists.get(owner)?.get(name)
    if (list !== undefined) return list
  }
  return undefined
}

export function checkPackReferences(pack: SchemePack): InputError[] {
  const errors: InputError[] = []
  const unique = (file: string, line: number, column: string, key: string, seen: Map<string, number>): void => {
    const first = seen.get(key)
    if (first === undefined) seen.set(key, line)
    else {
      const code = column === 'order' ? 'rule_duplicate_order' : 'duplicate_key'
      errors.push(inputError(file, line, column, code, `${key} is given twice (first at line ${first})`))
    }
  }
  const checkLists = (file: string, line: number, rule: Rule, owners: readonly string[]): void => {
    for (const {list} of ruleLists(rule)) {
      if (resolveList(pack, owners, list) === undefined) {
        errors.push(
          inputError(file, line, 'rule', 'list_unknown', `the rule names list "${list}", which no owner of this row has (looked in ${owners.join(', ')})`),
        )
      }
    }
  }

  const mdcCodes = new Map<string, number>()
  const mdcOrders = new Map<string, number>()
  for (const row of pack.mdcs) {
    unique('mdc.csv', row.line, 'mdc', row.mdc, mdcCodes)
    unique('mdc.csv', row.line, 'order', `MDC order ${row.order}`, mdcOrders)
    checkLists('mdc.csv', row.line, row.rule, mdcOwners(row.mdc))
    if (row.qy && resolveList(pack, mdcOwners(row.mdc), VALID_PX_LIST) === undefined) {
      errors.push(inputError('mdc.csv', row.line, 'qy', 'list_unknown', `${row.mdc} has qy=yes but no "${VALID_PX_LIST}" list resolves for it`))
    }
  }

  const adrgOrders = new Map<string, number>()
  const ruleIds = new Map<string, number>()
  const adrgMdcs = new Map<string, Set<string>>()
  for (const row of pack.adrgs) {
    if (!mdcCodes.has(row.mdc)) errors.push(inputError('adrg.csv', row.line, 'mdc', 'reference_unknown', `MDC "${row.mdc}" is not in mdc.csv`))
    unique('adrg.csv', row.line, 'order', `${row.mdc} order ${row.order}`, adrgOrders)
    unique('adrg.csv', row.line, 'rule_id', `rule_id ${row.ruleId}`, ruleIds)
    checkLists('adrg.csv', row.line, row.rule, adrgOwners(row))
    const mdcs = adrgMdcs.get(row.adrg) ?? new Set<string>()
    mdcs.add(row.mdc)
    adrgMdcs.set(row.adrg, mdcs)
  }

  const drgOrders = new Map<string, number>()
  const drgCodes = new Map<string, number>()
  const adrgsWithDrgs = new Set<string>()
  for (const row of pack.drgs) {
    const mdcs = adrgMdcs.get(row.adrg)
    if (mdcs === undefined) {
      errors.push(inputError('drg.csv', row.line, 'adrg', 'reference_unknown', `ADRG "${row.adrg}" is not in adrg.csv`))
      continue
    }
    adrgsWithDrgs.add(row.adrg)
    unique('drg.csv', row.line, 'order', `${row.adrg} order ${row.order}`, drgOrders)
    unique('drg.csv', row.line, 'drg', `DRG ${row.drg}`, drgCodes)
    for (const mdc of mdcs) checkLists('drg.csv', row.line, row.rule, drgOwners(row.adrg, mdc))
  }
  for (const row of pack.adrgs) {
    if (!adrgsWithDrgs.has(row.adrg)) {
      errors.push(inputError('adrg.csv', row.line, 'adrg', 'reference_unknown', `ADRG "${row.adrg}" has no DRG in drg.csv`))
      adrgsWithDrgs.add(row.adrg)
    }
  }

  for (const [owner, owned] of pack.lists) {
    if (owner === GLOBAL_OWNER || mdcCodes.has(owner) || ruleIds.has(`rule_id ${owner}`) || adrgMdcs.has(owner)) continue
    const first = [...owned.values()][0]
    errors.push(
      inputError('lists.csv', first?.line ?? 0, 'owner', 'reference_unknown', `owner "${owner}" is not "*", an MDC, an ADRG or an ADRG rule_id`),
    )
  }
  return errors
}
