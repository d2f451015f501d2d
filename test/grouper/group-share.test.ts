// Grouping in shares (issue 15): whichever thread takes which batch, and whenever the other
// thread's batches come in, the command's share writes what one pass over the file writes, byte
// for byte, with the same counts and first errors. Here both shares run in this thread: the other
// share first (its batches kept), then the command's, handed them on a schedule; the threads
// themselves are tested in test/cli/group-workers.test.ts.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {claimBatch, type GroupedBatch, groupFile, type GroupFileOptions, type GroupFileResult, shareClaims, tallyOf} from '../../src/grouper/group-file.js'
import {tempDir} from '../cli/run.js'
import {demoScheme} from '../helpers.js'
import {messyFile} from '../messy-cases.js'

/** A seeded choice, so that a failure can be run again. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
}

/** What a run that stopped on its malformed rows reports (it writes nothing; its counts of grouped cases are not reported). */
function stopped(result: GroupFileResult): unknown {
  const {completed, errors, errorCount, rowsRead, rowsRejected, rowsSkipped} = result
  return {completed, errors, errorCount, rowsRead, rowsRejected, rowsSkipped}
}

/** A choice per batch, made once: both shares ask it of the same batch. */
function perBatch(choose: () => boolean): (n: number) => boolean {
  const chosen = new Map<number, boolean>()
  return (n) => {
    if (!chosen.has(n)) chosen.set(n, choose())
    return chosen.get(n)!
  }
}

interface Run {
  readonly result: unknown
  readonly out: string
  readonly rejects: string | null
}

function filesOf(dir: string, name: string, rejects: boolean): Pick<Run, 'out' | 'rejects'> {
  return {out: readFileSync(join(dir, `${name}.out`), 'utf8'), rejects: rejects ? readFileSync(join(dir, `${name}.rej`), 'utf8') : null}
}

/**
 * The command's share taking the batches `mine` says, the other share the rest. `arrives` says,
 * each time the command asks whether a batch is in, whether it is (else it is in only once waited for).
 */
async function inShares(base: GroupFileOptions, dir: string, batchRecords: number, mine: (n: number) => boolean, arrives: () => boolean): Promise<Run & {waitedFor: number[]; handed: number}> {
  const sent = new Map<number, GroupedBatch>()
  const other = await groupFile({...base, output: '', share: {claim: (n) => !mine(n), batchRecords, emit: (batch) => sent.set(batch.batchNo, batch)}})
  const waitedFor: number[] = []
  let handed = 0
  const hand = (n: number): GroupedBatch => {
    const batch = sent.get(n)
    expect(batch, `batch ${n} was grouped by the other share`).toBeDefined()
    sent.delete(n)
    handed++
    return batch!
  }
  const result = await groupFile({
    ...base,
    output: join(dir, 'shared.out'),
    ...(base.rejects === undefined ? {} : {rejects: join(dir, 'shared.rej')}),
    share: {
      claim: mine,
      batchRecords,
      others: {
        arrived: (n) => (sent.has(n) && arrives() ? hand(n) : undefined),
        batch: (n) => {
          waitedFor.push(n)
          return hand(n)
        },
        tallies: () => [tallyOf(other)],
      },
    },
  })
  expect(sent.size, 'every batch of the other share is written').toBe(0)
  if (!result.completed) return {result: stopped(result), out: '', rejects: null, waitedFor, handed}
  return {result: {...result, output: '', rejects: null}, ...filesOf(dir, 'shared', base.rejects !== undefined), waitedFor, handed}
}

describe('grouping in shares', () => {
  const dir = tempDir()
  const input = join(dir, 'messy.csv')
  writeFileSync(input, messyFile())
  const scheme = demoScheme()

  for (const [name, extra] of [
    ['csv with rejects', {format: 'csv', explain: false, rejects: join(dir, 'one.rej')}],
    ['ndjson with traces and rejects', {format: 'ndjson', explain: true, rejects: join(dir, 'one.rej')}],
    ['csv stopped by its malformed rows', {format: 'csv', explain: false}],
  ] as const) {
    it(`writes what one pass writes: ${name}`, async () => {
      const base: GroupFileOptions = {scheme, input, output: join(dir, 'one.out'), encoding: 'utf-8', ...extra}
      const one = await groupFile(base)
      const expected: Run = one.completed ? {result: {...one, output: '', rejects: null}, ...filesOf(dir, 'one', 'rejects' in extra)} : {result: stopped(one), out: '', rejects: null}
      expect(one.rowsRejected).toBeGreaterThan(5)
      const random = seeded(15)
      const takes: readonly [string, (n: number) => boolean][] = [
        ['every batch', () => true],
        ['no batch', () => false],
        ['every other batch', (n) => n % 2 === 1],
        ['the first four, then every third', (n) => n < 4 || n % 3 === 0],
        ['batches at random', perBatch(() => random() < 0.5)],
      ]
      const schedules: readonly [string, () => boolean][] = [
        ['always in', () => true],
        ['in one time in three', () => random() < 1 / 3],
        ['in only when waited for', () => false],
      ]
      for (const batchRecords of [1, 2, 7, 50]) {
        for (const [taking, mine] of takes) {
          for (const [arriving, arrives] of schedules) {
            const shared = await inShares(base, dir, batchRecords, mine, arrives)
            const what = `batches of ${batchRecords}, the command's share taking ${taking}, the others' ${arriving}`
            expect({result: shared.result, out: shared.out, rejects: shared.rejects}, what).toEqual(expected)
            if (one.completed && taking === 'no batch') expect(shared.handed, what).toBe(Math.ceil(one.rowsRead / batchRecords))
            if (one.completed && arriving === 'in only when waited for' && taking !== 'every batch') expect(shared.waitedFor.length, what).toBe(shared.handed)
          }
        }
      }
    }, 60_000)
  }

  it('hands each batch to the first thread that reaches it', () => {
    const claims = shareClaims()
    const [first, second] = [claimBatch(claims), claimBatch(claims)]
    // The first thread is ahead; the second reaches the same batches later and passes over them.
    expect([0, 1, 2].map(first)).toEqual([true, true, true])
    expect([0, 1, 2].map(second)).toEqual([false, false, false])
    // Level: whichever reaches the next batch first takes it.
    expect([second(3), first(3), first(4), second(4), second(5)]).toEqual([true, false, true, false, true])
    // A batch reached before the ones ahead of it were taken is a bug, not a share.
    expect(() => first(7)).toThrow(/reached after every batch before it/)
  })
})
