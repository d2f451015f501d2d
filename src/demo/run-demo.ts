/**
 * The demo on bundled data: a synthetic region runs a whole year with the demo scheme pack.
 * Everything is derived here: 30 institutions, a history year of discharges, DRG weights from
 * the history's costs (group average ÷ all-case average), a policy whose budget is the history's
 * fund spending, the prepayment, twelve monthly payments and the year-end clearing.
 *
 *   await runDemo({count: 2000, seed: 2025, outDir: 'yb-demo'})
 *   → {grouping: {byStatus: …}, months: [{month: '2025-01', payYuan: '…'}, …], clear: {institutions: […]}}
 */
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type ClearResult, runClear} from '../app/clear.js'
import {runPay} from '../app/pay.js'
import {importEnrollment, importOutpatient} from '../store/capitation-data.js'
import {closePeriods} from '../app/periods.js'
import {runPrepay} from '../app/prepay.js'
import {fenText, parseFen, yuanOfFen} from '../clearing/fen.js'
import {roundYuan} from '../clearing/money.js'
import {historyAverageYuan} from '../clearing/dip-pricing.js'
import {relativeWeight} from '../clearing/drg-pricing.js'
import {policyTemplate} from '../clearing/policy-template.js'
import {InputErrors} from '../errors.js'
import {compileScheme} from '../grouper/compile-scheme.js'
import {groupCase} from '../grouper/group-case.js'
import {groupFile, type GroupFileResult} from '../grouper/group-file.js'
import {loadDipCatalog} from '../grouper/dip-catalog.js'
import {compileDip} from '../grouper/dip-group.js'
import {dirPackSource, loadPack, type SchemePack} from '../grouper/pack-load.js'
import {writeSynthCases} from '../grouper/synth-file.js'
import {codeList} from '../io/case-row.js'
import {openWorkspace, type Db} from '../store/db.js'
import {savePolicy} from '../store/policies.js'
import {saveCatalog, saveScheme} from '../store/schemes.js'
import {importCases, importInstitutions, importWeights} from '../store/settlement-data.js'

/** The bundled demo pack, found from the installed package (dist/demo → data/schemes/demo). */
export const DEMO_PACK_DIR = fileURLToPath(new URL('../../data/schemes/demo', import.meta.url))
/** The bundled demo DIP catalog (built by scripts/make-demo-dip.mjs with `yb dip build`). */
export const DEMO_DIP_DIR = fileURLToPath(new URL('../../data/dip/demo', import.meta.url))

export interface DemoMonth {
  readonly month: string
  readonly cases: number
  readonly fundDueYuan: string
  readonly payYuan: string
  /** 按人头付费 and 门特 packages paid to the community centres this month. */
  readonly capitationPayYuan: string
}

export interface DemoResult {
  readonly outDir: string
  readonly db: string
  readonly year: number
  readonly method: 'DRG' | 'DIP'
  /** January's cases grouped to a file, as `yb group` would (DRG and DIP columns). */
  readonly grouping: GroupFileResult
  readonly mdcNames: Record<string, string>
  readonly weights: number
  readonly prepaymentYuan: string
  readonly months: readonly DemoMonth[]
  readonly clear: ClearResult
}

const INSTITUTIONS = 30
/** Community health centres paid by head (按人头付费) beside the hospitals: enrolled persons per pool, and a 门特 package. */
const CENTRES = [
  {id: 'C001', name: '演示东区社区卫生服务中心', 职工: 2000, 居民: 8000, package: 80},
  {id: 'C002', name: '演示西区社区卫生服务中心', 职工: 1500, 居民: 6500, package: 0},
  {id: 'C003', name: '演示南区社区卫生服务中心', 职工: 1000, 居民: 5000, package: 40},
] as const
/** Per pool: 元/人/月, and the share of the budget each centre's enrolled spend (C003 spends more than its budget). */
const CAPITATION_POLICY = `capitation:
  pools:
    职工: {standard_yuan: 28.00, monthly_rule: BUDGET, pre_settle_ratio: 0.9, charge_outside: true}
    居民: {standard_yuan: 20.00, monthly_rule: ACTUAL_CAPPED, pre_settle_ratio: 0.9, charge_outside: true}
  packages:
    - {code: MT01, name: 糖尿病门特, yuan_per_patient_year: 2400.00}
`
const SPENT_PERCENT: Record<string, number> = {C001: 88, C002: 95, C003: 108}
const LEVELS = ['三级', '二级', '二级', '一级']
const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']

/** Discharges a month of the demo's history year, at least. */
const HISTORY_MIN = 1500

