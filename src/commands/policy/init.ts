import {yearFlag} from '../../cli/flags.js'
import {existsSync, writeFileSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {YbCommand} from '../../cli/base.js'
import {policyTemplate} from '../../clearing/policy-template.js'

export default class PolicyInit extends YbCommand {
  static override summary = 'Write a commented region policy template with the defaults of the settlement rules'
  static override description = 'Every parameter of prepayment, monthly payment and year-end clearing, with its source. Edit it for the region, then check it with `yb policy check`. An existing file is not overwritten without --force.'
  static override examples = ['<%= config.bin %> policy init policy-2025.yaml --year 2025 --region-code 230100 --region-name 哈尔滨市 --scheme harbin-2022']
  static override enableJsonFlag = true
  static override args = {file: Args.string({required: true, description: 'YAML file to write'})}
  static override flags = {
    year: yearFlag({required: true, description: 'policy year'}),
    'region-code': Flags.string({default: '000000', description: '统筹区 code'}),
    'region-name': Flags.string({default: '示例统筹区', description: '统筹区 name'}),
    scheme: Flags.string({default: 'demo', description: 'DRG scheme pack id'}),
    method: Flags.string({options: ['DRG', 'DIP'], default: 'DRG', description: 'payment method of the year'}),
    force: Flags.boolean({description: 'overwrite an existing file'}),
  }

  async run(): Promise<{file: string}> {
    const {args, flags} = await this.parse(PolicyInit)
    if (existsSync(args.file) && !flags.force) this.error(`${args.file} exists; pass --force to overwrite it`, {exit: 2})
    writeFileSync(args.file, policyTemplate({year: flags.year, regionCode: flags['region-code'], regionName: flags['region-name'], scheme: flags.scheme, method: flags.method as 'DRG' | 'DIP'}))
    this.log(`wrote ${args.file}: check it with \`yb policy check ${args.file}\``)
    return {file: args.file}
  }
}
