// Proves the DIP catalog cycle as a user runs it: a catalog built from three years of synthetic
// history, then grouping that same history, puts every case whose key reached min_cases into the
// core group built from its key and every other case into a comprehensive group; each group's
// score equals its average-cost ratio recomputed here from the history files (1:2:7). A broken
// catalog is refused with file:line column; import is versioned and idempotent.
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import {Decimal} from 'decimal.js'
import {beforeAll, describe, expect, it} from 'vitest'
import {DEMO_DIR} from '../helpers.js'
import {closeMonths, tempDir, yb, ybAll} from './run.js'
import {dipPolicy, writeOneGroupCatalog} from './year-region.js'

type Row = Record<string, string>
const read = (file: string): Row[] => parse(readFileSync(file, 'utf8'), {columns: true}) as Row[]

describe('yb dip build → yb group --dip (round trip)', () => {
  let dir = ''
  beforeAll(async () => {
    dir = tempDir()
    for (const year of [1, 2, 3]) await ybAll(dir, [['synth', 'cases', '-s', DEMO_DIR, '-n', '4000', '--seed', String(year), '--invalid-rate', '0', '-o', `h${year}.csv`]])
    // The round trip is what EXACT promises; SUBSET (the default) has its own property, below.
    await ybAll(dir, [['dip', 'build', '--history', 'h1.csv', '--history', 'h2.csv', '--history', 'h3.csv', '--min-cases', '15', '--score-scale', '1000', '--out', 'cat', '--year', '2025', '--id', 'rt', '--matching', 'EXACT']])
    await ybAll(dir, [['dip', 'build', '--history', 'h1.csv', '--history', 'h2.csv', '--history', 'h3.csv', '--min-cases', '15', '--score-scale', '1000', '--out', 'cat-s', '--year', '2025', '--id', 'rt-s']])
    for (const year of [1, 2, 3]) await ybAll(dir, [['group', '--dip', 'cat', '--in', `h${year}.csv`, '--out', `g${year}.csv`], ['group', '--dip', 'cat-s', '--in', `h${year}.csv`, '--out', `s${year}.csv`]])
  }, 120_000)

  it('under SUBSET puts a case in the core group of the longest combination it contains, and the build report counts the cases that move', async () => {
    const classes = new Map(read(join(dir, 'cat-s', 'px_class.csv')).map((r) => [r.code!, r.class!]))
    const groups = read(join(dir, 'cat-s', 'groups.csv'))
    const core = groups.filter((g) => g.type === 'core')
    expect(JSON.parse(readFileSync(join(dir, 'cat-s', 'catalog.json'), 'utf8'))).toMatchObject({matching: 'SUBSET', tie_break: 'MOST_TERMS', comprehensive_fallback: 'CATEGORY'})
    let moved = 0
    for (const row of [1, 2, 3].flatMap((year) => read(join(dir, `s${year}.csv`)))) {
      const px = new Set(row.px_codes!.split('|').filter((code) => classes.has(code)))
      const dx5 = row.dx_codes!.split('|')[0]!.slice(0, 5)
      const terms = (g: Row) => (g.px_combo === '' ? [] : g.px_combo!.split('+'))
      const fits = core.filter((g) => g.dx_key === dx5 && (terms(g).length === 0 ? px.size === 0 : terms(g).every((t) => t.split('/').some((code) => px.has(code)))))
      fits.sort((a, b) => terms(b).length - terms(a).length || new Decimal(b.score!).comparedTo(a.score!) || (a.group_code! < b.group_code! ? -1 : 1))
      const expected = fits[0]?.group_code
      if (expected !== undefined) expect([row.settlement_id, row.dip_group]).toEqual([row.settlement_id, expected])
      else expect([row.settlement_id, groups.find((g) => g.group_code === row.dip_group)?.type]).toEqual([row.settlement_id, 'comprehensive'])
      const own = core.find((g) => g.dx_key === dx5 && [...px].sort().join('+') === g.px_combo)
      if (own === undefined ? expected !== undefined : own.group_code !== row.dip_group) moved++
    }
    expect(moved).toBeGreaterThan(0)
    const report = JSON.parse((await yb(dir, ['dip', 'build', '--history', 'h1.csv', '--history', 'h2.csv', '--history', 'h3.csv', '--out', 'cat-s2', '--year', '2025', '--id', 'rt-s', '--json'])).stdout).report
    expect(report.matching).toMatchObject({rule: 'SUBSET', movedCases: moved})
    const exact = JSON.parse((await yb(dir, ['dip', 'build', '--history', 'h1.csv', '--history', 'h2.csv', '--history', 'h3.csv', '--out', 'cat-e2', '--year', '2025', '--id', 'rt', '--matching', 'EXACT', '--json'])).stdout).report
    expect(exact.matching).toMatchObject({rule: 'EXACT', movedCases: 0, movedKeys: 0})
  })

  it('puts every case of a key with 15+ cases into the core group of that key, and every other case into a comprehensive group', () => {
    const classes = new Map(read(join(dir, 'cat', 'px_class.csv')).map((r) => [r.code!, r.class!]))
    const groups = new Map(read(join(dir, 'cat', 'groups.csv')).map((g) => [g.group_code!, g]))
    const keyOf = (row: Row) => {
      const px = [...new Set(row.px_codes!.split('|').filter((code) => classes.has(code)))].sort()
      return `${row.dx_codes!.split('|')[0]!.slice(0, 5)}\t${px.join('+')}`
    }
    const grouped = [1, 2, 3].flatMap((year) => read(join(dir, `g${year}.csv`)))
    const counts = new Map<string, number>()
    for (const row of grouped) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1)
    let core = 0
    for (const row of grouped) {
      const group = groups.get(row.dip_group!)
      expect(group, `${row.settlement_id} has a group`).toBeDefined()
      const [dx5, combo] = keyOf(row).split('\t')
      if (counts.get(keyOf(row))! >= 15) {
        core++
        expect([row.settlement_id, group!.type, group!.dx_key, group!.px_combo]).toEqual([row.settlement_id, 'core', dx5, combo])
      } else {
        expect([row.settlement_id, group!.type, group!.dx_key]).toEqual([row.settlement_id, 'comprehensive', dx5!.slice(0, 3)])
      }
    }
    expect(core).toBeGreaterThan(grouped.length / 2)
    expect(core).toBeLessThan(grouped.length)
  })

  it('scores each group as its 1:2:7 weighted average cost ÷ the all-case average × 1000, at 4 dp', () => {
    const weights = [1, 2, 7]
    const byGroup = new Map<string, {sum: Decimal; n: number}[]>()
    const all = [0, 1, 2].map(() => ({sum: new Decimal(0), n: 0}))
    ;[1, 2, 3].forEach((year, k) => {
      for (const row of read(join(dir, `g${year}.csv`))) {
        const years = byGroup.get(row.dip_group!) ?? [0, 1, 2].map(() => ({sum: new Decimal(0), n: 0}))
        years[k]!.sum = years[k]!.sum.plus(row.total_cost!)
        years[k]!.n++
        all[k]!.sum = all[k]!.sum.plus(row.total_cost!)
        all[k]!.n++
        byGroup.set(row.dip_group!, years)
      }
    })
    const weighted = (years: {sum: Decimal; n: number}[]) => {
      const present = years.map((y, k) => ({y, w: weights[k]!})).filter(({y}) => y.n > 0)
      return present.reduce((s, {y, w}) => s.plus(y.sum.div(y.n).times(w)), new Decimal(0)).div(present.reduce((s, {w}) => s + w, 0))
    }
    const overall = weighted(all)
    const groups = read(join(dir, 'cat', 'groups.csv'))
    expect(groups.length).toBe(byGroup.size)
    for (const group of groups) {
      const expected = weighted(byGroup.get(group.group_code!)!).div(overall).times(1000).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4)
      expect([group.group_code, group.score]).toEqual([group.group_code, expected])
    }
  })

  it('reports the budget point value (DIP-PVB-1): the 1:2:7 weighted annual total cost ÷ Σ score × the latest year’s cases', async () => {
    const run = await yb(dir, ['dip', 'build', '--history', 'h1.csv', '--history', 'h2.csv', '--history', 'h3.csv', '--min-cases', '15', '--score-scale', '1000', '--out', 'cat-pv', '--year', '2025', '--id', 'rt', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout).report
    const totals = [1, 2, 3].map((year) => read(join(dir, `h${year}.csv`)).reduce((s, row) => s.plus(row.total_cost!), new Decimal(0)))
    const weighted = totals[0]!.times(1).plus(totals[1]!.times(2)).plus(totals[2]!.times(7)).div(10)
    const scores = new Map(read(join(dir, 'cat', 'groups.csv')).map((g) => [g.group_code!, new Decimal(g.score!)]))
    const expected = read(join(dir, 'g3.csv')).reduce((s, row) => s.plus(scores.get(row.dip_group!)!), new Decimal(0))
    expect(report.budgetPointValue).toEqual({
      weightedAnnualCostYuan: weighted.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      expectedScore: expected.toFixed(4),
      pointValueYuan: weighted.div(expected).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
    })
  })

  it('imports the built catalog once (same content: nothing to do) and groups by its stored id', async () => {
    await ybAll(dir, [['init']])
    const first = JSON.parse((await yb(dir, ['dip', 'import', 'cat', '--json'])).stdout)
    expect(first).toMatchObject({id: 'rt', version: 1, kind: 'dip', created: true})
    expect(JSON.parse((await yb(dir, ['dip', 'import', 'cat', '--json'])).stdout)).toMatchObject({id: 'rt', version: 1, created: false})
    const run = await yb(dir, ['group', '--dip', 'rt', '--in', 'h1.csv', '--out', 'again.csv', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'g1.csv'), 'utf8'))
  })
})

