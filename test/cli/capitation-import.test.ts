// The inputs of 按人头付费 and 门特 packages (issue 19, first part): enrolment and outpatient
// spending per month, imported as every settlement file is — file:row column errors, nothing
// lost, idempotent, no row into a closed month.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {tempDir, yb, ybAll} from './run.js'

async function region(): Promise<string> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nC001,社区卫生服务中心,一级,1.00,职工|居民\nH001,市第一人民医院,三级,1.00,职工\n')
  await ybAll(dir, [['init'], ['institution', 'import', 'inst.csv']])
  return dir
}

describe('yb enrollment import and yb outpatient import', () => {
  it('stores a month of enrolment and spending, and the same files again change nothing', async () => {
    const dir = await region()
    writeFileSync(join(dir, 'e.csv'), '机构编码,险种,门特病种,签约人数\nC001,居民,,10000\nC001,居民,MT01,120\nC001,职工,,2500\n')
    writeFileSync(join(dir, 'o.csv'), 'institution_id,pool,category,own_fund_yuan,outside_fund_yuan\nC001,居民,,250000.00,40000.00\nC001,居民,MT01,30000.00,\n')
    expect(JSON.parse((await yb(dir, ['enrollment', 'import', '--month', '2025-03', 'e.csv', '--json'])).stdout)).toMatchObject({rowsRead: 3, inserted: 3})
    expect(JSON.parse((await yb(dir, ['outpatient', 'import', '--month', '2025-03', 'o.csv', '--json'])).stdout)).toMatchObject({rowsRead: 2, inserted: 2})
    expect(JSON.parse((await yb(dir, ['enrollment', 'import', '--month', '2025-03', 'e.csv', '--json'])).stdout)).toMatchObject({rowsRead: 3, inserted: 0, same: 3})
    writeFileSync(join(dir, 'e2.csv'), 'institution_id,pool,category,persons\nC001,居民,,10100\n')
    const changed = await yb(dir, ['enrollment', 'import', '--month', '2025-03', 'e2.csv', '--json'])
    expect(changed.exitCode).toBe(1)
    expect(JSON.parse(changed.stdout).error.details.errors[0]).toMatchObject({row: 2, code: 'duplicate_key'})
    expect(JSON.parse((await yb(dir, ['enrollment', 'import', '--month', '2025-03', 'e2.csv', '--replace', '--json'])).stdout)).toMatchObject({replaced: 1})
    // A hand edit of an enrolment is found by yb audit verify, like one of a case.
    expect((await yb(dir, ['audit', 'verify', '--year', '2025'])).exitCode).toBe(0)
    const db = new Database(join(dir, 'yibao.db'))
    db.prepare("UPDATE enrollment SET persons = '20000' WHERE institution_id = 'C001' AND pool = '居民' AND category = ''").run()
    db.close()
    const verify = JSON.parse((await yb(dir, ['audit', 'verify', '--year', '2025', '--json'])).stdout)
    expect(verify.findings.map((f: {where: string}) => f.where)).toEqual(['enrollment 2025-03 C001 居民 '])
  })
  it('names the file, row and column of bad input: negative enrolment, an unknown institution, a pool it does not serve, a bad amount', async () => {
    const dir = await region()
    writeFileSync(join(dir, 'e.csv'), 'institution_id,pool,category,persons\nC001,居民,,-5\nC999,居民,,100\nH001,居民,,100\nC001,职工,,12.5\n')
    const run = await yb(dir, ['enrollment', 'import', '--month', '2025-03', 'e.csv', '--rejects', 'bad.csv', '--json'])
    expect(run.exitCode).toBe(3)
    expect(JSON.parse(run.stdout)).toMatchObject({rowsRead: 4, inserted: 0, rejected: 4})
    const all = await yb(dir, ['enrollment', 'import', '--month', '2025-03', 'e.csv', '--json'])
    const errors = JSON.parse(all.stdout).error.details.errors.map((e: {row: number; column: string; code: string}) => `${e.row} ${e.column} ${e.code}`)
    expect(errors).toEqual(['2 persons value_negative', '3 institution_id reference_unknown', '4 pool value_not_allowed', '5 persons value_not_integer'])
    writeFileSync(join(dir, 'o.csv'), 'institution_id,pool,own_fund_yuan\nC001,居民,12.345\n')
    const spending = JSON.parse((await yb(dir, ['outpatient', 'import', '--month', '2025-03', 'o.csv', '--json'])).stdout).error.details.errors[0]
    expect(spending).toMatchObject({row: 2, column: 'own_fund_yuan'})
  })
})
