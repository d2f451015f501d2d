// Proves the policy contract on many policies (issue 11, defect 6): the templates (DRG rate, DRG
// points, DIP) with one to four values changed at random (edge numbers, other variants, other
// band tables and thresholds) are run through `yb policy check`'s parser; every one it passes is
// run through prepay, two monthly payments and the clearing of a small region with every kind of
// case (normal and outlier, QY, 0000, invalid, 床日, 项目, both pools, deductions, an approved
// 特例单议). None may crash: a run either completes with its check equations holding, or stops
// with an input error about the data (a cap, a bound, a level the policy does not cover).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseDocument} from 'yaml'
import {afterAll, describe, expect, it} from 'vitest'
import {runClear} from '../../src/app/clear.js'
import {runPay} from '../../src/app/pay.js'
import {closePeriods, reopen, yearStatus} from '../../src/app/periods.js'
import {runPrepay} from '../../src/app/prepay.js'
import {parsePolicy} from '../../src/clearing/policy.js'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {InputErrors} from '../../src/errors.js'
import {loadDipCatalog} from '../../src/grouper/dip-catalog.js'
import {dirPackSource, loadPack} from '../../src/grouper/pack-load.js'
import {Random, SYNTH_COLUMNS, synthCases} from '../../src/grouper/synth.js'
import {openWorkspace} from '../../src/store/db.js'
import {savePolicy} from '../../src/store/policies.js'
import {saveCatalog, saveScheme} from '../../src/store/schemes.js'
import {importCases, importDeductions, importInstitutions, importWeights} from '../../src/store/settlement-data.js'
import {importSpecialCases} from '../../src/store/special-cases.js'
import {DEMO_DIR, ROOT} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'yb-variants-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Errors a run may stop with on valid data: they name the data, not the policy. */
const DATA_CODES = new Set(['weights_missing', 'cap_exceeded', 'value_out_of_range', 'parameter_missing'])

const NUMBERS = ['0', '1', '0.5', '2', '-1', '0.0001', '100', '1000000', '3', '0.95', '1.5', '0.01', 'none', 'computed', '99999999999.99']
const SNIPPETS: readonly [RegExp, string][] = [
  [/band:\n(  .*\n)+/, 'band:\n  variant: V3_TABLE\n  basis: TOTAL_COST\n  overspend: [{from: 0, to: 0.1, fund_share: 0.5}, {from: 0.1, to: none, fund_share: 0}]\n  surplus: [{from: 0, to: 0.05, fund_share: 1}, {from: 0.05, to: none, fund_share: 0.3}]\n'],
  [/band:\n(  .*\n)+/, 'band:\n  variant: V1_PURE\n  basis: FUND_RECORDED\n'],
  [/    threshold:\n      variant: RW_TIERED.*\n      tiers:\n(        - .*\n)+/, '    threshold: {variant: FLAT, times: 2}\n'],
  [/    threshold:\n      variant: RW_TIERED.*\n      tiers:\n(        - .*\n)+/, '    threshold: {variant: LEVEL_TIERED, by_level: {三级: 3, 二级: 2, 一级: 2}}\n'],
  [/mid_low_uplift: none/, 'mid_low_uplift: {from: 0.4, to: 0.8, add: 0.2}'],
  [/money_rounding_stage: CASE/, 'money_rounding_stage: INSTITUTION'],
  [/mode: HALF_UP   /, 'mode: HALF_EVEN  '],
  [/mode: SCORE_PCT/, 'mode: COEFFICIENT'],
  [/recovery_mode: OFFSET/, 'recovery_mode: REFUND'],
  [/excess_deduction: CARRY_FORWARD/, 'excess_deduction: NEGATIVE_PAYMENT'],
  [/fund_mode: CHS_FORMULA/, 'fund_mode: STD_MINUS_PATIENT'],
  [/fund_mode: TOTAL_MINUS_PATIENT/, 'fund_mode: FUND_DIRECT'],
  [/fund_mode: TOTAL_MINUS_PATIENT/, 'fund_mode: TOTAL_TIMES_RATIO'],
  [/hospital_factor_stage: SCORE/, 'hospital_factor_stage: PAYMENT'],
  [/settle_method: TOTAL_COST/, 'settle_method: FUND_ONLY'],
  [/payment: PARTIAL_EXCESS/, 'payment: FFS'],
  [/# per_diem:[^\n]*\n#   categories:\n#     - ([^\n]*)\n#     - ([^\n]*)\n/, 'per_diem:\n  categories:\n    - {code: JS, name: 精神类, daily_rate_yuan: 260.00, max_days: 90, dx_prefixes: [F20]}\n    - {code: AN, name: 安宁疗护, daily_rate_yuan: 300.00, max_yuan: 3000.00}\n'],
  [/reference: previous_year/, 'reference: {职工: 12000, 居民: 11000}'],
  [/beyond_cap: REFUSE/, 'beyond_cap: ALLOW'],
  [/period: YEAR /, 'period: QUARTER '],
  [/institution_cap_share: none/, 'institution_cap_share: 0.5'],
]

function templates(): string[] {
  const base = (method: 'DRG' | 'DIP') => policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method}).replace('base_yuan: 1000000000.00', 'base_yuan: 3000000.00')
  const points = base('DRG').replace('family: RATE ', 'family: POINTS ').replace('payment: PARTIAL_EXCESS', 'payment: ADD_POINTS')
  return [base('DRG'), base('DRG').replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 12000.00, 居民: 11000.00}'), points, base('DIP'), base('DIP').replace('point_value_yuan: computed  # or', 'point_value_yuan: {职工: 9.6, 居民: 9.2}  # or').replace('method: MONTHLY_CALC', 'method: FIXED')]
}

