// yb review and yb dashboard in a real 80×24 terminal (tmux) on a month paid with a real pack
// (harbin-2022 and its 2022 weights from ../shared; skipped with a notice without tmux or
// ../shared): every screen line within 80 columns, the title, header and cursor on screen; filter
// by outlier, sort by amount, open a case, back; the dashboard sorted, Enter into an institution's cases, a case,
// and back to the dashboard.
import {execFileSync, spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import {policyTemplate} from '../../src/clearing/policy-template.js'
import {BIN, SHARED, sharedPresent} from '../helpers.js'
import {tempDir, ybAll} from './run.js'

const tmux = spawnSync('tmux', ['-V']).status === 0
if (!tmux) console.log('notice: tmux is not installed; the 80×24 terminal test is skipped (.ci/run installs it)')
const shared = sharedPresent('the 80×24 terminal test on harbin-2022')

describe.skipIf(!tmux || !shared)('yb review and yb dashboard at 80×24 on harbin-2022', () => {
  it('fit the terminal and go list → case → back, dashboard → institution → case → dashboard', async () => {
    const dir = tempDir()
    const levels = ['三级', '二级', '一级']
    writeFileSync(join(dir, 'inst.csv'), ['institution_id,name,level,coefficient,pools', ...Array.from({length: 12}, (_, k) => `H${String(k + 1).padStart(3, '0')},哈尔滨市第${k + 1}人民医院医疗集团总院,${levels[k % 3]},,职工|居民`)].join('\n'))
    writeFileSync(
      join(dir, 'p.yaml'),
      policyTemplate({year: 2025, regionCode: '230100', regionName: '哈尔滨市', scheme: 'harbin-2022', method: 'DRG'})
        .replace('rate_yuan_per_weight: computed', 'rate_yuan_per_weight: {职工: 12165.26, 居民: 12099.85}')
        .replace('missing_weight_max_share: 0.01', 'missing_weight_max_share: 0.05'),
    )
    await ybAll(dir, [
      ['init'],
      ['scheme', 'import', join(SHARED, 'schemes', 'harbin-2022')],
      ['institution', 'import', 'inst.csv'],
      ['weights', 'import', '--year', '2025', join(SHARED, 'reference', 'harbin-drg-weights', 'weights_2022.csv')],
      ['policy', 'import', 'p.yaml'],
      ['synth', 'cases', '--scheme', 'harbin-2022', '--count', '3000', '--seed', '5', '--month', '2025-03', '--institutions', '12', '--out', 'cases.csv'],
      ['cases', 'import', '--month', '2025-03', 'cases.csv', '--rejects', 'rejects.csv'],
      ['pay', '--month', '2025-03'],
    ])
    const session = `yb-80-${process.pid}`
    const t = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'})
    const screen = () => t('capture-pane', '-p', '-t', session)
    const fits = (shown: string) => {
      for (const line of shown.split('\n')) expect(stringWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(80)
    }
    const waitFor = async (text: string) => {
      for (let k = 0; k < 200; k++) {
        const shown = screen()
        if (shown.includes(text)) {
          fits(shown)
          return shown
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error(`"${text}" never appeared; the screen was:\n${screen()}`)
    }
    const keys = (...k: string[]) => t('send-keys', '-t', session, ...k)
    const env = `env -u CI YB_DB=${join(dir, 'yibao.db')} YB_CACHE_DIR=${join(dir, 'cache')}`
    const command = `cd ${dir} && ${env} ${process.execPath} ${BIN} review --month 2025-03; echo "review exited $?"; ${env} ${process.execPath} ${BIN} dashboard --year 2025; echo "dashboard exited $?"; sleep 30`
    t('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command)
    try {
      let shown = await waitFor('yb review 2025-03')
      expect(shown).toContain('结算流水号')
      expect(shown).toContain('▶')
      keys('o')
      shown = await waitFor('偏差=高倍率')
      expect(shown).toContain('▶')
      keys('S')
      shown = await waitFor('排序 基金应付↓')
      await waitFor('▶')
      keys('Enter')
      shown = await waitFor('病例 S')
      keys('Escape')
      await waitFor('结算流水号')
      keys('q')
      await waitFor('review exited 0')
      shown = await waitFor('yb dashboard 2025')
      expect(shown).toContain('已拨付')
      keys('s')
      await waitFor('排序 CMI')
      keys('Enter')
      shown = await waitFor('筛选: 机构=H')
      expect(shown).toContain('q back to the dashboard')
      keys('Enter')
      await waitFor('病例 S')
      keys('Escape')
      await waitFor('结算流水号')
      keys('q')
      await waitFor('排序')
      keys('q')
      await waitFor('dashboard exited 0')
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session])
    }
  }, 120_000)
})
