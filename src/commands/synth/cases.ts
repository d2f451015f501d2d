import {monthFlag} from '../../cli/flags.js'
import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {loadSchemePack} from '../../cli/scheme-ref.js'
import {writeSynthCases, type SynthFileResult} from '../../grouper/synth-file.js'

export default class SynthCases extends YbCommand {
  static override summary = 'Generate realistic synthetic discharges for a scheme (deterministic per seed)'
  static override description = `Each case aims at one ADRG rule of the scheme: a principal diagnosis and procedures from its lists, ages, sex, birth weight and length of stay inside the rule's bounds, a CC or MCC when a DRG rule asks for one, and a skewed cost. A small share (--invalid-rate) carries a data fault (unknown code, sex missing, newborn without birth weight, no diagnosis) so that the invalid path is exercised. The same scheme, count and seed always give the same file.`
  static override examples = [
    '<%= config.bin %> synth cases --scheme data/schemes/demo --count 5000 --seed 7 --out month.csv',
    '<%= config.bin %> synth cases --scheme chs-drg-1.1 --count 1000000 --seed 1 --out bench.csv',
  ]
  static override enableJsonFlag = true
  static override flags = {
    scheme: Flags.string({char: 's', required: true, description: 'scheme pack folder, or id[@version] stored in the workspace', helpValue: '<id|dir>'}),
    count: Flags.integer({char: 'n', required: true, min: 1, description: 'number of cases'}),
    seed: Flags.integer({default: 1, min: 0, description: 'random seed'}),
    out: Flags.string({char: 'o', required: true, description: 'output CSV file, or - for stdout', helpValue: '<file|->'}),
    'invalid-rate': Flags.string({default: '0.002', description: 'share of cases with a data fault, 0 to 1'}),
    institutions: Flags.integer({default: 40, min: 1, description: 'number of institutions (H001…)'}),
    month: monthFlag({description: 'month of the discharge dates, YYYY-MM (blank dates without it)'}),
    db: dbFlag,
  }

  async run(): Promise<SynthFileResult> {
    const {flags} = await this.parse(SynthCases)
    const invalidRate = Number(flags['invalid-rate'])
    if (!/^(0(\.[0-9]+)?|1(\.0+)?)$/.test(flags['invalid-rate'])) this.error('--invalid-rate must be a number from 0 to 1', {exit: 2})
    const {pack} = loadSchemePack(flags.scheme, flags.db)
    const result = await writeSynthCases(pack, flags.out, {count: flags.count, seed: flags.seed, invalidRate, institutions: flags.institutions, ...(flags.month === undefined ? {} : {month: flags.month})})
    if (flags.out !== '-' && !this.jsonEnabled()) this.log(`wrote ${result.count.toLocaleString('en-US')} synthetic cases of ${result.scheme} (seed ${result.seed}) to ${result.out}`)
    return result
  }
}
