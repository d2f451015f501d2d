// 结算清单质控 through the commands (issue 18): yb cases check on a stored month and on a file
// (its unreadable rows counted, never dropped), the CSV of flagged cases, exit codes, rules from a
// folder and stored with yb qc import, yb cases import --check, and quality.hold_errors holding a
// failing case from payment as 待更正.
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {openWorkspace} from '../../src/store/db.js'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb, ybAll} from './run.js'
import {yearPolicy} from './year-region.js'

const HEADER = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,admit_date,discharge_date,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded,person_id'
const GOOD = 'S1,H001,职工,1,60,22000,,8,2025-03-01,2025-03-09,1,I63.900,,14000.00,9800.00,230102199001011234'
// A man with a female-only diagnosis (QC002, an error); a repeated diagnosis (QC014, a warning).
const MAN_WITH_D25 = 'S2,H001,职工,1,45,16500,,6,2025-03-02,2025-03-08,1,I63.900|D25.900,,9000.00,6300.00,'
const REPEATED = 'S3,H001,职工,2,70,25600,,5,2025-03-10,2025-03-15,1,I63.900|I10.x00|I10.x00,,8000.00,5600.00,'

async function region(rows: readonly string[], policy = yearPolicy()): Promise<string> {
  const dir = tempDir()
  writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,市第一人民医院,三级,1.00,职工\n')
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR25,1.5,,10000\n')
  writeFileSync(join(dir, 'p.yaml'), policy)
  writeFileSync(join(dir, 'c.csv'), [HEADER, ...rows].join('\n'))
  await ybAll(dir, [['init'], ['scheme', 'import', DEMO_DIR], ['institution', 'import', 'inst.csv'], ['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'p.yaml'], ['cases', 'import', '--month', '2025-03', 'c.csv']])
  return dir
}

describe('yb cases check', () => {
  it('checks a stored month: per case its rules, per institution its pass rate, exit 3 when flagged', async () => {
    const dir = await region([GOOD, MAN_WITH_D25, REPEATED])
    const run = await yb(dir, ['cases', 'check', '--month', '2025-03', '--out', 'flagged.csv', '--json'])
    expect(run.exitCode, run.stderr).toBe(3)
    const r = JSON.parse(run.stdout)
    expect(r).toMatchObject({cases: 3, passed: 1, passRate: '0.3333', withErrors: 1, warningsOnly: 1, flagged: 2, scheme: 'workspace:demo@1'})
    expect(r.byInstitution).toEqual([{institutionId: 'H001', cases: 3, passed: 1, passRate: '0.3333', withErrors: 1, warningsOnly: 1, topRules: [{id: 'QC002', cases: 1}, {id: 'QC014', cases: 1}]}])
    expect(r.examples.map((c: {settlementId: string; rules: {id: string}[]}) => [c.settlementId, c.rules.map((x) => x.id)])).toEqual([['S2', ['QC002']], ['S3', ['QC014']]])
    const csv = readFileSync(join(dir, 'flagged.csv'), 'utf8')
    expect(csv.split('\n')[0]).toBe('\uFEFF结算流水号,定点医疗机构编码,行号,规则编号,级别,说明,依据值')
    expect(csv).toContain('S2,H001,,QC002,错误,男性患者有女性专有诊断,sex 1; any_dx D25.900 in female_dx')
    const clean = await yb(dir, ['cases', 'check', '--month', '2025-03', '--institution', 'H002'])
    expect(clean.exitCode).toBe(0)
    // Never over the workspace.
    const over = await yb(dir, ['cases', 'check', '--month', '2025-03', '--out', 'yibao.db', '--json'])
    expect(over.exitCode).toBe(1)
    expect(JSON.parse(over.stdout).error.code).toBe('output_refused')
    expect((await yb(dir, ['pay', '--month', '2025-03'])).exitCode).toBe(0)
    expect(JSON.parse((await yb(dir, ['audit', '--month', '2025-03', '--out', 'yibao.db', '--json'])).stdout).error.code).toBe('output_refused')
    expect(JSON.parse((await yb(dir, ['evaluate', '--month', '2025-03', '--out', 'yibao.db', '--json'])).stdout).error.code).toBe('output_refused')
    const unknown = await yb(dir, ['audit', '--month', '2025-03', '--institution', 'H999', '--json'])
    expect(JSON.parse(unknown.stdout).error.message).toContain('institution H999 has no paid case in 2025-03')
  })

  it('checks a file without importing it, and counts every record', async () => {
    const dir = tempDir()
    const badLos = 'S4,H001,职工,1,60,22000,,12,2025-03-01,2025-03-09,1,I63.900,,14000.00,9800.00,'
    const unreadable = 'S5,H001,职工,1,sixty,22000,,8,2025-03-01,2025-03-09,1,I63.900,,14000.00,9800.00,'
    writeFileSync(join(dir, 'c.csv'), [HEADER, GOOD, badLos, '', unreadable].join('\n'))
    const run = await yb(dir, ['cases', 'check', 'c.csv', '--scheme', DEMO_DIR, '--json'])
    expect(run.exitCode, run.stderr).toBe(3)
    const r = JSON.parse(run.stdout)
    expect(r).toMatchObject({recordsRead: 4, cases: 2, unreadable: 1, skipped: 1, outside: 0, flagged: 1, notRun: []})
    expect(r.unreadableErrors[0]).toMatchObject({file: 'c.csv', row: 5, column: 'age_years'})
    expect(r.examples[0]).toMatchObject({settlementId: 'S4', line: 3, rules: [{id: 'QC010', severity: 'error', evidence: 'los_date_gap 4'}]})
    // Without a scheme the dictionary rules are not run, and say so.
    const noScheme = JSON.parse((await yb(dir, ['cases', 'check', 'c.csv', '--json'])).stdout)
    expect(noScheme.notRun.map((x: {id: string}) => x.id)).toEqual(['QC016', 'QC017'])
    expect(noScheme.scheme).toBeNull()
  })

  it('takes rules from a folder, refuses a broken one with file:line, and stores them with yb qc import', async () => {
    const dir = await region([GOOD, MAN_WITH_D25])
    mkdirSync(join(dir, 'local'))
    writeFileSync(join(dir, 'local', 'qc-rules.json'), JSON.stringify({format: 'qc-rules/1', id: 'local', name: '本地规则', source: 'test'}))
    writeFileSync(join(dir, 'local', 'rules.csv'), 'id,severity,message,condition\nL1,warning,住院超过7天,los_days > 7\nL2,error,未知字段,weight_kg > 3\n')
    const broken = await yb(dir, ['cases', 'check', '--month', '2025-03', '--rules', 'local', '--json'])
    expect(broken.exitCode).toBe(1)
    const error = JSON.parse(broken.stdout).error
    expect(error.details.errors[0]).toMatchObject({file: 'local/rules.csv', row: 3, column: 'condition'})
    expect(error.details.errors[0].message).toContain('unknown field "weight_kg"')
    expect((await yb(dir, ['qc', 'check', 'local'])).exitCode).toBe(1)
    writeFileSync(join(dir, 'local', 'rules.csv'), 'id,severity,message,condition\nL1,warning,住院超过7天,los_days > 7\n')
    expect((await yb(dir, ['qc', 'check', 'local'])).exitCode).toBe(0)
    const imported = JSON.parse((await yb(dir, ['qc', 'import', 'local', '--json'])).stdout)
    expect(imported).toMatchObject({id: 'local', version: 1, created: true, kind: 'qc'})
    expect(JSON.parse((await yb(dir, ['qc', 'import', 'local', '--json'])).stdout).created).toBe(false)
    expect(JSON.parse((await yb(dir, ['qc', 'list', '--json'])).stdout).rules.map((s: {id: string}) => s.id)).toEqual(['local'])
    expect((await yb(dir, ['scheme', 'list', '--json'])).stdout).not.toContain('"local"')
    const stored = JSON.parse((await yb(dir, ['cases', 'check', '--month', '2025-03', '--rules', 'local@1', '--json'])).stdout)
    expect(stored.rules.ref).toBe('local@1')
    expect(stored.byRule).toEqual([{id: 'L1', severity: 'warning', message: '住院超过7天', cases: 1}])
  })

  it('runs on import with --check, and under quality.hold_errors yb pay holds a failing case as 待更正', async () => {
    const policy = yearPolicy().replace('coefficients:', 'quality:\n  rules: default\n  hold_errors: true\ncoefficients:')
    const dir = await region([GOOD], policy)
    writeFileSync(join(dir, 'more.csv'), [HEADER, MAN_WITH_D25, REPEATED].join('\n'))
    const imported = await yb(dir, ['cases', 'import', '--month', '2025-03', 'more.csv', '--check', '--json'])
    expect(imported.exitCode, imported.stderr).toBe(3)
    expect(JSON.parse(imported.stdout)).toMatchObject({inserted: 2, check: {cases: 3, withErrors: 1, warningsOnly: 1}})
    const pay = JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json'])).stdout)
    const cases = JSON.parse((await yb(dir, ['runs', 'show', String(pay.runId), '--cases', '--json'])).stdout).cases
    const status = Object.fromEntries(cases.map((c: {settlementId: string; status: string}) => [c.settlementId, c.status]))
    // S2 fails an error rule: held. S3 only a warning: paid.
    expect(status).toEqual({S1: 'grouped', S2: 'invalid', S3: 'grouped'})
    const shown = JSON.parse((await yb(dir, ['case', 'show', 'S2', '--json'])).stdout)
    expect(shown.grouping).toMatchObject({status: 'invalid', reason: 'qc_error: QC002'})
    const inputs = JSON.parse((await yb(dir, ['runs', 'show', String(pay.runId), '--json'])).stdout).inputs
    expect(inputs.quality.rules).toMatch(/^default@[0-9a-f]{12}$/)
  })

  it('keeps 参保人编号 as a salted hash, never as given', async () => {
    const dir = await region([GOOD])
    const {db} = openWorkspace({path: join(dir, 'yibao.db'), create: false})
    try {
      const stored = db.prepare("SELECT person_id FROM settlement_case WHERE settlement_id = 'S1'").pluck().get() as string
      expect(stored).toMatch(/^[0-9a-f]{32}$/)
      expect(stored).not.toContain('230102199001011234')
    } finally {
      db.close()
    }
    // The same file again changes nothing: the key is the same in the same workspace.
    expect(JSON.parse((await yb(dir, ['cases', 'import', '--month', '2025-03', 'c.csv', '--json'])).stdout)).toMatchObject({same: 1, inserted: 0})
  })
})
