// Proves the dashboard screen: institutions with bars and sparklines drawn from the levels it is
// given, columns that stay lined up with Chinese names, moving with j/k and ↑/↓ (the detail line
// follows), sorting with s, the key help, and quitting.
import {render} from 'ink-testing-library'
import {renderAt} from './terminal.js'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import type {DashboardData, DashboardInstitution} from '../../src/app/dashboard.js'
import {bar, DashboardApp, sparkline} from '../../src/tui/dashboard.js'

const institution = (id: string, name: string, paidYuan: string, cmi: string, projectedBalanceYuan: string, paidBar: number, spark: number[]): DashboardInstitution => ({
  institutionId: id,
  name,
  level: '三级',
  cases: 1200,
  weightedCases: 1100,
  cmi,
  fundDueYuan: paidYuan,
  paidYuan,
  withheldYuan: '1000.00',
  prepaidYuan: '500.00',
  projectedBalanceYuan,
  clearedBalanceYuan: null,
  cleared: null,
  costIndex: null,
  timeIndex: null,
  monthlyPaidYuan: [...spark.map((l) => (l < 0 ? null : `${l}00.00`))],
  paidBar,
  spark,
})

const DATA: DashboardData = {
  year: 2025,
  method: 'DRG',
  region: {code: '230100', name: '测试统筹区'},
  monthsPaid: ['2025-01', '2025-02', '2025-03'],
  budget: {availableYuan: '997500000.00', toDateYuan: '249375000.00', fundDueYuan: '200000000.00', usedPercent: '80.2', position: 'under'},
  monthly: [],
  clearRunId: null,
  monthlySpark: [0, 7, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1],
  institutions: [
    institution('H001', '市第一人民医院', '9000000.00', '1.1000', '-20000.00', 80, [7, 0, 4, -1, -1, -1, -1, -1, -1, -1, -1, -1]),
    institution('H002', '区中医院', '12000000.00', '0.9000', '5000.00', 60, [1, 2, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1]),
    institution('H003', 'County', '300.50', '', '-99999.00', 3, [3, 3, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1]),
  ],
  projection: '预计年终应补应扣 = 预留至今 × 12 ÷ 已付月数 − 预付金冲抵',
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 30))

function setup() {
  const app = render(<DashboardApp data={DATA} height={5} />)
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key)
      await tick()
    }
  }
  const frame = () => app.lastFrame() ?? ''
  const order = () => [...frame().matchAll(/^[ ▶](H\d{3}) /gm)].map((m) => m[1])
  return {press, frame, order, selected: () => /^▶(H\d{3}) /m.exec(frame())?.[1]}
}

