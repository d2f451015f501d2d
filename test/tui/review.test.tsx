// Proves the review screens and every key: moving and scrolling a window of rows read page by
// page from the source (never the whole month), paging, each filter key and prompt, opening a
// case and scrolling it, marking and unmarking 特例单议 with a note, the key help, and quitting;
// and that Chinese names keep the columns lined up.
import {render} from 'ink-testing-library'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import type {CaseView} from '../../src/app/review-case.js'
import type {ReviewRow} from '../../src/store/review.js'
import {arraySource, row} from './sources.js'
import {filterText, ReviewApp, rowText} from '../../src/tui/review.js'

const ROWS: readonly ReviewRow[] = [
  row('S01', 'H001', '市第一人民医院', 'grouped', 'normal', 'BR25', 'I63.900', '12126.67'),
  row('S02', 'H001', '市第一人民医院', 'qy', 'normal', 'BQY', 'I63.900', '1399.00'),
  row('S03', 'H002', '区中医院', 'grouped', 'high', 'BR21', 'I63.901', '15960.00'),
  row('S04', 'H002', '区中医院', 'ungroupable', 'normal', '0000', 'Z51.100', '5600.00'),
  row('S05', 'H003', 'County Hospital', 'grouped', 'low', 'FM39', 'I48.000', '4344.44'),
  row('S06', 'H003', 'County Hospital', 'qy', 'normal', 'OQY', 'O80.000', '2000.00'),
  row('S07', 'H001', '市第一人民医院', 'invalid', 'normal', '', '', '0.00'),
  row('S08', 'H002', '区中医院', 'grouped', 'normal', 'BR25', 'I63.900', '9000.00'),
]

const tick = () => new Promise((resolve) => setTimeout(resolve, 30))
const KEY = {down: '\u001B[B', up: '\u001B[A', pageDown: '\u001B[6~', pageUp: '\u001B[5~', enter: '\r', escape: '\u001B', backspace: '\u007F'}

function setup(height = 3) {
  const source = arraySource(ROWS, {S03: ['upcoding'], S05: ['split_admission'], S08: ['split_admission', 'low_standard']})
  const marks: [string, string][] = []
  const unmarks: string[] = []
  const opened: string[] = []
  const openCase = (id: string): CaseView => {
    opened.push(id)
    return {lines: Array.from({length: 6}, (_, k) => `${id} line ${k + 1}`), special: source.data.find((r) => r.settlementId === id)!.special}
  }
  const app = render(
    <ReviewApp
      source={source}
      height={height}
      openCase={openCase}
      mark={(id, note) => {
        marks.push([id, note])
        source.data.find((r) => r.settlementId === id)!.special = 'pending'
      }}
      unmark={(id) => {
        unmarks.push(id)
        const r = source.data.find((d) => d.settlementId === id)!
        const had = r.special === 'pending'
        r.special = ''
        return had
      }}
    />,
  )
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key)
      await tick()
    }
  }
  const frame = () => app.lastFrame() ?? ''
  const ids = () => [...frame().matchAll(/^[ ▶](S\d\d) /gm)].map((m) => m[1])
  const selected = () => /^▶(S\d\d) /m.exec(frame())?.[1]
  return {app, source, marks, unmarks, opened, press, frame, ids, selected}
}

describe('yb review list', () => {
  it('shows the first page with the count, and lines up Chinese names in the columns', () => {
    const t = setup()
    expect(t.frame()).toContain('yb review 2025-03 — run 7 · 1/8 cases · 筛选: 全部')
    expect(t.ids()).toEqual(['S01', 'S02', 'S03'])
    expect(t.selected()).toBe('S01')
    // Only one page was read, not the month.
    expect(t.source.served).toBe(3)
    const widths = t.frame().split('\n').filter((line) => /^[ ▶]S\d\d /.test(line)).map((line) => stringWidth(line))
    expect(new Set(widths).size).toBe(1)
    expect(stringWidth(rowText(ROWS[0]!))).toBe(stringWidth(rowText(ROWS[4]!)))
  })

  it('moves with ↓/j and ↑/k, scrolling the window one row past its edges', async () => {
    const t = setup()
    await t.press(KEY.down, 'j')
    expect(t.selected()).toBe('S03')
    await t.press('j')
    expect(t.ids()).toEqual(['S02', 'S03', 'S04'])
    expect(t.selected()).toBe('S04')
    await t.press('k', KEY.up, 'k')
    expect(t.ids()).toEqual(['S01', 'S02', 'S03'])
    expect(t.selected()).toBe('S01')
    await t.press('k')
    expect(t.selected()).toBe('S01')
  })

  it('pages with PgDn/space and PgUp/b, stopping at the ends', async () => {
    const t = setup()
    await t.press(KEY.pageDown)
    expect(t.ids()).toEqual(['S04', 'S05', 'S06'])
    await t.press(' ')
    expect(t.ids()).toEqual(['S06', 'S07', 'S08'])
    await t.press(' ')
    expect(t.ids()).toEqual(['S06', 'S07', 'S08'])
    expect(t.selected()).toBe('S08')
    await t.press(KEY.pageUp, 'b')
    expect(t.ids()).toEqual(['S01', 'S02', 'S03'])
  })

  it('cycles the status filter with s and the outlier filter with o, and clears with x', async () => {
    const t = setup()
    await t.press('s')
    expect(t.frame()).toContain('2 cases · 筛选: 状态=QY')
    expect(t.ids()).toEqual(['S02', 'S06'])
    await t.press('s')
    expect(t.ids()).toEqual(['S04'])
    await t.press('x', 'o')
    expect(t.frame()).toContain('筛选: 偏差=高倍率')
    expect(t.ids()).toEqual(['S03'])
    await t.press('o')
    expect(t.ids()).toEqual(['S05'])
    await t.press('x')
    expect(t.frame()).toContain('8 cases · 筛选: 全部')
  })

  it('filters by institution (i), MDC (M), group (g) and code text (/) through a prompt; Esc cancels and backspace edits', async () => {
    const t = setup()
    await t.press('i')
    expect(t.frame()).toContain('机构编码: ▏')
    await t.press('H00', '3', KEY.enter)
    expect(t.frame()).toContain('筛选: 机构=H003')
    expect(t.ids()).toEqual(['S05', 'S06'])
    await t.press('x', 'M', 'MDCF', KEY.enter)
    expect(t.ids()).toEqual(['S05'])
    await t.press('x', 'g', 'BR25', KEY.enter)
    expect(t.ids()).toEqual(['S01', 'S08'])
    await t.press('x', '/', 'I63.99', KEY.backspace, '1', KEY.enter)
    expect(t.frame()).toContain('编码含"I63.91"')
    expect(t.frame()).toContain('(no case matches: x clears the filters)')
    await t.press('x', '/', 'I63', KEY.escape)
    expect(t.frame()).toContain('筛选: 全部')
    await t.press('/', 'I63.90', KEY.enter)
    expect(t.ids()).toEqual(['S01', 'S02', 'S03'])
    expect(t.frame()).toContain('4 cases')
  })
})