describe('yb dip import of a broken catalog', () => {
  it('reports every bad row with its file, line and column, and stores nothing', async () => {
    const dir = tempDir()
    const cat = join(dir, 'bad')
    mkdirSync(cat)
    writeFileSync(join(cat, 'catalog.json'), JSON.stringify({format: 'dip-catalog/1', id: 'bad', name: '坏目录', region: '1', year: 2025, score_scale: 1000}))
    writeFileSync(join(cat, 'px_class.csv'), 'code,class\n51.2300,surgical\n87.4100,imaging\n')
    writeFileSync(
      join(cat, 'groups.csv'),
      [
        'group_code,type,dx_key,px_combo,name,score,avg_cost',
        'G1,core,K80.1,51.2300,胆囊结石 腹腔镜胆囊切除,812.5,8125.00',
        'G1,core,K80.1,,胆囊结石 保守治疗,400,4000.00',
        'G3,core,K8,51.2300+99.9999,错,1,',
        'G4,comprehensive,K80,operation,错,1,',
        'G5,basic,J18.9,,肺炎,abc,',
      ].join('\n'),
    )
    await ybAll(dir, [['init']])
    const run = await yb(dir, ['dip', 'import', 'bad'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `error: ${join('bad', 'px_class.csv')}:3 class: Invalid option: expected one of "diagnostic"|"therapeutic"|"surgical" (found "imaging")`,
      `error: ${join('bad', 'groups.csv')}:6 score: must be a decimal number such as 812.5 (no commas, no exponent) (found "abc")`,
      `error: ${join('bad', 'groups.csv')}:3 group_code: group G1 is already on line 2`,
      `error: ${join('bad', 'groups.csv')}:4 dx_key: a core group is keyed by a 5-character 亚目 such as K80.1, not "K8"`,
      `error: ${join('bad', 'groups.csv')}:4 px_combo: procedure 99.9999 is not in px_class.csv, so no case could match the combination`,
      `error: ${join('bad', 'groups.csv')}:5 px_combo: a comprehensive group's px_combo is a class (conservative, diagnostic, therapeutic, surgical), not "operation"`,
    ])
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    expect(db.prepare('SELECT COUNT(*) AS n FROM scheme_version').get()).toEqual({n: 0})
    db.close()
  })
})

