// Proves `yb policy init` writes a template that `yb policy check` accepts, refuses to
// overwrite without --force (usage error 2), and that check fails with exit 1 naming the line.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {tempDir, yb} from './run.js'

describe('yb policy', () => {
  it('writes a valid template, keeps an existing file, and reports a broken one', async () => {
    const dir = tempDir()
    expect((await yb(dir, ['policy', 'init', 'p.yaml', '--year', '2025', '--region-name', '哈尔滨市', '--scheme', 'harbin-2022'])).exitCode).toBe(0)
    const check = await yb(dir, ['policy', 'check', 'p.yaml', '--json'])
    expect(JSON.parse(check.stdout)).toEqual({file: 'p.yaml', year: 2025, method: 'DRG', pools: ['职工', '居民'], valid: true})
    expect((await yb(dir, ['policy', 'init', 'p.yaml', '--year', '2026'])).exitCode).toBe(2)
    const text = readFileSync(join(dir, 'p.yaml'), 'utf8').replace('pre_settle_ratio: 0.95', 'pre_settle_ratio: 95%')
    writeFileSync(join(dir, 'p.yaml'), text)
    const bad = await yb(dir, ['policy', 'check', 'p.yaml'])
    expect(bad.exitCode).toBe(1)
    const line = text.split('\n').findIndex((l) => l.includes('95%')) + 1
    expect(bad.stderr).toBe(`error: p.yaml:${line} monthly.pre_settle_ratio: must be a decimal number such as 0.05 (no commas, no exponent)\n`)
  })
})
