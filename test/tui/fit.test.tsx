// Every screen fits the terminal (issue 16): at 80×24, 120×40 and 250×60, with long Chinese
// institution names, no rendered line is wider than the terminal and no frame taller, and the
// title, the column header and the ▶ cursor stay on screen; for the review list, its case
// screen (a long explanation wraps instead of running off), its key help, and the dashboard.
// At 80 columns the list keeps the columns that matter most and the detail line shows the rest.
import {renderAt} from './terminal.js'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import type {CaseView} from '../../src/app/review-case.js'
import type {DashboardData, DashboardInstitution} from '../../src/app/dashboard.js'
import {DashboardApp} from '../../src/tui/dashboard.js'
import {ReviewApp} from '../../src/tui/review.js'
import {arraySource, row} from './sources.js'

const SIZES: readonly [number, number][] = [
  [80, 24],
  [120, 40],
  [250, 60],
]
const LONG_NAME = '哈尔滨医科大学附属第一医院群力院区'
const tick = () => new Promise((resolve) => setTimeout(resolve, 30))

const rows = Array.from({length: 120}, (_, k) =>
  row(`S${String(k).padStart(7, '0')}-2025030${k % 10}`, `H${String(k % 12).padStart(3, '0')}`, k % 3 === 0 ? LONG_NAME : '市第一人民医院', k % 7 === 0 ? 'qy' : 'grouped', k % 5 === 0 ? 'high' : 'normal', k % 7 === 0 ? 'BQY' : 'BR25', 'I63.900x001', `${(k * 12345.67).toFixed(2)}`),
)

const CASE: CaseView = {
  special: '',
  lines: [
    `结算流水号 S0000001 2025-03 H001 职工  ${LONG_NAME}`,
    `诊断: ${Array.from({length: 20}, (_, k) => `I63.90${k % 10}x00${k % 7}`).join(' ')}`,
    '',
    `分组路径: MDCB 神经系统疾病及功能障碍 → BR2 脑缺血性疾病 → BR25 脑缺血性疾病，不伴合并症或并发症 (主诊断 I63.900 在 BR2 的主诊表中; 无 MCC/CC: 其他诊断均被主诊断排除)`,
    `支付标准 = 权重 1.5000 × 费率 11111.11 × 系数 1.00 = 16666.67; 医疗总费用 14000.00 ÷ 支付标准 = 0.84 (正常病例); 统筹基金应支付 = 16666.67 × 0.85 = 14166.67`,
  ],
}

function frameLines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n')
}

