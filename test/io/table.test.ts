// renderTable folds a table wider than the terminal into blocks, each led by the key columns
// (机构编码, 机构名称, 险种 for the payment and clearing tables), every line within the width and
// every value shown once; piped (no terminal, no maxWidth) the table stays whole.
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import {renderTable} from '../../src/io/table.js'

const headers = ['机构编码', '机构名称', '险种', ...Array.from({length: 12}, (_, k) => `金额${k + 1}`)]
const rows = [
  ['H001', '哈尔滨医科大学附属第一医院', '职工', ...Array.from({length: 12}, (_, k) => `${(k + 1) * 1111111}.11`)],
  ['H002', '市第一人民医院', '居民', ...Array.from({length: 12}, (_, k) => `${k}.00`)],
]

describe('renderTable', () => {
  it('folds at 80 columns with the key columns in every block', () => {
    const text = renderTable(headers, rows, {keyColumns: 3, maxWidth: 80, right: [3, 4, 5]})
    const lines = text.split('\n')
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80)
    const blocks = text.split('\n\n')
    expect(blocks.length).toBeGreaterThan(1)
    for (const block of blocks) expect(block.split('\n')[0]).toMatch(/^机构编码 +机构名称 +险种 /)
    for (const value of rows.flat().slice(3)) expect(text).toContain(value)
    for (const header of headers.slice(3)) expect(text.match(new RegExp(`${header}(?![0-9])`, 'g'))?.length, header).toBe(1)
  })

  it('keeps the table whole when it fits or when no width applies', () => {
    const whole = renderTable(headers, rows, {keyColumns: 3})
    expect(whole.split('\n\n')).toHaveLength(1)
    expect(whole.split('\n')).toHaveLength(4)
    expect(renderTable(['a', 'b'], [['1', '2']], {maxWidth: 80})).toBe('a  b\n─  ─\n1  2')
  })
})