export async function runDemo(options: {count: number; seed: number; outDir: string; year?: number; method?: 'DRG' | 'DIP'}): Promise<DemoResult> {
  const year = options.year ?? 2025
  const method = options.method ?? 'DRG'
  const dipLoaded = loadDipCatalog(dirPackSource(DEMO_DIP_DIR))
  if (dipLoaded.catalog === undefined) throw new InputErrors(dipLoaded.errors)
  const loaded = loadPack(dirPackSource(DEMO_PACK_DIR))
  if (loaded.pack === undefined) throw new InputErrors(loaded.errors)
  const pack = loaded.pack
  mkdirSync(options.outDir, {recursive: true})
  const dbPath = join(options.outDir, 'demo.db')
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, {force: true})
  const {db} = openWorkspace({path: dbPath, create: true})
  try {
    saveScheme(db, pack, DEMO_PACK_DIR)
    saveCatalog(db, dipLoaded.catalog, DEMO_DIP_DIR)
    const file = (name: string) => join(options.outDir, name)
    writeFileSync(
      file('institutions.csv'),
      ['institution_id,name,level,coefficient,pools', ...Array.from({length: INSTITUTIONS}, (_, k) => `H${String(k + 1).padStart(3, '0')},演示医院${k + 1},${LEVELS[k % LEVELS.length]},,职工|居民`), ...CENTRES.map((c) => `${c.id},${c.name},一级,,职工|居民`)].join('\n'),
    )
    await importInstitutions(db, {file: file('institutions.csv'), encoding: 'utf-8', replace: false})

    // A history year: what the weights, the budget and the prepayment are derived from.
    // The history year is never smaller than HISTORY_MIN a month, so that a small demo year
    // (--count 10) still finds a weight for nearly every group it meets.
    const historyCount = Math.max(options.count, HISTORY_MIN)
    for (const [k, m] of MONTHS.entries()) await importMonth(db, pack, file(`history-${year - 1}-${m}.csv`), `${year - 1}-${m}`, historyCount, options.seed * 100 + k)
    const weights = deriveWeights(db, pack, year - 1)
    writeFileSync(file(`weights-${year}.csv`), ['drg,weight,avg_cost', ...weights.map((w) => `${w.drg},${w.weight},${w.avgCost}`)].join('\n'))
    await importWeights(db, year, {file: file(`weights-${year}.csv`), encoding: 'utf-8', replace: false})
    // DIP pays by the demo catalog (dip.catalog: demo-dip), at point values computed from the budget.
    const policy = policyTemplate({year, regionCode: '999999', regionName: '演示统筹区', scheme: pack.meta.id, method})
      .replace('base_yuan: 1000000000.00', `base_yuan: ${fundSpending(db, year - 1)}`)
      .replace('\ncoefficients:', `\n${CAPITATION_POLICY}\ncoefficients:`)
    writeFileSync(file(`policy-${year}.yaml`), policy)
    savePolicy(db, year, policy, file(`policy-${year}.yaml`))

    const prepay = runPrepay(db, {year, reserveMonths: {职工: '14', 居民: '8'}})
    const months: DemoMonth[] = []
    for (const [k, m] of MONTHS.entries()) {
      const month = `${year}-${m}`
      await importMonth(db, pack, file(`cases-${month}.csv`), month, options.count, options.seed * 1000 + k)
      await importCentres(db, file, month, k)
      const paid = await runPay(db, {month})
      months.push({month, cases: paid.totals.cases, fundDueYuan: paid.totals.fundDueYuan, payYuan: paid.totals.payYuan, capitationPayYuan: paid.capitation?.totals.payYuan ?? '0.00'})
    }
    const assessment = new Map([
      ...Array.from({length: INSTITUTIONS}, (_, k) => [`H${String(k + 1).padStart(3, '0')}`, {value: String(85 + ((k * 7) % 16)), row: k + 2, file: 'demo assessment'}] as const),
      ...CENTRES.map((c, k) => [c.id, {value: String(92 - k * 3), row: INSTITUTIONS + k + 2, file: 'demo assessment'}] as const),
    ])
    // The clearing needs the twelve months closed, as an office closes each month once it is paid.
    await closePeriods(db, 'pay', MONTHS.map((m) => `${year}-${m}`), {reason: '演示: 拨付完成', by: 'yb demo'})
    const clear = await runClear(db, {year, assessment})
    const grouping = await groupFile({scheme: compileScheme(pack), dip: compileDip(dipLoaded.catalog), input: file(`cases-${year}-01.csv`), output: file(`grouped-${year}-01.csv`), format: 'csv', explain: false, encoding: 'utf-8'})
    return {
      outDir: options.outDir,
      db: dbPath,
      year,
      method,
      grouping,
      mdcNames: Object.fromEntries(pack.mdcs.map((row) => [row.mdc, row.name])),
      weights: weights.length,
      prepaymentYuan: prepay.totalYuan,
      months,
      clear,
    }
  } finally {
    db.close()
  }
}

