// Proves there is one engine (issue 11): outside src/clearing no code does arithmetic on money,
// scores, weights or rates (no decimal.js method, no sum of stored amounts in 分), and only
// src/clearing/money.ts imports decimal.js, so every formula the commands run is the one the
// settlement-rules vector tests prove.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers.js'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : []
  })
}

const ARITHMETIC = [/\.(plus|minus|times|div|mul|sub|pow|sqrt|mod)\(/, /parseFen\([^)]*\)\s*[-+*/]/, /[-+*/]=?\s*parseFen\(/]

describe('one engine', () => {
  it('keeps arithmetic on amounts out of src/app, src/cli, src/tui and src/commands', () => {
    const found: string[] = []
    for (const folder of ['app', 'cli', 'tui', 'commands']) {
      for (const file of files(join(ROOT, 'src', folder))) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, k) => {
            if (/^\s*(\/\/|\*)/.test(line)) return
            if (ARITHMETIC.some((pattern) => pattern.test(line))) found.push(`${file.slice(ROOT.length)}:${k + 1}: ${line.trim()}`)
          })
      }
    }
    expect(found).toEqual([])
  })

  it('lets only src/clearing/money.ts import decimal.js', () => {
    const importers = files(join(ROOT, 'src')).filter((file) => /from 'decimal\.js'/.test(readFileSync(file, 'utf8'))).map((file) => file.slice(ROOT.length))
    expect(importers).toEqual(['src/clearing/money.ts'])
  })
})
