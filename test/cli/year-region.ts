// A year region with round numbers, built through the CLI, for the money tests: the demo scheme,
// stroke cases (I63.900 → BR25, weight 1.5, average cost 10,000), a published rate of 10,000.00
// per weight and a coefficient of 1.00, so that a case costing 14,000.00 is a normal case worth
// 15,000.00; fund ratio 1.00 and no patient parts, so its fund is 15,000.00; p = 0.95; band
// V1_PURE; deposit 5% released at 100. Everything else is the template's.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb, ybAll} from './run.js'

export const CASE_HEADER = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded'

/** A stroke case (BR25) of `institution` in pool 职工. */
export function stroke(id: string, institution: string, cost = '14000.00', fundRecorded = cost): string {
  return `${id},${institution},职工,1,60,22000,,8,I63.900,,${cost},${fundRecorded}`
}

export function yearPolicy(year = 2025): string {
  return policyTemplate({year, regionCode: '1', regionName: '测试统筹区', scheme: 'demo', method: 'DRG'})
    .replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 10000.00, 居民: 10000.00}')
    .replace('fund_ratio: {职工: 0.85, 居民: 0.70}', 'fund_ratio: {职工: 1.00, 居民: 1.00}')
    .replace('variant: V2_QUOTA_BANDS', 'variant: V1_PURE')
    .replace('history_years: 3', 'history_years: 1')
}

export interface YearRegionOptions {
  /** Rows of institutions (id,name,level,coefficient,pools); default H001 三级 1.00 职工. */
  readonly institutions?: readonly string[]
  readonly policy?: string
  /** Cases by month, each a row of CASE_HEADER. */
  readonly cases: Readonly<Record<string, readonly string[]>>
  /** Rows of deduction_id,institution_id,pool,month,kind,amount_yuan,basis. */
  readonly deductions?: readonly string[]
  /** Run `yb prepay` for the year (from the cases of the year before). */
  readonly prepay?: boolean
}

/** The workspace in a temporary folder, with the cases imported (not yet paid). */
export async function yearRegion(options: YearRegionOptions): Promise<string> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...(options.institutions ?? ['H001,市第一人民医院,三级,1.00,职工'])].join('\n'))
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,10000\n')
  writeFileSync(join(dir, 'p.yaml'), options.policy ?? yearPolicy())
  const commands: string[][] = [['init'], ['scheme', 'import', DEMO_DIR], ['institution', 'import', 'inst.csv'], ['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'p.yaml']]
  for (const [month, rows] of Object.entries(options.cases)) {
    writeFileSync(join(dir, `c-${month}.csv`), [CASE_HEADER, ...rows].join('\n'))
    commands.push(['cases', 'import', '--month', month, `c-${month}.csv`])
  }
  if (options.deductions !== undefined) {
    writeFileSync(join(dir, 'd.csv'), ['deduction_id,institution_id,pool,month,kind,amount_yuan,basis', ...options.deductions].join('\n'))
    commands.push(['deductions', 'import', '--year', '2025', 'd.csv'])
  }
  if (options.prepay === true) commands.push(['prepay', '--year', '2025', '--reserve-months', '职工=14', '--reserve-months', '居民=7'])
  await ybAll(dir, commands)
  return dir
}

export async function json<T = Record<string, unknown>>(dir: string, args: readonly string[]): Promise<T> {
  const run = await yb(dir, [...args, '--json'])
  if (run.exitCode !== 0) throw new Error(`yb ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}${run.stdout}`)
  return JSON.parse(run.stdout) as T
}

export interface ClearJson {
  institutions: {institutionId: string; pool: string; balanceYuan: string; lines: {key: string; label: string; amountYuan: string; sign: number}[]}[]
  checks: {name: string; left: string; right: string; holds: boolean}[]
  totals: Record<string, string>
}

/** The amount of a clearing line of an institution (pool 职工 unless told). */
export function lineOf(result: ClearJson, institutionId: string, key: string, pool = '职工'): string {
  const institution = result.institutions.find((i) => i.institutionId === institutionId && i.pool === pool)
  if (institution === undefined) throw new Error(`no clearing row for ${institutionId} ${pool}`)
  return institution.lines.find((l) => l.key === key)!.amountYuan
}

/** A DIP catalog of one core group, K80.1-01 胆囊结石 保守治疗 (K80.100 without a counted procedure) of `score`, with no average cost (no deviation test). */
export function writeOneGroupCatalog(dir: string, score: string): void {
  const cat = join(dir, 'cat')
  mkdirSync(cat, {recursive: true})
  writeFileSync(join(cat, 'catalog.json'), JSON.stringify({format: 'dip-catalog/1', id: 't-dip', name: '测试目录', region: '1', year: 2025, score_scale: 1000}))
  writeFileSync(join(cat, 'px_class.csv'), 'code,class\n51.2300,surgical\n')
  writeFileSync(join(cat, 'groups.csv'), `group_code,type,dx_key,px_combo,name,score,avg_cost\nK80.1-01,core,K80.1,,胆囊结石 保守治疗,${score},\n`)
}

/** The DIP template paying by that catalog at a published point value, FIXED × `factor` each month. */
export function dipPolicy(pointValue: string, factor = '1.0'): string {
  return policyTemplate({year: 2025, regionCode: '1', regionName: '测试', scheme: 'demo', method: 'DIP'})
    .replace('catalog: demo-dip', 'catalog: t-dip')
    .replace('point_value_yuan: computed  # or published', `point_value_yuan: {职工: ${pointValue}, 居民: ${pointValue}}  # or published`)
    .replace('monthly_point_value: {method: MONTHLY_CALC, factor: 1.0}', `monthly_point_value: {method: FIXED, factor: ${factor}}`)
}