/** The centres' enrolment and outpatient spending of a month: a whole number of 元 a head, varying a little by month. */
async function importCentres(db: Db, file: (name: string) => string, month: string, k: number): Promise<void> {
  const enrolment = ['institution_id,pool,category,persons']
  const spending = ['institution_id,pool,category,own_fund_yuan,outside_fund_yuan']
  for (const c of CENTRES) {
    const percent = SPENT_PERCENT[c.id]! + ((k * 5) % 7) - 3
    for (const [pool, standard] of [['职工', 28], ['居民', 20]] as const) {
      const persons = c[pool]
      enrolment.push(`${c.id},${pool},,${persons}`)
      const spent = Math.round((persons * standard * percent) / 100)
      spending.push(`${c.id},${pool},,${spent - Math.round(spent / 10)}.00,${Math.round(spent / 10)}.00`)
    }
    if (c.package > 0) {
      enrolment.push(`${c.id},居民,MT01,${c.package}`)
      spending.push(`${c.id},居民,MT01,${Math.round((c.package * 200 * percent) / 100)}.00,0.00`)
    }
  }
  writeFileSync(file(`enrollment-${month}.csv`), enrolment.join('\n'))
  writeFileSync(file(`outpatient-${month}.csv`), spending.join('\n'))
  await importEnrollment(db, month, {file: file(`enrollment-${month}.csv`), encoding: 'utf-8', replace: false})
  await importOutpatient(db, month, {file: file(`outpatient-${month}.csv`), encoding: 'utf-8', replace: false})
}

async function importMonth(db: Db, pack: SchemePack, path: string, month: string, count: number, seed: number): Promise<void> {
  await writeSynthCases(pack, path, {count, seed, invalidRate: 0.004, institutions: INSTITUTIONS, month})
  await importCases(db, month, {file: path, encoding: 'utf-8', replace: false})
}

/** RW = group average cost ÷ all-case average cost of the history year (settlement-rules §4.1), 4 dp. */
function deriveWeights(db: Db, pack: SchemePack, year: number): {drg: string; weight: string; avgCost: string}[] {
  const scheme = compileScheme(pack)
  const byDrg = new Map<string, {fen: number; cases: number}>()
  let allFen = 0
  let allCases = 0
  const rows = db.prepare("SELECT sex, age_years, age_days, birth_weight_g, los_days, dx_codes, px_codes, total_cost FROM settlement_case WHERE month LIKE ? || '-%'").raw(true).iterate(String(year)) as IterableIterator<string[]>
  for (const [sex, ageYears, ageDays, birthWeight, losDays, dx, px, cost] of rows) {
    const result = groupCase(scheme, {
      sex: sex === '1' ? 1 : sex === '2' ? 2 : 0,
      ageYears: Number(ageYears),
      ageDays: Number(ageDays),
      birthWeightG: birthWeight ? Number(birthWeight) : 0,
      losDays: Number(losDays),
      dx: codeList(dx!, true),
      px: codeList(px!, false),
    })
    if (result.status !== 'grouped') continue
    const fen = parseFen(cost!)
    const entry = byDrg.get(result.drg) ?? {fen: 0, cases: 0}
    entry.fen += fen
    entry.cases++
    byDrg.set(result.drg, entry)
    allFen += fen
    allCases++
  }
  const allAverage = historyAverageYuan([{costYuan: yuanOfFen(allFen), cases: allCases}], null)
  return [...byDrg]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([drg, entry]) => {
      const average = historyAverageYuan([{costYuan: yuanOfFen(entry.fen), cases: entry.cases}], null)
      return {drg, weight: relativeWeight(average, allAverage, 4, 'HALF_UP').toFixed(4), avgCost: roundYuan(average).toFixed(2)}
    })
}

/** The history year's fund spending: the demo budget's base. */
function fundSpending(db: Db, year: number): string {
  let fen = 0
  for (const [fund] of db.prepare("SELECT fund_recorded FROM settlement_case WHERE month LIKE ? || '-%'").raw(true).iterate(String(year)) as IterableIterator<[string]>) fen += parseFen(fund)
  return fenText(fen)
}
