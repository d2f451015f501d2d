// Proves the workspace and scheme commands as an officer uses them: init, import (validated,
// versioned, idempotent), list, show, grouping by stored id, and errors that say what to do.
import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseDecimal, sum} from '../../src/clearing/money.js'
import {MIGRATIONS} from '../../src/store/migrations.js'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb} from './run.js'

describe('yb init and yb scheme', () => {
  it('creates the workspace once and says so', async () => {
    const dir = tempDir()
    expect(JSON.parse((await yb(dir, ['init', '--json'])).stdout)).toEqual({db: join(dir, 'yibao.db'), created: true, schemaVersion: MIGRATIONS.length})
    expect(JSON.parse((await yb(dir, ['init', '--json'])).stdout)).toMatchObject({created: false})
    const other = await yb(dir, ['init', '--db', 'other.db'])
    expect(other.stdout).toBe(`created workspace other.db (schema version ${MIGRATIONS.length})\n`)
  })

  it('asks for yb init when there is no workspace', async () => {
    const dir = tempDir()
    const run = await yb(dir, ['scheme', 'list'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(`error: ${join(dir, 'yibao.db')}: there is no workspace here (run \`yb init\` first, or pass --db <file> / set YB_DB)\n`)
  })

  it('imports a pack as version 1, again as a no-op, and a changed pack as version 2', async () => {
    const dir = tempDir()
    await yb(dir, ['init'])
    const first = JSON.parse((await yb(dir, ['scheme', 'import', DEMO_DIR, '--json'])).stdout)
    expect(first).toMatchObject({id: 'demo', version: 1, created: true, counts: {mdcs: 14, adrgRows: 49, drgs: 87}})
    const again = await yb(dir, ['scheme', 'import', DEMO_DIR])
    expect(again.stdout).toBe('demo version 1 is already in the workspace with the same content: nothing to do\n')
    const changed = join(dir, 'demo2')
    cpSync(DEMO_DIR, changed, {recursive: true})
    writeFileSync(join(changed, 'dx_names.csv'), `${readFileSync(join(changed, 'dx_names.csv'), 'utf8')}E66.900,肥胖症\n`)
    expect(JSON.parse((await yb(dir, ['scheme', 'import', changed, '--json'])).stdout)).toMatchObject({id: 'demo', version: 2, created: true})
    const list = JSON.parse((await yb(dir, ['scheme', 'list', '--json'])).stdout) as {schemes: {id: string; version: number}[]}
    expect(list.schemes.map((s) => `${s.id}@${s.version}`)).toEqual(['demo@2', 'demo@1'])
  })

  it('groups with a stored scheme by id and by id@version, and shows it', async () => {
    const dir = tempDir()
    await yb(dir, ['init'])
    await yb(dir, ['scheme', 'import', DEMO_DIR])
    writeFileSync(join(dir, 'c.csv'), 'settlement_id,institution_id,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes\nS1,H1,1,60,22000,,5,I63.900,\n')
    for (const ref of ['demo', 'demo@1']) {
      const run = await yb(dir, ['group', '--scheme', ref, '--in', 'c.csv', '--out', '-'])
      expect(run.stdout.split('\n')[1]).toBe('S1,H1,1,60,22000,,5,I63.900,,MDCB,BR2,BR25,脑缺血性疾患，不伴并发症或合并症,grouped,')
    }
    const show = JSON.parse((await yb(dir, ['scheme', 'show', 'demo', '--json'])).stdout)
    expect(show).toMatchObject({id: 'demo', from: 'workspace:demo@1'})
    expect(show.mdcs[0]).toEqual({order: 1, mdc: 'MDCA', name: '先期分组疾病及相关操作', qy: false, rule: 'main_px in entry_px', adrgRows: 2, drgs: 3})
    const missing = await yb(dir, ['group', '--scheme', 'chs-drg-9', '--in', 'c.csv', '--out', '-'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toBe(`error: chs-drg-9: no scheme "chs-drg-9" in the workspace ${join(dir, 'yibao.db')} (stored: demo@1)\n`)
  })

  it('refuses a bad pack with its errors as file:line column, row errors before cross-file ones, and stores nothing', async () => {
    const dir = tempDir()
    await yb(dir, ['init'])
    const bad = join(dir, 'bad')
    cpSync(DEMO_DIR, bad, {recursive: true})
    const adrg = readFileSync(join(bad, 'adrg.csv'), 'utf8')
    const twoFaults = adrg.replace('main_px in ss\n', 'main_px in sss\n').replace(',medical,pdx in zd', ',medicinal,pdx in zd').replace(',medical,true', ',', )
    writeFileSync(join(bad, 'adrg.csv'), twoFaults)
    const rows = await yb(dir, ['scheme', 'import', bad])
    expect(rows.exitCode).toBe(1)
    const rowLines = rows.stderr.trim().split('\n')
    expect(rowLines).toHaveLength(2)
    expect(rowLines[0]).toMatch(new RegExp(`^error: ${bad}/adrg\\.csv:\\d+ partition: Invalid option: expected one of "procedure"\\|"medical" \\(found "medicinal"\\)$`))
    expect(rowLines[1]).toMatch(new RegExp(`^error: ${bad}/adrg\\.csv:\\d+: the row has 6 fields but the header has 7$`))
    // Once every row reads, references are checked: the unknown list is reported.
    writeFileSync(join(bad, 'adrg.csv'), adrg.replace('main_px in ss\n', 'main_px in sss\n'))
    const refs = await yb(dir, ['scheme', 'import', bad])
    expect(refs.stderr).toMatch(new RegExp(`^error: ${bad}/adrg\\.csv:\\d+ rule: the rule names list "sss", which no owner of this row has \\(looked in AE1, MDCA, \\*\\)\n$`))
    expect(JSON.parse((await yb(dir, ['scheme', 'list', '--json'])).stdout)).toEqual({schemes: []})
  })
})

describe('yb synth cases and yb demo', () => {
  it('synthesizes the same file for the same seed', async () => {
    const dir = tempDir()
    await yb(dir, ['synth', 'cases', '--scheme', DEMO_DIR, '--count', '300', '--seed', '4', '--out', 'a.csv'])
    await yb(dir, ['synth', 'cases', '--scheme', DEMO_DIR, '--count', '300', '--seed', '4', '--out', 'b.csv'])
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe(readFileSync(join(dir, 'b.csv'), 'utf8'))
    expect(readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n')).toHaveLength(301)
  })

  it('runs a whole year on bundled data: grouping, prepayment, twelve payments and the clearing', async () => {
    const dir = tempDir()
    const run = await yb(dir, ['demo', '--count', '300', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    const {byStatus, byMdc, casesWritten} = result.grouping
    expect(casesWritten).toBe(300)
    expect(Object.values(byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(300)
    expect(Object.values(byMdc as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(byStatus.grouped + byStatus.qy)
    expect(result.months.map((m: {month: string; cases: number}) => [m.month, m.cases])).toEqual(Array.from({length: 12}, (_, k) => [`2025-${String(k + 1).padStart(2, '0')}`, 300]))
    expect(result.clear.institutions.length).toBeGreaterThan(30)
    expect(result.clear.checks.every((c: {holds: boolean}) => c.holds)).toBe(true)
    // The clearing's paid line for each institution is the sum of what the twelve months paid it.
    const paidByClear = sum(result.clear.institutions.map((i: {lines: {key: string; amountYuan: string}[]}) => parseDecimal(i.lines.find((l) => l.key === 'monthlyPaid')!.amountYuan)))
    const paidByMonths = sum(result.months.map((m: {payYuan: string}) => parseDecimal(m.payYuan)))
    expect(paidByClear.toFixed(2)).toBe(paidByMonths.toFixed(2))
    // The community centres paid by head: what the clearing counts as paid is what the months paid them.
    const capitation = result.clear.capitation
    expect(new Set(capitation.institutions.map((i: {institutionId: string}) => i.institutionId))).toEqual(new Set(['C001', 'C002', 'C003']))
    expect(capitation.totals.monthlyPaidYuan).toBe(sum(result.months.map((m: {capitationPayYuan: string}) => parseDecimal(m.capitationPayYuan))).toFixed(2))
    expect(readFileSync(join(dir, 'yb-demo', 'grouped-2025-01.csv'), 'utf8').trim().split('\n')).toHaveLength(301)
  })
})
