// The DIP matching rules, tie-breaks and comprehensive fallback as catalog parameters (issue 20),
// on a hand-built catalog: K80.1 with 保守治疗, A, A+B, C/D and B; px classes A, B surgical, C
// therapeutic, D diagnostic (and B+D, scoring least); comprehensive K80 by class.
import {describe, expect, it} from 'vitest'
import {loadDipCatalog} from '../../src/grouper/dip-catalog.js'
import {compileDip, groupDip} from '../../src/grouper/dip-group.js'
import {mapPackSource} from '../../src/grouper/pack-load.js'

const GROUPS = [
  'group_code,type,dx_key,px_combo,name,score,avg_cost',
  'K80.1-01,core,K80.1,,保守治疗,500,5000.00',
  'K80.1-02,core,K80.1,A,A,800,8000.00',
  'K80.1-03,core,K80.1,A+B,A+B,1200,12000.00',
  'K80.1-04,core,K80.1,C/D,C或D,600,6000.00',
  'K80.1-05,core,K80.1,B,B,900,9500.00',
  'K80.1-06,core,K80.1,B+D,B+D,550,5500.00',
  'K80ZS,comprehensive,K80,surgical,综合 手术,1000,',
  'K80ZT,comprehensive,K80,therapeutic,综合 治疗,700,',
  'K80ZD,comprehensive,K80,diagnostic,综合 诊断,650,',
  'K80ZC,comprehensive,K80,conservative,综合 保守,400,',
]
const PX = 'code,class\nA,surgical\nB,surgical\nC,therapeutic\nD,diagnostic\n'

function catalog(meta: Record<string, string>, groups: readonly string[] = GROUPS) {
  const files = new Map([
    ['catalog.json', JSON.stringify({format: 'dip-catalog/1', id: 't', name: 't', region: '', year: 2025, score_scale: 1000, ...meta})],
    ['groups.csv', `${groups.join('\n')}\n`],
    ['px_class.csv', PX],
  ])
  const loaded = loadDipCatalog(mapPackSource('t', files))
  if (loaded.catalog === undefined) throw new Error(JSON.stringify(loaded.errors))
  return compileDip(loaded.catalog)
}
const group = (meta: Record<string, string>, px: string[], costYuan?: string, dx = 'K80.100') => groupDip(catalog(meta), {dx: [dx], px, ...(costYuan === undefined ? {} : {costYuan})}).group

describe('DIP matching rules', () => {
  it('SUBSET is the default: an extra procedure keeps the case in its core group; EXACT sends it to the comprehensive group', () => {
    expect(catalog({}).matching).toBe('SUBSET')
    expect(group({}, ['A', 'D'])).toBe('K80.1-02')
    expect(group({matching: 'EXACT'}, ['A', 'D'])).toBe('K80ZS')
    expect(group({matching: 'EXACT'}, ['A'])).toBe('K80.1-02')
  })
  it('A+B needs both terms under SUBSET and EXACT; OVERLAP takes a combination when any of its codes is there', () => {
    expect(group({}, ['A', 'B'])).toBe('K80.1-03')
    expect(group({matching: 'EXACT'}, ['A', 'B'])).toBe('K80.1-03')
    expect(group({matching: 'OVERLAP'}, ['A', 'B'])).toBe('K80.1-03')
    // {A, C}: SUBSET has A and C/D (one term each: A scores more); EXACT none; OVERLAP also A+B (one of its terms), which scores most.
    expect(group({}, ['A', 'C'])).toBe('K80.1-02')
    expect(group({matching: 'EXACT'}, ['A', 'C'])).toBe('K80ZS')
    expect(group({matching: 'OVERLAP'}, ['A', 'C'])).toBe('K80.1-03')
  })
  it('A/B is one term satisfied by either code, under each rule', () => {
    for (const matching of ['SUBSET', 'EXACT', 'OVERLAP']) {
      expect(group({matching}, ['D']), matching).toBe('K80.1-04')
      expect(group({matching}, ['C', 'D']), matching).toBe('K80.1-04')
    }
  })
  it('a group without procedures takes only a case without counted procedures; an unclassified code does not count', () => {
    for (const matching of ['SUBSET', 'EXACT', 'OVERLAP']) {
      expect(group({matching}, []), matching).toBe('K80.1-01')
      expect(group({matching}, ['Z99']), matching).toBe('K80.1-01')
    }
  })
})

