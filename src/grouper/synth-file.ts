/**
 * Writes synthetic cases to a CSV file (or stdout) in the case format.
 *
 *   await writeSynthCases(pack, 'month.csv', {count: 5000, seed: 7, invalidRate: 0.002, institutions: 40})
 *   → {scheme: 'demo', count: 5000, seed: 7, out: 'month.csv'}
 */
import {csvLine, TextOutput} from '../io/text-stream.js'
import type {SchemePack} from './pack-load.js'
import {SYNTH_COLUMNS, synthCases, type SynthOptions} from './synth.js'

export interface SynthFileResult {
  readonly scheme: string
  readonly count: number
  readonly seed: number
  readonly out: string
}

export async function writeSynthCases(pack: SchemePack, out: string, options: SynthOptions): Promise<SynthFileResult> {
  const output = new TextOutput(out)
  try {
    output.write(csvLine(SYNTH_COLUMNS))
    for (const row of synthCases(pack, options)) {
      output.write(csvLine(row))
      await output.flushIfFull()
    }
  } catch (error) {
    await output.abandon()
    throw error
  }
  await output.commit()
  return {scheme: pack.meta.id, count: options.count, seed: options.seed, out}
}