describe('yb dashboard screen', () => {
  it('draws bars and sparklines from their levels', () => {
    expect(bar(128, 16)).toBe('█'.repeat(16))
    expect(bar(3, 4)).toBe('▍   ')
    expect(bar(12, 4)).toBe('█▌  ')
    expect(sparkline([0, 7, 3, -1])).toBe('▁█▄ ')
  })

  it('shows the budget line, the region sparkline, and institutions sorted by paid with aligned columns', () => {
    const t = setup()
    expect(t.frame()).toContain('yb dashboard 2025 — 230100 测试统筹区 · DRG · 已付 3/12 个月 · 排序 已拨付 ↓')
    expect(t.frame()).toContain('可用预算 997,500,000.00 · 至今 249,375,000.00 · 基金应付 200,000,000.00 (80.2% ▼低于进度预算) · 月')
    expect(t.order()).toEqual(['H002', 'H001', 'H003'])
    const lines = t.frame().split('\n').filter((line) => /^[ ▶]H\d{3} /.test(line))
    expect(new Set(lines.map((line) => stringWidth(line))).size).toBe(1)
    expect(lines[1]).toContain(`${'█'.repeat(10)} `)
    expect(lines[1]).toContain('█▁▅')
    expect(lines[2]).toMatch(/ — +300\.50/)
  })

  it('moves with j/k and ↓/↑, the detail line following the selection', async () => {
    const t = setup()
    expect(t.frame()).toContain('H002 区中医院: 预留 1,000.00 · 预付金 500.00')
    await t.press('j')
    expect(t.selected()).toBe('H001')
    expect(t.frame()).toContain('H001 市第一人民医院: 预留')
    await t.press('\u001B[B', '\u001B[B')
    expect(t.selected()).toBe('H003')
    await t.press('k', '\u001B[A')
    expect(t.selected()).toBe('H002')
  })

  it('sorts with s: CMI, then projected balance, then institution id', async () => {
    const t = setup()
    await t.press('s')
    expect(t.frame()).toContain('排序 CMI ↓')
    expect(t.order()).toEqual(['H001', 'H002', 'H003'])
    await t.press('s')
    expect(t.order()).toEqual(['H003', 'H001', 'H002'])
    await t.press('s')
    expect(t.order()).toEqual(['H001', 'H002', 'H003'])
    await t.press('s')
    expect(t.order()).toEqual(['H002', 'H001', 'H003'])
  })

  it('shows the keys with ? and quits with q', async () => {
    const t = setup()
    await t.press('?')
    expect(t.frame()).toContain('yb dashboard — keys')
    expect(t.frame()).toMatch(/^s +sort/m)
    await t.press('?')
    expect(t.order()).toEqual(['H002', 'H001', 'H003'])
    await t.press('q')
    const after = t.frame()
    await t.press('j')
    expect(t.frame()).toBe(after)
  })
})

describe('after the clearing, and against the budget', () => {
  it("shows each institution's balance as cleared, names the run, and marks a year over its budget to date", async () => {
    const cleared: DashboardData = {
      ...DATA,
      clearRunId: 15,
      budget: {...DATA.budget, usedPercent: '107.8', position: 'over'},
      institutions: DATA.institutions.map((i, k) => ({...i, clearedBalanceYuan: ['2311632.08', '-722695.38', '0.00'][k]!, cleared: {entitledYuan: '11375395.01', bandAdjustmentYuan: '-1046219.89', depositForfeitedYuan: '77468.81', deductionsYuan: '0.00'}})),
      projection: '年终应补应扣 as cleared by run 15',
    }
    const app = render(<DashboardApp data={cleared} height={5} />)
    await new Promise((resolve) => setTimeout(resolve, 30))
    const frame = app.lastFrame()!
    expect(frame).toContain('年终清算')
    expect(frame).not.toContain('预计年终')
    expect(frame).toContain('2,311,632.08')
    expect(frame).not.toContain('-20,000.00')
    expect(frame).toContain('107.8% ▲超进度预算')
    expect(frame).toContain('cleared by run 15')
    // The cursor row's clearing lines on the detail line.
    expect(frame).toContain('统筹基金应支付 11,375,395.01 · 结余/超支调整 -1,046,219.89')
    app.unmount()
  })
})

describe('the consumption indexes', () => {
  it('show … until the worker answers, then its figures', async () => {
    let answer: (indexes: Record<string, {costIndex: string; timeIndex: string}>) => void = () => undefined
    const indexes = new Promise<Record<string, {costIndex: string; timeIndex: string}>>((resolve) => (answer = resolve))
    const app = renderAt(<DashboardApp data={DATA} height={5} width={160} indexes={indexes} />, 160, 20)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(app.lastFrame()).toContain('费用指数')
    expect(app.lastFrame()).toContain('…')
    answer({H001: {costIndex: '1.1234', timeIndex: '0.9876'}, H002: {costIndex: '0.9000', timeIndex: '1.0500'}, H003: {costIndex: '', timeIndex: ''}})
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(app.lastFrame()).toContain('1.1234')
    expect(app.lastFrame()).toContain('0.9876')
    app.unmount()
  })
})

