// Proves the assessment file is read as an officer exports it (Chinese headers), that an
// institution left out of it is an error naming it rather than a silent score of 100, and that a
// GB18030 file is refused naming its encoding instead of being read as U+FFFD.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'
import {closeMonths, yb, ybAll} from './run.js'
import {type ClearJson, json, lineOf, stroke, yearRegion} from './year-region.js'

describe('yb clear --assessment', () => {
  it('takes Chinese headers, names an institution left out, and refuses GB18030', async () => {
    const dir = await yearRegion({institutions: ['H001,一院,三级,1.00,职工', 'H002,二院,三级,1.00,职工'], cases: {'2025-01': [stroke('S1', 'H001'), stroke('S2', 'H002')]}})
    await ybAll(dir, [['pay', '--month', '2025-01'], closeMonths()])
    writeFileSync(join(dir, 'a1.csv'), '机构编码,考核得分\nH001,90\n')
    const missing = await yb(dir, ['clear', '--year', '2025', '--assessment', 'a1.csv'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain('no assessment for H002')
    writeFileSync(join(dir, 'a2.csv'), iconv.encode('机构编码,考核得分\nH001,90\nH002,100\n', 'gb18030'))
    const gb = await yb(dir, ['clear', '--year', '2025', '--assessment', 'a2.csv'])
    expect(gb.exitCode).toBe(1)
    expect(gb.stderr).toContain('GB18030')
    writeFileSync(join(dir, 'a3.csv'), '定点医疗机构编码,考核得分\nH001,90\nH002,100\n')
    const clear = await json<ClearJson>(dir, ['clear', '--year', '2025', '--assessment', 'a3.csv'])
    // A deposit of 5% of 15,000.00 = 750.00; a score of 90 releases 675.00, 100 all of it.
    expect([lineOf(clear, 'H001', 'depositReleased'), lineOf(clear, 'H002', 'depositReleased')]).toEqual(['675.00', '750.00'])
  })
})