function expectFits(frame: string | undefined, width: number, height: number, what: string): string[] {
  const lines = frameLines(frame)
  for (const line of lines) expect(stringWidth(line), `${what} at ${width}×${height}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width)
  expect(lines.length, `${what} at ${width}×${height}`).toBeLessThanOrEqual(height)
  return lines
}

describe('yb review fits the terminal', () => {
  for (const [width, height] of SIZES) {
    it(`at ${width}×${height}: list, case screen and key help`, async () => {
      const app = renderAt(<ReviewApp source={arraySource(rows)} height={height - 5} width={width} openCase={() => CASE} mark={() => undefined} unmark={() => true} />, width, height)
      await tick()
      let lines = expectFits(app.lastFrame(), width, height, 'list')
      expect(lines[0]).toContain('yb review 2025-03')
      expect(lines[1]).toContain('结算流水号')
      expect(lines[1]).toContain('基金应付')
      expect(lines.some((line) => line.startsWith('▶'))).toBe(true)
      // The detail line carries the full name whatever the width of the 机构 column.
      if (width >= 120) expect(lines.join('\n')).toContain(LONG_NAME)
      for (let k = 0; k < 30; k++) app.stdin.write('j')
      await tick()
      lines = expectFits(app.lastFrame(), width, height, 'list after moving')
      expect(lines[1]).toContain('结算流水号')
      expect(lines.some((line) => line.startsWith('▶'))).toBe(true)
      app.stdin.write('\r')
      await tick()
      lines = expectFits(app.lastFrame(), width, height, 'case screen')
      expect(lines[0]).toContain('病例 S')
      // Wrapped, not cut: the end of the longest line is on screen.
      expect(lines.join('')).toContain('14166.67')
      app.stdin.write('\u001B')
      await tick()
      app.stdin.write('?')
      await tick()
      lines = expectFits(app.lastFrame(), width, height, 'key help')
      expect(lines[0]).toContain('yb review — keys')
      app.unmount()
    })
  }

  it('at 80 columns keeps id, group, status, amount and institution, and leaves 险种 and MDC to the detail line', async () => {
    const app = renderAt(<ReviewApp source={arraySource(rows)} height={19} width={80} openCase={() => CASE} mark={() => undefined} unmark={() => true} />, 80, 24)
    await tick()
    const header = frameLines(app.lastFrame())[1]!
    for (const title of ['结算流水号', '机构', '病组', '状态', '基金应付']) expect(header).toContain(title)
    expect(header).not.toContain('MDC')
    const detail = frameLines(app.lastFrame()).at(-2)!
    expect(detail).toContain('MDC')
    app.unmount()
  })
})

const institution = (k: number): DashboardInstitution => ({
  institutionId: `H${String(k).padStart(3, '0')}`,
  name: k % 2 === 0 ? LONG_NAME : '市第一人民医院',
  level: '三级',
  cases: 12_000 + k,
  weightedCases: 11_000,
  cmi: '1.1000',
  fundDueYuan: '123456789.00',
  paidYuan: '98765432.10',
  withheldYuan: '1000.00',
  prepaidYuan: '500.00',
  projectedBalanceYuan: '-2311632.08',
  clearedBalanceYuan: null,
  cleared: null,
  costIndex: null,
  timeIndex: null,
  monthlyPaidYuan: Array.from({length: 12}, (_, m) => (m < 3 ? '8230452.68' : null)),
  paidBar: 40 + k,
  spark: Array.from({length: 12}, (_, m) => (m < 3 ? m + 2 : -1)),
})

const DATA: DashboardData = {
  year: 2025,
  method: 'DRG',
  region: {code: '230100', name: '哈尔滨市'},
  monthsPaid: ['2025-01', '2025-02', '2025-03'],
  budget: {availableYuan: '9975000000.00', toDateYuan: '2493750000.00', fundDueYuan: '2000000000.00', usedPercent: '80.2', position: 'under'},
  monthly: [],
  clearRunId: null,
  monthlySpark: [0, 7, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1],
  institutions: Array.from({length: 40}, (_, k) => institution(k + 1)),
  projection: '预计年终应补应扣 = 预留至今 × 12 ÷ 已付月数 − 预付金冲抵',
}

describe('yb dashboard fits the terminal', () => {
  for (const [width, height] of SIZES) {
    it(`at ${width}×${height}`, async () => {
      const app = renderAt(<DashboardApp data={DATA} height={height - 7} width={width} />, width, height)
      await tick()
      let lines = expectFits(app.lastFrame(), width, height, 'dashboard')
      expect(lines[0]).toContain('yb dashboard 2025')
      expect(lines[2]).toContain('机构')
      expect(lines[2]).toContain('已拨付')
      expect(lines.some((line) => line.startsWith('▶'))).toBe(true)
      for (let k = 0; k < 39; k++) app.stdin.write('j')
      await tick()
      lines = expectFits(app.lastFrame(), width, height, 'dashboard at the last row')
      expect(lines.some((line) => line.startsWith('▶'))).toBe(true)
      app.stdin.write('?')
      await tick()
      expectFits(app.lastFrame(), width, height, 'dashboard keys')
      app.unmount()
    })
  }
})

describe('the review title', () => {
  it("shows the cursor's position among the filter's cases as it moves and pages, their Σ fund, and a run superseded meanwhile", async () => {
    let current = 7
    const source = {...arraySource(rows), fundTotal: () => '8078280360.16', currentRunId: () => current}
    const app = renderAt(<ReviewApp source={source} height={10} width={120} openCase={() => CASE} mark={() => undefined} unmark={() => true} />, 120, 20)
    await tick()
    const title = () => frameLines(app.lastFrame())[0]!
    expect(title()).toContain('run 7 · 1/120 cases · 筛选: 全部 · 基金 8,078,280,360.16')
    for (let k = 0; k < 14; k++) app.stdin.write('j')
    await tick()
    expect(title()).toContain('15/120 cases')
    app.stdin.write(' ')
    await tick()
    expect(title()).toContain('25/120 cases')
    app.stdin.write('b')
    await tick()
    expect(title()).toContain('15/120 cases')
    for (let k = 0; k < 20; k++) app.stdin.write('k')
    await tick()
    expect(title()).toContain('1/120 cases')
    current = 9
    app.stdin.write('j')
    await tick()
    expect(title()).toContain('run 7 (superseded by run 9; r steps through the runs) · 2/120 cases')
    app.unmount()
  })
})

describe('an earlier run', () => {
  it('r steps through the month\'s runs: an earlier one is shown as superseded, and back to the current', async () => {
    const current = {...arraySource(rows), currentRunId: () => 7}
    const earlier = {...arraySource(rows.slice(0, 50)), runId: 5, currentRunId: () => 7}
    const opened: number[] = []
    const app = renderAt(
      <ReviewApp source={current} runs={() => [5, 7]} openRun={(id) => (opened.push(id), id === 5 ? earlier : current)} height={10} width={120} openCase={() => CASE} mark={() => undefined} unmark={() => true} />,
      120,
      20,
    )
    await tick()
    const title = () => frameLines(app.lastFrame())[0]!
    expect(title()).toContain('run 7 · 1/120 cases')
    app.stdin.write('r')
    await tick()
    expect(title()).toContain('run 5 (superseded by run 7; r steps through the runs) · 1/50 cases')
    app.stdin.write('r')
    await tick()
    expect(title()).toContain('run 7 · 1/120 cases')
    expect(opened).toEqual([5, 7])
    app.unmount()
  })
})

describe('a filter key on a large month', () => {
  it('answers with its first page before it counts, then shows the count and Σ', async () => {
    const base = arraySource(rows)
    let counts = 0
    const source = {...base, count: (f: Parameters<typeof base.count>[0]) => (counts++, base.count(f)), fundTotal: () => '1.00'}
    const app = renderAt(<ReviewApp source={source} height={10} width={120} openCase={() => CASE} mark={() => undefined} unmark={() => true} />, 120, 20)
    await tick()
    const before = counts
    app.stdin.write('o')
    // The key was handled (the filter is set) and nothing was counted yet.
    expect(counts).toBe(before)
    await tick()
    expect(counts).toBe(before + 1)
    const title = frameLines(app.lastFrame())[0]!
    expect(title).toMatch(/1\/\d+ cases · 筛选: 偏差=高倍率 · 基金 1\.00/)
    app.stdin.write('S')
    expect(counts).toBe(before + 1)
    await tick()
    await tick()
    expect(frameLines(app.lastFrame())[0]).toContain('排序 基金应付↓')
    app.unmount()
  })
})

describe('a resized terminal', () => {
  it('redraws the list and the dashboard to the new width and height', async () => {
    const review = renderAt(<ReviewApp source={arraySource(rows)} openCase={() => CASE} mark={() => undefined} unmark={() => true} />, 160, 40)
    await tick()
    expectFits(review.lastFrame(), 160, 40, 'review before')
    for (let k = 0; k < 30; k++) review.stdin.write('j')
    await tick()
    review.stdout.resize(80, 24)
    await tick()
    const lines = expectFits(review.lastFrame(), 80, 24, 'review after')
    expect(lines.some((line) => line.startsWith('▶'))).toBe(true)
    expect(lines[1]).toContain('结算流水号')
    review.unmount()
    const dashboard = renderAt(<DashboardApp data={DATA} />, 250, 60)
    await tick()
    expectFits(dashboard.lastFrame(), 250, 60, 'dashboard before')
    dashboard.stdout.resize(80, 24)
    await tick()
    expectFits(dashboard.lastFrame(), 80, 24, 'dashboard after')
    dashboard.unmount()
  })
})