/** A policy text with 1–4 random changes: a snippet (another variant) or a scalar set to an edge value. */
function variant(random: Random, text: string): string {
  let out = text
  for (let changes = 1 + Math.floor(random.next() * 4); changes > 0; changes--) {
    if (random.next() < 0.4) {
      const [pattern, replacement] = SNIPPETS[Math.floor(random.next() * SNIPPETS.length)]!
      out = out.replace(pattern, replacement)
      continue
    }
    const doc = parseDocument(out, {schema: 'failsafe'})
    const leaves: (string | number)[][] = []
    const walk = (node: unknown, path: (string | number)[]) => {
      if (node !== null && typeof node === 'object' && 'items' in node) {
        for (const [k, item] of (node as {items: unknown[]}).items.entries()) {
          if (item !== null && typeof item === 'object' && 'key' in item) walk((item as unknown as {value: unknown}).value, [...path, String((item as unknown as {key: {value: string}}).key.value)])
          else walk(item, [...path, k])
        }
      } else leaves.push(path)
    }
    walk(doc.contents, [])
    const path = leaves[Math.floor(random.next() * leaves.length)]!
    if (['format', 'year', 'scheme', 'catalog', 'region', 'pools'].includes(String(path[0])) || path.includes('catalog')) continue
    doc.setIn(path, NUMBERS[Math.floor(random.next() * NUMBERS.length)])
    out = doc.toString()
  }
  return out
}

const MONTHS = Array.from({length: 12}, (_, k) => `2025-${String(k + 1).padStart(2, '0')}`)

/** Opens the closed months again for the next variant. */
function reopenAll(db: Parameters<typeof yearStatus>[0]): void {
  for (const m of yearStatus(db, 2025).months) if (m.state === 'closed') reopen(db, 'pay', m.period, {reason: 'next variant', by: 'test'})
}

