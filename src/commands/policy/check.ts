import {readTextFile} from '../../io/text-file.js'
import {Args} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {parsePolicy} from '../../clearing/policy.js'
import {InputErrors} from '../../errors.js'

export interface PolicyCheckResult {
  readonly file: string
  readonly year: number
  readonly method: string
  readonly pools: readonly string[]
  readonly valid: true
}

export default class PolicyCheck extends YbCommand {
  static override summary = 'Check a region policy file and report every error with its path and line'
  static override examples = ['<%= config.bin %> policy check policy-2025.yaml', '<%= config.bin %> policy check policy-2025.yaml --json']
  static override enableJsonFlag = true
  static override args = {file: Args.file({required: true, exists: true, description: 'policy YAML file'})}

  async run(): Promise<PolicyCheckResult> {
    const {args} = await this.parse(PolicyCheck)
    const {policy, errors} = parsePolicy(args.file, readTextFile(args.file))
    if (policy === undefined) throw new InputErrors(errors)
    const p = policy.file
    this.log(`${args.file}: valid policy for ${p.region.name} (${p.region.code}) ${p.year}, ${p.method}, pools ${p.pools.join(', ')}, band ${p.band.variant}`)
    return {file: args.file, year: p.year, method: p.method, pools: p.pools, valid: true}
  }
}
