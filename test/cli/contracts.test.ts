// The contracts in contracts/ are what the code gives: the JSON Schema of every command's --json
// result (from the type its run() returns) and every command's flags and arguments (from the oclif
// manifest). Changing a result type or a flag without `npm run contracts` fails here; every
// --json output of every test is also checked against its schema (test/cli/run.ts).
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import {contractFiles} from '../../scripts/contracts.mjs'
import {ROOT} from '../helpers.js'

describe('contracts/', () => {
  it('holds the JSON Schema of every command and the flags of every command, as the code gives them', () => {
    const files = contractFiles() as Map<string, string>
    const committed = ['flags.json', ...readdirSync(join(ROOT, 'contracts', 'json')).map((f) => `json/${f}`)].sort()
    expect(committed, 'run npm run contracts and commit contracts/').toEqual([...files.keys()].sort())
    for (const [name, text] of files) expect(readFileSync(join(ROOT, 'contracts', name), 'utf8'), `contracts/${name} (run npm run contracts)`).toBe(text)
    const flags = JSON.parse(files.get('flags.json')!)
    // One calendar flag everywhere: every --month and --year is the checked custom flag, shown as such.
    for (const [id, command] of Object.entries(flags) as [string, {flags: Record<string, {helpValue?: string}>}][]) {
      if (command.flags.month !== undefined) expect(command.flags.month.helpValue, `${id} --month`).toBe('<YYYY-MM>')
      if (command.flags.year !== undefined) expect(command.flags.year.helpValue, `${id} --year`).toBe('<YYYY>')
    }
  }, 60_000)
})