describe('DIP payment through yb pay and yb clear', () => {
  it('clears DIP-CLEAR-1 end to end: +129,875.00 应补', async () => {
    const dir = tempDir()
    // One group whose score is H1's year: 1,250,000 points (no average cost: no deviation test).
    writeOneGroupCatalog(dir, '1250000')
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH1,示例医院,三级,1.00,职工\n')
    // Monthly: the published 9.6 × k 0.975 = 9.36, paid at p 0.96 (so that the months pay DIP-CLEAR-1's 7,200,000.00 with no monthly deduction).
    const policy = dipPolicy('9.6000', '0.975')
      .replace('pre_settle_ratio: 0.95', 'pre_settle_ratio: 0.96')
      .replace('history_years: 3', 'history_years: 1')
    writeFileSync(join(dir, 'p.yaml'), policy)
    const header = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded'
    // 2024: 7,800,000.00 of fund spending → prepayment 650,000.00 (one month). 2025: total 12,500,000.00, fund recorded 8,300,000.00 → burden 4,200,000.00.
    writeFileSync(join(dir, 'c24.csv'), `${header}\nS0,H1,职工,1,50,18300,,5,K80.100,,9000000.00,7800000.00\n`)
    writeFileSync(join(dir, 'c25.csv'), `${header}\nS1,H1,职工,1,50,18300,,5,K80.100,,12500000.00,8300000.00\n`)
    writeFileSync(join(dir, 'd.csv'), 'deduction_id,institution_id,pool,month,kind,amount_yuan,basis\nD2,H1,职工,,违规扣款,50000.00,年度检查\n')
    writeFileSync(join(dir, 'a.csv'), 'institution_id,score\nH1,95\n')
    await ybAll(dir, [
      ['init'],
      ['scheme', 'import', DEMO_DIR],
      ['dip', 'import', 'cat'],
      ['institution', 'import', 'inst.csv'],
      ['policy', 'import', 'p.yaml'],
      ['cases', 'import', '--month', '2024-06', 'c24.csv'],
      ['cases', 'import', '--month', '2025-06', 'c25.csv'],
      ['deductions', 'import', '--year', '2025', 'd.csv'],
      ['prepay', '--year', '2025', '--reserve-months', '职工=14', '--reserve-months', '居民=7'],
    ])
    const pay = JSON.parse((await yb(dir, ['pay', '--month', '2025-06', '--json'])).stdout)
    // 1,250,000 × 9.36 = 11,700,000.00 − burden 4,200,000.00 = 7,500,000.00; × 0.96 = 7,200,000.00.
    expect(pay.rates).toEqual([
      {pool: '职工', source: 'published', pointValueYuan: '9.3600'},
      {pool: '居民', source: 'published', pointValueYuan: '9.3600'},
    ])
    expect(pay.institutions[0]).toMatchObject({institutionId: 'H1', fundDueYuan: '7500000.00', deductionsYuan: '0.00', payYuan: '7200000.00'})
    await ybAll(dir, [closeMonths()])
    const run = await yb(dir, ['clear', '--year', '2025', '--assessment', 'a.csv', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const [h1] = JSON.parse(run.stdout).institutions
    const line = (key: string) => h1.lines.find((l: {key: string}) => l.key === key).amountYuan
    // The clearing prices the year at the published 9.6: 12,000,000.00 − 4,200,000.00 = 7,800,000.00 (DIP-FUND-1), then DIP-CLEAR-1 line by line.
    expect(['entitled', 'dueAfterBand', 'depositReserved', 'depositReleased', 'depositForfeited', 'deductions', 'monthlyPaid', 'prepaymentOffset'].map(line)).toEqual([
      '7800000.00',
      '8050000.00',
      '402500.00',
      '382375.00',
      '20125.00',
      '50000.00',
      '7200000.00',
      '650000.00',
    ])
    expect(h1.balanceYuan).toBe('129875.00')
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    expect(db.prepare("SELECT drg, points, adjusted_yuan, fund_yuan FROM run_case WHERE settlement_id = 'S1' ORDER BY run_id DESC LIMIT 1").get()).toEqual({drg: 'K80.1-01', points: '1250000.0000', adjusted_yuan: '12000000.00', fund_yuan: '7800000.00'})
    db.close()
  })
})
