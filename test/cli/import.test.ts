// Proves the settlement imports as an officer runs them: one transaction per file (a bad row
// stores nothing), idempotent re-runs, changed rows refused unless --replace, rejects with
// their reasons and exit 3, canonical amounts, and the real Harbin 2022 weights.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {SHARED, sharedPresent} from '../helpers.js'
import {tempDir, yb} from './run.js'

const INSTITUTIONS = '机构编码,机构名称,医院等级,机构系数,险种\nH001,市第一人民医院,三级,1.00,职工|居民\nH002,区中医院,二级,,职工\n'
const HEADER = 'settlement_id,institution_id,insurance_type,discharge_date,sex,age_years,age_days,birth_weight_g,los_days,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded,self_pay_all,self_pay_first,deductible'
const GOOD = `${HEADER}\nS1,H001,职工,2025-03-04,1,60,22000,,8,1,I63.900,,18000.5,12000.00,800,600,1000\nS2,H002,职工,2025-03-05,女,30,11000,,4,1,O80.000,,6000,4000,,,\n`

async function workspace(): Promise<string> {
  const dir = tempDir()
  await yb(dir, ['init'])
  writeFileSync(join(dir, 'inst.csv'), INSTITUTIONS)
  await yb(dir, ['institution', 'import', 'inst.csv'])
  return dir
}

const rows = (dir: string, sql: string): unknown[] => {
  const db = new Database(join(dir, 'yibao.db'), {readonly: true})
  try {
    return db.prepare(sql).all()
  } finally {
    db.close()
  }
}

describe('yb cases import', () => {
  it('stores canonical values, and the same file again changes nothing', async () => {
    const dir = await workspace()
    writeFileSync(join(dir, 'c.csv'), GOOD)
    const first = JSON.parse((await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv', '--json'])).stdout)
    expect(first).toMatchObject({rowsRead: 2, inserted: 2, same: 0, rejected: 0})
    const again = JSON.parse((await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv', '--json'])).stdout)
    expect(again).toMatchObject({inserted: 0, same: 2})
    expect(rows(dir, 'SELECT settlement_id, month, sex, total_cost, self_pay_all, deductible FROM settlement_case ORDER BY settlement_id')).toEqual([
      {settlement_id: 'S1', month: '2025-03', sex: '1', total_cost: '18000.50', self_pay_all: '800.00', deductible: '1000.00'},
      {settlement_id: 'S2', month: '2025-03', sex: '2', total_cost: '6000.00', self_pay_all: '0.00', deductible: '0.00'},
    ])
  })

  it('stores nothing when a row is bad and there is no rejects file', async () => {
    const dir = await workspace()
    writeFileSync(join(dir, 'c.csv'), `${GOOD}S3,H009,职工,2025-03-06,1,50,18000,,3,1,K35.800,,9000.00,7000.00,,,\n`)
    const run = await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe('error: c.csv:4 institution_id: institution H009 is not in the workspace (import it with `yb institution import`)\n')
    expect(rows(dir, 'SELECT settlement_id FROM settlement_case')).toEqual([])
  })

  it('with --rejects imports the good rows, writes each bad one with its reasons, and exits 3', async () => {
    const dir = await workspace()
    writeFileSync(join(dir, 'c.csv'), `${GOOD}S3,H002,居民,2025-04-01,1,50,18000,,3,1,K35.800,,9000.001,7000.00,,,\n`)
    const run = await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv', '--rejects', 'rej.csv'])
    expect(run.exitCode).toBe(3)
    expect(rows(dir, 'SELECT settlement_id FROM settlement_case ORDER BY settlement_id')).toEqual([{settlement_id: 'S1'}, {settlement_id: 'S2'}])
    const rejected = parse(readFileSync(join(dir, 'rej.csv')), {columns: true}) as Record<string, string>[]
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toMatchObject({settlement_id: 'S3', reject_line: '4', reject_column: 'total_cost', reject_code: 'value_not_decimal'})
  })

  it('refuses a changed case unless --replace, and then replaces it', async () => {
    const dir = await workspace()
    writeFileSync(join(dir, 'c.csv'), GOOD)
    await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv'])
    writeFileSync(join(dir, 'c.csv'), GOOD.replace('18000.5', '18000.6'))
    const refused = await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toBe('error: c.csv:2 settlement_id: S1 is already in the workspace with other values: total_cost "18000.50" → "18000.60" (pass --replace to replace it)\n')
    const replaced = JSON.parse((await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv', '--replace', '--json'])).stdout)
    expect(replaced).toMatchObject({replaced: 1, same: 1})
    expect(rows(dir, "SELECT total_cost FROM settlement_case WHERE settlement_id = 'S1'")).toEqual([{total_cost: '18000.60'}])
  })

  it('rejects an unknown sex word instead of storing the row', async () => {
    const dir = await workspace()
    writeFileSync(join(dir, 'c.csv'), GOOD.replace('S2,H002,职工,2025-03-05,女', 'S2,H002,职工,2025-03-05,F'))
    const run = await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe('error: c.csv:3 sex: "F" is not a sex code (use 1 or 男, 2 or 女; 0, 9 or blank when not stated)\n')
    expect(rows(dir, 'SELECT settlement_id FROM settlement_case')).toEqual([])
  })

  it('names a missing settlement column in the header', async () => {
    const dir = await workspace()
    writeFileSync(join(dir, 'c.csv'), GOOD.replace(',fund_recorded', ',fund'))
    const run = await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(/^error: c\.csv:1 fund_recorded: the header lacks fund_recorded/)
  })
})

describe('yb institution import and yb weights import', () => {
  it('rejects an unknown pool and keeps institutions idempotent', async () => {
    const dir = await workspace()
    expect(rows(dir, 'SELECT institution_id, pools, coefficient FROM institution ORDER BY institution_id')).toEqual([
      {institution_id: 'H001', pools: '居民|职工', coefficient: '1.00'},
      {institution_id: 'H002', pools: '职工', coefficient: ''},
    ])
    writeFileSync(join(dir, 'bad.csv'), `${INSTITUTIONS}H003,社区医院,一级,,城乡\n`)
    const run = await yb(dir, ['institution', 'import', 'bad.csv'])
    expect(run.stderr).toBe('error: bad.csv:4 pools: "城乡" is not a list of pools (use 职工, 居民 or 职工|居民)\n')
  })

  it.runIf(sharedPresent('the Harbin weights import'))('imports the 660 real Harbin 2022 weights, exactly as text', async () => {
    const dir = await workspace()
    const file = join(SHARED, 'reference', 'harbin-drg-weights', 'weights_2022.csv')
    expect(JSON.parse((await yb(dir, ['weights', 'import', '--year', '2022', file, '--json'])).stdout)).toMatchObject({rowsRead: 660, inserted: 660})
    expect(rows(dir, "SELECT weight FROM drg_weight WHERE year = 2022 AND drg = 'AB19'")).toEqual([{weight: '27.1292'}])
    expect(JSON.parse((await yb(dir, ['weights', 'import', '--year', '2022', file, '--json'])).stdout)).toMatchObject({inserted: 0, same: 660})
  })
})