/** The lines of a variant that its template does not have (comments and spacing aside). */
function changed(template: string, text: string): string {
  const norm = (line: string) => line.replace(/#.*$/, '').replace(/\s+/g, '')
  const before = new Set(parseDocument(template, {schema: 'failsafe'}).toString().split('\n').map(norm))
  return parseDocument(text, {schema: 'failsafe'}).toString().split('\n').filter((line) => !before.has(norm(line))).join('\n')
}

async function region(): Promise<ReturnType<typeof openWorkspace>['db']> {
  const {db} = openWorkspace({path: join(dir, 'v.db'), create: true})
  const pack = loadPack(dirPackSource(DEMO_DIR)).pack!
  saveScheme(db, pack, DEMO_DIR)
  saveCatalog(db, loadDipCatalog(dirPackSource(join(ROOT, 'data', 'dip', 'demo'))).catalog!, 'demo-dip')
  writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,一院,三级,,职工|居民\nH002,二院,二级,0.92,职工|居民\nH003,卫生院,一级,,职工|居民\nH004,无病例,二级,,职工\n')
  await importInstitutions(db, {file: join(dir, 'inst.csv'), encoding: 'utf-8', replace: false})
  const header = [...SYNTH_COLUMNS, 'payment_method', 'per_diem_category']
  for (const [k, month] of ['2024-06', '2025-01', '2025-02'].entries()) {
    const rows = [...synthCases(pack, {count: 120, seed: 40 + k, invalidRate: 0.03, institutions: 3, month})].map((row, n) => [...row, n % 17 === 5 ? '床日' : n % 19 === 7 ? '项目' : '', ''])
    writeFileSync(join(dir, `${month}.csv`), [header, ...rows].map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\n'))
    await importCases(db, month, {file: join(dir, `${month}.csv`), encoding: 'utf-8', replace: false})
  }
  // Weights from the demo's own history: every DRG the synthetic cases reach has one.
  const drgs = (db.prepare("SELECT DISTINCT dx_codes FROM settlement_case").all() as unknown[]).length
  expect(drgs).toBeGreaterThan(10)
  writeFileSync(join(dir, 'w.csv'), ['drg,weight,avg_cost', ...pack.drgs.map((row, k) => `${row.drg},${(0.5 + (k % 7) * 0.3).toFixed(1)},${8000 + (k % 11) * 1500}`)].join('\n'))
  await importWeights(db, 2025, {file: join(dir, 'w.csv'), encoding: 'utf-8', replace: false})
  writeFileSync(join(dir, 'd.csv'), 'deduction_id,institution_id,pool,month,kind,amount_yuan,basis\nD1,H001,职工,2025-01,审核扣减,999999.00,大额\nD2,H002,职工,,违规扣款,50.00,年度\nD3,H004,职工,2025-02,审核扣减,10.00,无病例\n')
  await importDeductions(db, 2025, {file: join(dir, 'd.csv'), encoding: 'utf-8', replace: false})
  const first = (db.prepare("SELECT settlement_id FROM settlement_case WHERE month = '2025-01' ORDER BY settlement_id LIMIT 1").get() as {settlement_id: string}).settlement_id
  writeFileSync(join(dir, 's.csv'), `settlement_id,decision,approved_cost_yuan,approved_score,note\n${first},approved,86000.00,,专家组\n`)
  await importSpecialCases(db, {file: join(dir, 's.csv'), encoding: 'utf-8', replace: false})
  return db
}

describe('policies that pass the check', () => {
  it('never crash prepay, pay or clear on a region with every kind of case', async () => {
    const db = await region()
    const random = new Random(Number(process.env.YB_VARIANT_SEED ?? 20251101))
    const outcome = {checked: 0, passed: 0, completed: 0, dataErrors: new Map<string, number>()}
    try {
      for (const template of templates()) {
        expect(parsePolicy('template', template).errors).toEqual([])
        for (let k = 0; k < 150; k++) {
          const text = k === 0 ? template : variant(random, template)
          outcome.checked++
          if (parsePolicy('variant', text).policy === undefined) continue
          outcome.passed++
          savePolicy(db, 2025, text, `variant ${outcome.checked}`)
          try {
            runPrepay(db, {year: 2025, reserveMonths: {职工: '14', 居民: '8'}})
            for (const month of ['2025-01', '2025-02']) {
              const paid = await runPay(db, {month, acceptRateDeviation: k % 2 === 0})
              expect(paid.checks.every((c) => c.holds)).toBe(true)
            }
            await closePeriods(db, 'pay', MONTHS, {reason: 'variant', by: 'test'})
            const cleared = await runClear(db, {year: 2025, acceptRateDeviation: true})
            expect(cleared.checks.every((c) => c.holds)).toBe(true)
            outcome.completed++
            reopenAll(db)
          } catch (error) {
            reopenAll(db)
            // A crash (an assertion, a RangeError, a DecimalError) fails here with the policy that made it.
            if (!(error instanceof InputErrors)) throw new Error(`variant ${outcome.checked} crashed: ${String(error)}\n${changed(template, text)}`)
            const codes = error.errors.map((e) => e.code)
            if (!codes.every((code) => DATA_CODES.has(code))) throw new Error(`variant ${outcome.checked} stopped on ${JSON.stringify(error.errors)}\n${changed(template, text)}`)
            for (const code of codes) outcome.dataErrors.set(code, (outcome.dataErrors.get(code) ?? 0) + 1)
          }
        }
      }
    } finally {
      db.close()
    }
    console.log(`policy variants: ${outcome.checked} made, ${outcome.passed} passed the check, ${outcome.completed} ran the cycle through, data refusals ${JSON.stringify(Object.fromEntries(outcome.dataErrors))}`)
    // Not vacuous: most variants pass the check and most of those run the whole cycle.
    expect(outcome.passed).toBeGreaterThan(outcome.checked / 4)
    expect(outcome.completed).toBeGreaterThan(outcome.passed / 2)
  })
})
