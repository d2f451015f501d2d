// `yb audit` on a synthetic year with planted anomalies (issue 18): 8 institutions × 12 months of
// stroke cases drawn from one seeded generator; planted by this test: 12 split admissions (one
// across a month end) at three institutions, one institution that codes twice the region's share
// of MCC/CC cases (H003), and one with many short cheap stays (H005). Controls that must not be
// found: a readmission after 40 days, one to another institution, one for another disease, and a
// Z51 chemotherapy session. The audit must find every planted anomaly and raise nothing else.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readXlsx} from '../../src/io/xlsx.js'
import {openWorkspace} from '../../src/store/db.js'
import {reviewSource} from '../../src/store/review.js'
import {DEMO_DIR} from '../helpers.js'
import {tempDir, yb, ybAll} from './run.js'
import {yearPolicy} from './year-region.js'

const HEADER = 'settlement_id,institution_id,insurance_type,sex,age_years,age_days,birth_weight_g,los_days,admit_date,discharge_date,discharge_mode,dx_codes,px_codes,total_cost,fund_recorded,person_id'
const INSTITUTIONS = ['H001', 'H002', 'H003', 'H004', 'H005', 'H006', 'H007', 'H008']
const PER_MONTH = 70

/** mulberry32: the same cases on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')
const day = (month: number, d: number): string => `2025-${pad(month)}-${pad(d)}`
const yuan = (fen: number): string => `${Math.floor(fen / 100)}.${pad(fen % 100)}`

interface Stay {
  id: string
  institution: string
  person: string
  month: number
  admit: number
  los: number
  dx: string
  costFen: number
}

function row(s: Stay): string {
  const admit = day(s.month, s.admit)
  const discharge = new Date(Date.UTC(2025, s.month - 1, s.admit + s.los)).toISOString().slice(0, 10)
  return [s.id, s.institution, '职工', '1', '67', '24500', '', String(s.los), admit, discharge, '1', s.dx, '', yuan(s.costFen), yuan(Math.round(s.costFen * 0.7)), s.person].join(',')
}

function plantedYear(): {months: Map<number, string[]>; pairs: string[]} {
  const random = generator(20261201)
  const months = new Map<number, string[]>()
  const add = (s: Stay): void => void (months.get(s.month) ?? months.set(s.month, []).get(s.month)!).push(row(s))
  let seq = 0
  for (let month = 1; month <= 12; month++) {
    for (const institution of INSTITUTIONS) {
      for (let k = 0; k < PER_MONTH; k++) {
        const severe = random() < (institution === 'H003' ? 0.6 : 0.3)
        const mcc = severe && random() < 0.35
        const cheap = random() < (institution === 'H005' ? 0.2 : 0.01)
        const los = cheap ? 1 + Math.floor(random() * 2) : 5 + Math.floor(random() * 10)
        const costFen = cheap ? 200_000 + Math.floor(random() * 100_000) : 800_000 + Math.floor(random() * 800_000)
        const id = `S${month}-${institution}-${pad(k)}${String(seq++).padStart(5, '0')}`
        add({id, institution, person: `P${id}`, month, admit: 1 + Math.floor(random() * 12), los, dx: severe ? `I63.900|${mcc ? 'J96.000' : 'J18.900'}|I10.x00` : 'I63.900|I10.x00', costFen})
      }
    }
  }
  // Planted: the same person back at the same institution 2–12 days after discharge, for the same stroke.
  const pairs: string[] = []
  const plant = (institution: string, month: number, gapDays: number, n: number, secondMonth = month): void => {
    const person = `SPLIT-${institution}-${n}`
    const first: Stay = {id: `A-${institution}-${n}`, institution, person, month, admit: 3, los: 6, dx: 'I63.900|I10.x00', costFen: 1_000_000}
    const second: Stay = {...first, id: `B-${institution}-${n}`, month: secondMonth, admit: secondMonth === month ? 9 + gapDays : gapDays, los: 5, costFen: 900_000}
    add({...first, person})
    add({...second, person})
    pairs.push(`${first.id} → ${second.id}`)
  }
  for (let n = 0; n < 6; n++) plant('H006', 1 + n * 2, 2 + n, n)
  for (let n = 0; n < 3; n++) plant('H002', 2 + n * 3, 3 + n * 3, n)
  for (let n = 0; n < 2; n++) plant('H007', 4 + n * 4, 4, n)
  // Across a month end: discharged 2025-05-25 (admitted the 19th), back on 2025-06-02.
  const person = 'SPLIT-H007-cross'
  add({id: 'A-H007-cross', institution: 'H007', person, month: 5, admit: 19, los: 6, dx: 'I63.900', costFen: 1_000_000})
  add({id: 'B-H007-cross', institution: 'H007', person, month: 6, admit: 2, los: 5, dx: 'I63.900', costFen: 900_000})
  pairs.push('A-H007-cross → B-H007-cross')
  // Controls: back after 40 days; back within 5 days at another institution; back within 5 days for pneumonia; a Z51 chemotherapy session.
  add({id: 'C-late-1', institution: 'H004', person: 'CTRL-late', month: 2, admit: 1, los: 5, dx: 'I63.900', costFen: 1_000_000})
  add({id: 'C-late-2', institution: 'H004', person: 'CTRL-late', month: 3, admit: 18, los: 5, dx: 'I63.900', costFen: 1_000_000})
  add({id: 'C-other-1', institution: 'H001', person: 'CTRL-other', month: 7, admit: 1, los: 5, dx: 'I63.900', costFen: 1_000_000})
  add({id: 'C-other-2', institution: 'H008', person: 'CTRL-other', month: 7, admit: 9, los: 5, dx: 'I63.900', costFen: 1_000_000})
  add({id: 'C-dx-1', institution: 'H001', person: 'CTRL-dx', month: 8, admit: 1, los: 5, dx: 'I63.900', costFen: 1_000_000})
  add({id: 'C-dx-2', institution: 'H001', person: 'CTRL-dx', month: 8, admit: 9, los: 5, dx: 'J18.900', costFen: 600_000})
  add({id: 'C-z51-1', institution: 'H008', person: 'CTRL-z51', month: 9, admit: 1, los: 5, dx: 'Z51.101|C34.900', costFen: 600_000})
  add({id: 'C-z51-2', institution: 'H008', person: 'CTRL-z51', month: 9, admit: 9, los: 5, dx: 'Z51.101|C34.900', costFen: 600_000})
  return {months, pairs}
}

async function auditedYear(): Promise<{dir: string; pairs: string[]}> {
  const dir = tempDir()
  const {months, pairs} = plantedYear()
  writeFileSync(join(dir, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...INSTITUTIONS.map((id) => `${id},医院${id},三级,1.00,职工`)].join('\n'))
  writeFileSync(join(dir, 'w.csv'), 'drg,weight,institution_level,avg_cost\nBR21,2.1,,14000\nBR23,1.8,,12000\nBR25,1.5,,10000\nES31,1.4,,9000\nES33,1.1,,7000\nES35,0.9,,6000\n')
  writeFileSync(join(dir, 'p.yaml'), yearPolicy())
  const commands: string[][] = [['init'], ['scheme', 'import', DEMO_DIR], ['institution', 'import', 'inst.csv'], ['weights', 'import', '--year', '2025', 'w.csv'], ['policy', 'import', 'p.yaml']]
  for (const [month, rows] of months) {
    writeFileSync(join(dir, `c${month}.csv`), [HEADER, ...rows].join('\n'))
    commands.push(['cases', 'import', '--month', `2025-${pad(month)}`, `c${month}.csv`], ['pay', '--month', `2025-${pad(month)}`])
  }
  await ybAll(dir, commands)
  return {dir, pairs}
}

describe('yb audit on a year with planted anomalies', () => {
  it('finds every planted one and raises nothing else', async () => {
    const {dir, pairs} = await auditedYear()
    const run = await yb(dir, ['audit', '--year', '2025', '--out', 'audit.xlsx', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout)
    const found = r.splitAdmissions.map((s: {first: {settlementId: string}; second: {settlementId: string}}) => `${s.first.settlementId} → ${s.second.settlementId}`)
    const raised = r.institutions.filter((s: {raised: boolean}) => s.raised).map((s: {kind: string; institutionId: string}) => `${s.kind} ${s.institutionId}`)
    // 低倍率 is the same behaviour as 低标入院 seen through the payment: H005's cheap stays are low outliers.
    const planted = [...pairs, 'upcoding H003', 'low_standard H005', 'low_outlier H005']
    const flagged = [...found, ...raised]
    const hits = flagged.filter((f: string) => planted.includes(f)).length
    console.log(`yb audit, planted anomalies: precision ${hits}/${flagged.length}, recall ${hits}/${planted.length}`)
    expect(found.sort()).toEqual([...pairs].sort())
    expect(raised.sort()).toEqual(['low_outlier H005', 'low_standard H005', 'upcoding H003'])
    // The evidence: H003's share against the rest's, the z it rests on, and the complications that drove its splits.
    const upcoding = r.institutions.find((s: {kind: string; institutionId: string}) => s.kind === 'upcoding' && s.institutionId === 'H003')
    expect(Number(upcoding.share)).toBeGreaterThan(0.55)
    expect(Number(upcoding.peerShare)).toBeLessThan(0.35)
    expect(Number(upcoding.z)).toBeGreaterThan(10)
    expect(r.upcodingDrivers.H003.map((d: {code: string}) => d.code).sort()).toEqual(['J18.900', 'J96.000'])
    expect(r.splitAdmissions.find((s: {second: {settlementId: string}}) => s.second.settlementId === 'B-H007-cross')).toMatchObject({gapDays: 8, relation: 'same_adrg'})
    expect(r.raised).toMatchObject({split_admission: 12, upcoding: 1, low_standard: 1, low_outlier: 1, qy_ungroupable: 0})

    // The file for the 稽核 team: the raised signals, the pairs, every institution's values, each case of each signal.
    const sheets = readXlsx(readFileSync(join(dir, 'audit.xlsx')), 'audit.xlsx')
    expect([...sheets.keys()]).toEqual(['预警', '分解住院', '机构', '病例'])
    expect(sheets.get('预警')!.slice(1).map((row) => `${row[1]} ${row[0]}`).sort()).toEqual(['低倍率 H005', '低标入院 H005', '高套 H003'])
    expect(sheets.get('分解住院')!.length).toBe(1 + 12)
    expect(sheets.get('机构')!.length).toBe(1 + 8 * 4)
    const caseIds = new Set(sheets.get('病例')!.slice(1).map((row) => row[4]))
    // A row per case and signal: 24 stays of the 12 pairs, H003's MCC/CC cases, H005's cheap stays under two signals.
    expect(caseIds.size).toBe(r.casesFlagged)
    expect(sheets.get('病例')!.filter((row) => row[1] === '分解住院').length).toBe(24)
    expect(caseIds.has('B-H007-cross')).toBe(true)
    expect((await yb(dir, ['audit', '--year', '2025', '--out', 'audit.csv'])).exitCode).toBe(0)
    expect(readFileSync(join(dir, 'audit.csv'), 'utf8').split('\n')[0]).toBe('\uFEFF信号编号,信号,机构编码,说明,结算流水号')

    // A month's audit reaches back into the month before for the first stay of a pair.
    const june = JSON.parse((await yb(dir, ['audit', '--month', '2025-06', '--json'])).stdout)
    expect(june.splitAdmissions.map((s: {second: {settlementId: string}}) => s.second.settlementId)).toContain('B-H007-cross')

    // yb review's filter shows the flagged cases of the newest audit of the month (or its year).
    const {db} = openWorkspace({path: join(dir, 'yibao.db'), create: false})
    try {
      expect(reviewSource(db, '2025-06').count({flag: 'split_admission'})).toBe(1)
      expect(reviewSource(db, '2025-01').count({flag: 'split_admission'})).toBe(2)
      expect(reviewSource(db, '2025-03').count({flag: 'upcoding', institution: 'H003'})).toBeGreaterThan(30)
      expect(reviewSource(db, '2025-03').count({flag: 'upcoding', institution: 'H001'})).toBe(0)
    } finally {
      db.close()
    }
  }, 120_000)
})
