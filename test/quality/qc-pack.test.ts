import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {dirPackSource} from '../../src/grouper/pack-load.js'
import {loadQcPack} from '../../src/quality/qc-pack.js'

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'yb-qc-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}
const manifest = JSON.stringify({format: 'qc-rules/1', id: 'local', name: '本地规则', source: 'test'})

describe('loadQcPack', () => {
  it('names the file, line and column of every bad row', () => {
    const dir = folder({
      'qc-rules.json': manifest,
      'rules.csv': [
        'id,severity,message,condition',
        'R1,error,ok,los_days > 60',
        'R2,fatal,严重度错误,los_days > 1',
        'R3,error,未知字段,weight_kg > 3',
        'R4,error,未知列表,pdx in nowhere',
        'R5,warning,列表类别不符,any_px in female_dx',
        'R1,warning,重复编号,los_days > 90',
        'R6,error,语法错误,(los_days > 1',
        'R7,error,金额格式,total_cost > 10.123',
        'R8,error,单位不同,total_cost > los_days',
      ].join('\n'),
      'lists.csv': 'list,kind,code\nfemale_dx,dx,O00-O99\nfemale_dx,px,65.2900\nbad,dx,Z99-A00\n',
    })
    const {errors} = loadQcPack(dirPackSource(dir))
    const where = errors.map((e) => `${e.file}:${e.row} ${e.column} ${e.code}`)
    expect(where).toEqual([
      'lists.csv:3 kind value_not_allowed',
      'lists.csv:4 code value_not_allowed',
      'rules.csv:3 severity value_not_allowed',
      'rules.csv:4 condition rule_syntax',
      'rules.csv:5 condition reference_unknown',
      'rules.csv:6 condition value_not_allowed',
      'rules.csv:7 id duplicate_key',
      'rules.csv:8 condition rule_syntax',
      'rules.csv:9 condition rule_syntax',
      'rules.csv:10 condition rule_syntax',
    ])
    expect(errors.find((e) => e.row === 4 && e.file === 'rules.csv')!.message).toMatch(/^unknown field "weight_kg" at character 1/)
    expect(errors.find((e) => e.row === 10)!.message).toContain('a field in the unit of total_cost')
  })
  it('refuses a folder without its manifest, or of another format', () => {
    expect(loadQcPack(dirPackSource(folder({'rules.csv': 'id,severity,message,condition\n'}))).errors[0]!.code).toBe('file_missing')
    const other = folder({'qc-rules.json': JSON.stringify({format: 'qc-rules/2', id: 'x', name: 'x', source: ''}), 'rules.csv': 'id,severity,message,condition\nR1,error,x,true\n'})
    expect(loadQcPack(dirPackSource(other)).errors.map((e) => e.code)).toEqual(['format_unknown'])
  })
  it('reads the Chinese header names and an optional basis', () => {
    const dir = folder({'qc-rules.json': manifest, 'rules.csv': 'id,级别,说明,条件,依据\nR1,warning,住院超过60天,los_days > 60,本地规定\n'})
    const {pack} = loadQcPack(dirPackSource(dir))
    expect(pack?.rules.map((r) => [r.id, r.severity, r.basis])).toEqual([['R1', 'warning', '本地规定']])
  })
})
