// Proves the data behind the screens and the commands around them: the review source pages a
// real workspace by key in both directions with every filter (the same contract the screen tests
// use), the dashboard's figures (CMI, paid to date, projection) as computed by hand, both commands
// refusing without a terminal, and, in tmux, a whole review: filter to QY, open the case, mark
// it for 特例单议, quit, and find the mark in the workspace.
import {execFileSync, spawnSync} from 'node:child_process'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {openWorkspace} from '../../src/store/db.js'
import {monthRunIds, reviewSource} from '../../src/store/review.js'
import {BIN} from '../helpers.js'
import {paidRegion} from './region.js'
import {yb, ybAll} from './run.js'

// A QY case: a delivery (MDCO) with a coronary stent, which no MDCO ADRG takes (demo pack).
const QY_CASE = 'Q1,H001,居民,2025-03-13,2,30,11000,,4,1,O80.000|N40.x00|K80.100,36.0601,3113.40,1748.75,0,0,0'

describe('the review source', () => {
  it('pages the run by key forward and backward, with every filter, and counts', async () => {
    const {dir, pay} = await paidRegion([QY_CASE])
    const {db} = openWorkspace({path: join(dir, 'yibao.db'), create: false})
    try {
      const source = reviewSource(db, '2025-03')
      // The title's Σ fund of a filter is the run's own sum of its cases, to the 分; the run shown is the current one.
      expect(source.fundTotal!({institution: 'H003'})).toBe(pay.institutions.find((i) => i.institutionId === 'H003')!.casesFundYuan)
      expect(source.currentRunId!()).toBe(source.runId)
      const ids = (rows: {settlementId: string}[]) => rows.map((r) => r.settlementId)
      expect(source.count({})).toBe(7)
      expect(ids(source.page({}, {after: ''}, 3))).toEqual(['Q1', 'S1', 'S4'])
      expect(ids(source.page({}, {after: 'S4'}, 3))).toEqual(['S5', 'S7', 'S8'])
      expect(ids(source.page({}, {before: 'S7'}, 3))).toEqual(['S1', 'S4', 'S5'])
      expect(ids(source.page({}, {before: 'Q1'}, 3))).toEqual([])
      expect(source.page({status: 'qy'}, {after: ''}, 10)).toEqual([
        expect.objectContaining({settlementId: 'Q1', institutionId: 'H001', institutionName: '市第一人民医院', mdc: 'MDCO', group: 'OQY', status: 'qy', payment: 'discounted_items', fundYuan: '1399.00', dx: 'O80.000', px: '36.0601', special: ''}),
      ])
      expect(ids(source.page({status: 'ungroupable'}, {after: ''}, 10))).toEqual(['S5'])
      expect(ids(source.page({outlier: 'high'}, {after: ''}, 10))).toEqual(['S4', 'S8'])
      expect(ids(source.page({institution: 'H003', group: 'BR25'}, {after: ''}, 10))).toEqual(['S7', 'S8', 'S9'])
      expect(ids(source.page({mdc: 'MDCO'}, {after: ''}, 10))).toEqual(['Q1'])
      expect(ids(source.page({text: 'J96'}, {after: ''}, 10))).toEqual(['S4'])
      // LIKE's wildcards in the text are taken literally.
      expect(source.count({text: '%'})).toBe(0)
      expect(source.count({text: '_'})).toBe(0)
      expect(source.count({institution: 'H003'})).toBe(3)
      // Sorted by fund, largest first (ties by id), paged both ways by key, with a filter too.
      const all = source.page({}, {after: ''}, 100)
      const byFund = [...all].sort((a, b) => Number(BigInt(b.fundYuan.replace('.', '')) - BigInt(a.fundYuan.replace('.', ''))) || (a.settlementId < b.settlementId ? -1 : 1)).map((r) => r.settlementId)
      expect(ids(source.page({sort: 'fund'}, {after: ''}, 100))).toEqual(byFund)
      expect(ids(source.page({sort: 'fund'}, {after: byFund[2]!}, 2))).toEqual(byFund.slice(3, 5))
      expect(ids(source.page({sort: 'fund'}, {before: byFund[4]!}, 2))).toEqual(byFund.slice(2, 4))
      expect(ids(source.page({sort: 'fund', institution: 'H003'}, {after: ''}, 100))).toEqual(byFund.filter((id) => all.find((r) => r.settlementId === id)!.institutionId === 'H003'))
      expect(source.count({sort: 'fund'})).toBe(7)
      for (const sort of ['cost', 'weight', 'los', 'deviation'] as const) expect(ids(source.page({sort}, {after: ''}, 100)).sort(), sort).toEqual(ids(all).sort())
      // The unsorted list is as it was.
      expect(ids(source.page({}, {after: ''}, 3))).toEqual(['Q1', 'S1', 'S4'])
      expect(() => reviewSource(db, '2025-04')).toThrow(/2025-04 has no payment run to review/)
      expect(monthRunIds(db, '2025-03')).toEqual([source.runId])
      expect(reviewSource(db, '2025-03', source.runId).count({})).toBe(7)
      expect(() => reviewSource(db, '2025-03', 999)).toThrow(/run 999 is not a payment run of 2025-03/)
    } finally {
      db.close()
    }
  })
})

