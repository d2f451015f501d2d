import {Args} from '@oclif/core'
import {loadQcFolder} from '../../app/quality-rules.js'
import {YbCommand} from '../../cli/base.js'
import {renderTable} from '../../io/table.js'

export interface QcCheckResult {
  readonly id: string
  readonly name: string
  readonly sha256: string
  readonly rules: readonly {readonly id: string; readonly severity: 'error' | 'warning'; readonly message: string; readonly condition: string; readonly needsDictionary: boolean}[]
  readonly lists: readonly {readonly name: string; readonly kind: 'dx' | 'px'; readonly entries: number}[]
}

export default class QcCheck extends YbCommand {
  static override summary = 'Check a quality-rules folder (qc-rules/1) without storing it'
  static override description = 'Reads the folder as yb qc import does and lists its rules; every problem is reported as file:line column with the reason (exit 1). Needs no workspace.'
  static override examples = ['<%= config.bin %> qc check data/qc-rules/default']
  static override enableJsonFlag = true
  static override args = {dir: Args.directory({required: true, exists: true, description: 'qc-rules/1 folder'})}

  async run(): Promise<QcCheckResult> {
    const {args} = await this.parse(QcCheck)
    const pack = loadQcFolder(args.dir)
    const rules = pack.rules.map((r) => ({id: r.id, severity: r.severity, message: r.message, condition: r.conditionSource, needsDictionary: r.needsDictionary}))
    this.log(`${args.dir}: quality rules ${pack.meta.id} (${pack.meta.name}), ${rules.length} rules, ${pack.lists.size} lists: valid (sha256 ${pack.sha256.slice(0, 12)})`)
    this.log(renderTable(['规则', '级别', '说明', '条件'], rules.map((r) => [r.id, r.severity === 'error' ? '错误' : '警告', r.message, r.condition]), {keyColumns: 1}))
    return {id: pack.meta.id, name: pack.meta.name, sha256: pack.sha256, rules, lists: [...pack.lists.values()].map((l) => ({name: l.name, kind: l.kind, entries: l.exact.size + l.prefixes.length + l.ranges.length}))}
  }
}
