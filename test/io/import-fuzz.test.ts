// Proves that no byte-level damage to a case file makes an import crash or lose a record: 1,000
// seeded random mutations of a good file (bytes changed, inserted — quotes, commas, line ends,
// NUL, invalid UTF-8 — deleted, lines doubled, the file cut short), each imported with a rejects
// file. Every one ends as exit 0 or 3 (a result) or 1 (an InputErrors value), never another
// exception, and rows read = stored + unchanged + rejected + skipped. A few go through the real
// `yb cases import` too. YB_FUZZ_SEED picks another seed.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {InputErrors} from '../../src/errors.js'
import {Random} from '../../src/grouper/synth.js'
import {openWorkspace} from '../../src/store/db.js'
import {importCases, importInstitutions} from '../../src/store/settlement-data.js'
import {tempDir, yb, ybProcess} from '../cli/run.js'

const SEED = Number(process.env.YB_FUZZ_SEED ?? 20261201)
const HEADER = 'settlement_id,case_no,institution_id,insurance_type,admit_date,discharge_date,sex,age_years,age_days,birth_weight_g,los_days,dx_codes,px_codes,total_cost,fund_recorded,deductible'
const GOOD = Buffer.from(
  `${HEADER}\n${Array.from({length: 40}, (_, k) => `F${k},B${k},H00${1 + (k % 2)},职工,2025-03-0${1 + (k % 3)},2025-03-1${k % 10},${1 + (k % 2)},${20 + k},0,,${10 + (k % 10) - (k % 3)},I63.900|I10.x00,,${9000 + k}.50,7000.00,800.00`).join('\n')}\n`,
)
const SPECIAL = [0x22, 0x2c, 0x0a, 0x0d, 0x00, 0xff, 0xc3, 0x2d, 0x2e, 0x65, 0x20, 0x09, 0x7c, 0xef, 0xbb, 0xbf]

function mutate(random: Random, bytes: Buffer): Buffer {
  let out = Buffer.from(bytes)
  for (let n = random.int(1, 4); n > 0; n--) {
    const at = random.int(0, Math.max(0, out.length - 1))
    const byte = random.next() < 0.6 ? random.pick(SPECIAL) : random.int(0, 255)
    switch (random.int(0, 5)) {
      case 0:
        out[at] = byte
        break
      case 1:
        out = Buffer.concat([out.subarray(0, at), Buffer.from([byte]), out.subarray(at)])
        break
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + random.int(1, 30))])
        break
      case 3: {
        const start = out.lastIndexOf(0x0a, at) + 1
        const end = out.indexOf(0x0a, at)
        if (end > start) out = Buffer.concat([out.subarray(0, end + 1), out.subarray(start, end + 1), out.subarray(end + 1)])
        break
      }
      case 4:
        out = out.subarray(0, at)
        break
      default:
        out = Buffer.concat([out.subarray(0, at), Buffer.from(random.pick(['"', '""', ',,,', '\r\n', '\r', '-1', '1e20', '2025-02-31', '１２', '=SUM(A1)'])), out.subarray(at)])
    }
  }
  return out
}

describe('fuzzed case files', () => {
  it(`1,000 mutations (seed ${SEED}): exit 0, 1 or 3, never a crash, every record counted`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yb-fuzz-'))
    const {db} = openWorkspace({path: join(dir, 'fuzz.db'), create: true})
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,一院,三级,1.00,职工|居民\nH002,二院,二级,,职工|居民\n')
    await importInstitutions(db, {file: join(dir, 'inst.csv'), encoding: 'utf-8', replace: false})
    const random = new Random(SEED)
    const exits = {0: 0, 1: 0, 3: 0}
    for (let k = 0; k < 1000; k++) {
      const file = join(dir, `m${k}.csv`)
      writeFileSync(file, mutate(random, GOOD))
      try {
        const r = await importCases(db, '2025-03', {file, encoding: 'utf-8', replace: false, rejects: join(dir, 'rej.csv')})
        expect(r.rowsRead, `mutation ${k}`).toBe(r.inserted + r.same + r.replaced + r.rejected + r.skipped)
        expect(r.replaced).toBe(0)
        exits[r.rejected > 0 ? 3 : 0]++
      } catch (error) {
        if (!(error instanceof InputErrors)) throw new Error(`mutation ${k} (seed ${SEED}) crashed: ${(error as Error).stack}`)
        exits[1]++
      }
    }
    console.log(`fuzz seed ${SEED}: exit 0 ×${exits[0]}, exit 3 ×${exits[3]}, exit 1 ×${exits[1]}`)
    // The mutations reach all three outcomes, so the test exercises each.
    expect(exits[0] * exits[1] * exits[3]).toBeGreaterThan(0)
  }, 120_000)

  it('the real command exits 0, 1 or 3 with a message, never a stack trace', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'inst.csv'), 'institution_id,name,level,coefficient,pools\nH001,一院,三级,1.00,职工|居民\nH002,二院,二级,,职工|居民\n')
    await yb(dir, ['init'])
    await yb(dir, ['institution', 'import', 'inst.csv'])
    const random = new Random(SEED + 1)
    for (let k = 0; k < 8; k++) {
      writeFileSync(join(dir, `m${k}.csv`), mutate(random, GOOD))
      const run = await ybProcess(dir, ['cases', 'import', '--month', '2025-03', `m${k}.csv`, '--rejects', `r${k}.csv`])
      expect([0, 1, 3], `m${k}.csv: ${run.stderr}`).toContain(run.exitCode)
      expect(run.stderr).not.toMatch(/ at .*\.js:\d+/)
    }
  }, 120_000)
})