describe('yb dashboard and yb review without a terminal', () => {
  it('gives the dashboard figures as --json: CMI, paid to date and the projection', async () => {
    const {dir} = await paidRegion()
    const run = await yb(dir, ['dashboard', '--year', '2025', '--json'])
    expect(run.exitCode, run.stderr).toBe(0)
    const data = JSON.parse(run.stdout)
    expect(data.monthsPaid).toEqual(['2025-03'])
    const h001 = data.institutions.find((i: {institutionId: string}) => i.institutionId === 'H001')
    const h003 = data.institutions.find((i: {institutionId: string}) => i.institutionId === 'H003')
    // H001: S1 BR25 1.5 and S4 BR21 2.1 by their group (S5 is 0000): CMI 3.6 ÷ 2 = 1.8000. H003: three BR25 cases, 1.5000.
    expect(h001).toMatchObject({cases: 3, weightedCases: 2, cmi: '1.8000', paidYuan: '32002.34', withheldYuan: '1684.33'})
    // H003: paid 28406.05, withheld 1495.05; one month paid, no prepayment: 1495.05 × 12 = 17940.60.
    expect(h003).toMatchObject({cases: 3, weightedCases: 3, cmi: '1.5000', paidYuan: '28406.05', withheldYuan: '1495.05', projectedBalanceYuan: '17940.60'})
    expect(h003.monthlyPaidYuan[2]).toBe('28406.05')
    expect(h003.monthlyPaidYuan[0]).toBe(null)
    // Template budget: 997,500,000.00 a year; one month to date = 83,125,000.00.
    expect(data.budget).toMatchObject({availableYuan: '997500000.00', toDateYuan: '83125000.00'})
  })

  it('refuses the screens without a TTY and names the commands for scripts', async () => {
    const {dir} = await paidRegion()
    const review = await yb(dir, ['review', '--month', '2025-03'])
    expect(review.exitCode).toBe(1)
    expect(review.stderr).toContain('yb review is interactive and needs a terminal')
    // The commands it names only read: following the hint makes no new run.
    expect(review.stderr).toContain('`yb runs list --month 2025-03` then `yb runs show <run> --cases --json`')
    const runs = JSON.parse((await yb(dir, ['runs', 'list', '--month', '2025-03', '--json'])).stdout).runs
    expect(runs.map((r: {runId: number; current: boolean}) => [r.runId, r.current])).toEqual([[1, true]])
    const page = JSON.parse((await yb(dir, ['runs', 'show', '1', '--cases', '--limit', '2', '--json'])).stdout)
    expect([page.cases.map((c: {settlementId: string}) => c.settlementId), page.next]).toEqual([['S1', 'S4'], 'S4'])
    expect(JSON.parse((await yb(dir, ['runs', 'list', '--month', '2025-03', '--json'])).stdout).runs).toHaveLength(1)
    const dashboard = await yb(dir, ['dashboard', '--year', '2025'])
    expect(dashboard.exitCode).toBe(1)
    expect(dashboard.stderr).toContain('`yb dashboard --year 2025 --json`')
  })
})

const tmux = spawnSync('tmux', ['-V']).status === 0
if (!tmux) console.log('notice: tmux is not installed; the end-to-end review test is skipped (.ci/run installs it)')

describe.skipIf(!tmux)('yb review in tmux', () => {
  it('filters to QY, opens the case, marks it for 特例单议 with a note, quits, and the mark is in the workspace', async () => {
    const {dir} = await paidRegion([QY_CASE])
    const session = `yb-review-${process.pid}`
    const t = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'})
    const screen = () => t('capture-pane', '-p', '-t', session)
    const waitFor = async (text: string) => {
      for (let k = 0; k < 200; k++) {
        const shown = screen()
        if (shown.includes(text)) return shown
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error(`"${text}" never appeared; the screen was:\n${screen()}`)
    }
    const command = `cd ${dir} && env -u CI YB_DB=${join(dir, 'yibao.db')} ${process.execPath} ${BIN} review --month 2025-03; echo "exited $?"; sleep 30`
    t('new-session', '-d', '-s', session, '-x', '110', '-y', '32', command)
    try {
      await waitFor('yb review 2025-03')
      t('send-keys', '-t', session, 's')
      await waitFor('筛选: 状态=QY')
      t('send-keys', '-t', session, 'Enter')
      const opened = await waitFor('病例 Q1')
      expect(opened).toContain('O80.000')
      expect(opened).toContain('OQY')
      t('send-keys', '-t', session, 'm')
      await waitFor('特例单议 备注')
      t('send-keys', '-t', session, '-l', '费用异常请复核')
      await waitFor('费用异常请复核')
      t('send-keys', '-t', session, 'Enter')
      await waitFor('特例单议 ★待审')
      t('send-keys', '-t', session, 'q')
      await waitFor('exited 0')
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session])
    }
    const db = new Database(join(dir, 'yibao.db'), {readonly: true})
    const mark = db.prepare('SELECT settlement_id, decision, note, source FROM special_case').all()
    db.close()
    expect(mark).toEqual([{settlement_id: 'Q1', decision: 'pending', note: '费用异常请复核', source: 'review'}])
    // The next payment counts it.
    await ybAll(dir, [['period', 'reopen', '--month', '2025-03', '--reason', 'review']])
    expect(JSON.parse((await yb(dir, ['pay', '--month', '2025-03', '--json'])).stdout).specialPending).toBe(1)
  })
})