describe('DIP tie-breaks', () => {
  it('MOST_TERMS: the most terms matched, then the higher score', () => {
    // {B, D}: B+D (two terms, 550), B (900) and C/D (600) one term each.
    expect(group({tie_break: 'MOST_TERMS'}, ['B', 'D'])).toBe('K80.1-06')
    expect(group({tie_break: 'MOST_TERMS'}, ['A', 'B'], '9400.00')).toBe('K80.1-03')
    // OVERLAP: A+B also matches {B, D} by one term; B+D still has the most.
    expect(group({tie_break: 'MOST_TERMS', matching: 'OVERLAP'}, ['B', 'D'])).toBe('K80.1-06')
  })
  it('HIGHEST_SCORE: the higher score first, whatever the terms', () => {
    expect(group({tie_break: 'HIGHEST_SCORE'}, ['B', 'D'])).toBe('K80.1-05')
    expect(group({tie_break: 'HIGHEST_SCORE', matching: 'OVERLAP'}, ['B', 'D'])).toBe('K80.1-03')
  })
  it('CLOSEST_COST: the group average nearest the case cost; without a cost, as MOST_TERMS, and the trace says so', () => {
    // {A, B} at 9,400.00: A 8,000 (gap 1,400), A+B 12,000 (2,600), B 9,500 (100).
    expect(group({tie_break: 'CLOSEST_COST'}, ['A', 'B'], '9400.00')).toBe('K80.1-05')
    expect(group({tie_break: 'CLOSEST_COST'}, ['A', 'B'], '11000.00')).toBe('K80.1-03')
    const trace: string[] = []
    expect(groupDip(catalog({tie_break: 'CLOSEST_COST'}), {dx: ['K80.100'], px: ['A', 'B']}, trace).group).toBe('K80.1-03')
    expect(trace.join('\n')).toContain('3 candidates by CLOSEST_COST without a case cost, so MOST_TERMS: K80.1-02 (1 term, score 800), K80.1-03 (2 terms, score 1200), K80.1-05 (1 term, score 900)')
  })
})

describe('comprehensive fallback', () => {
  const wide = [...GROUPS, 'K8ZS,comprehensive,K8,surgical,K8 综合 手术,950,', 'K80-K87ZT,comprehensive,K80-K87,therapeutic,K80-K87 综合 治疗,680,']
  it('CATEGORY (default) uses the 3-character 类目 only, and refuses wider keys', () => {
    const loaded = loadDipCatalog(mapPackSource('t', new Map([['catalog.json', JSON.stringify({format: 'dip-catalog/1', id: 't', name: 't', region: '', year: 2025, score_scale: 1000})], ['groups.csv', `${wide.join('\n')}\n`], ['px_class.csv', PX]])))
    expect(loaded.errors.map((e) => `${e.file}:${e.row} ${e.column}`)).toEqual(['groups.csv:12 dx_key', 'groups.csv:13 dx_key'])
    expect(groupDip(catalog({}), {dx: ['K83.000'], px: ['A']}).status).toBe('ungroupable')
  })
  it('PREFIXES falls back to 2 and 1 characters, then to a range of 类目', () => {
    const prefixes = (dx: string, px: string[]) => groupDip(catalog({comprehensive_fallback: 'PREFIXES'}, wide), {dx: [dx], px}).group
    expect(prefixes('K80.200', ['A'])).toBe('K80ZS')
    expect(prefixes('K83.000', ['A'])).toBe('K8ZS')
    expect(prefixes('K85.000', ['C'])).toBe('K80-K87ZT')
    expect(groupDip(catalog({comprehensive_fallback: 'PREFIXES'}, wide), {dx: ['K88.000'], px: ['C']}).status).toBe('ungroupable')
  })
})