describe('yb review case screen, marks and help', () => {
  it('opens the selected case with Enter, scrolls it with j/k, and goes back with Esc', async () => {
    const t = setup()
    await t.press('j', KEY.enter)
    expect(t.opened).toEqual(['S02'])
    expect(t.frame()).toContain('病例 S02')
    expect(t.frame()).toContain('S02 line 1')
    expect(t.frame()).not.toContain('S02 line 4')
    await t.press('j', KEY.down, 'j', 'j')
    expect(t.frame()).toContain('S02 line 6')
    expect(t.frame()).not.toContain('S02 line 3')
    await t.press('k')
    expect(t.frame()).toContain('S02 line 3')
    await t.press(KEY.escape)
    expect(t.selected()).toBe('S02')
  })

  it('marks the case for 特例单议 with a note (m) in the case screen and in the list, and unmarks it (u)', async () => {
    const t = setup()
    await t.press('s', KEY.enter, 'm')
    expect(t.frame()).toContain('特例单议 备注: ▏')
    await t.press('费用异常', KEY.enter)
    expect(t.marks).toEqual([['S02', '费用异常']])
    expect(t.frame()).toContain('病例 S02 · 特例单议 ★待审')
    await t.press(KEY.escape)
    expect(t.frame()).toMatch(/▶S02 .*★待审/)
    await t.press('j', 'm', '复核', KEY.enter)
    expect(t.marks).toEqual([['S02', '费用异常'], ['S06', '复核']])
    await t.press('u')
    expect(t.unmarks).toEqual(['S06'])
    expect(t.frame()).toContain('S06 unmarked')
    expect(t.frame()).not.toMatch(/S06 .*★待审/)
    await t.press('u')
    expect(t.frame()).toContain('S06 has no pending mark')
  })

  it('shows every key with ? and closes it with ?, and quits with q', async () => {
    const t = setup()
    await t.press('?')
    expect(t.frame()).toContain('yb review — keys')
    for (const key of ['Enter', 's', 'o', 'i  M  g', '/', 'x', 'm', 'u', 'q']) expect(t.frame()).toMatch(new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +\\S`, 'm'))
    await t.press('?')
    expect(t.ids()).toEqual(['S01', 'S02', 'S03'])
    await t.press('q')
    const after = t.frame()
    await t.press('j')
    // Quit: the app no longer answers keys.
    expect(t.frame()).toBe(after)
  })

  it('cycles the yb audit flags with F: any signal, then each one', async () => {
    const t = setup(5)
    await t.press('F')
    expect(t.frame()).toContain('3 cases · 筛选: 监管=任一预警')
    expect(t.ids()).toEqual(['S03', 'S05', 'S08'])
    await t.press('F')
    expect(t.frame()).toContain('筛选: 监管=分解住院')
    expect(t.ids()).toEqual(['S05', 'S08'])
    await t.press('F')
    expect(t.ids()).toEqual(['S03'])
    await t.press('x')
    expect(t.frame()).toContain('8 cases · 筛选: 全部')
  })

  it('names the filters in words', () => {
    expect(filterText({})).toBe('全部')
    expect(filterText({institution: 'H001', status: 'ungroupable', outlier: 'normal', text: 'I63'})).toBe('机构=H001 · 状态=0000 · 偏差=正常 · 编码含"I63"')
  })
})
