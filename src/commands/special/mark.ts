import {Args, Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../../cli/base.js'
import {markSpecialCase, type SpecialDecision, unmarkSpecialCase} from '../../store/special-cases.js'

export default class SpecialMark extends YbCommand {
  static override summary = 'Mark a stored discharge for 特例单议 (special review), with a note; --remove takes the mark off'
  static override description = 'A marked case stays paid by its group until a decision is imported with `yb special import`; `yb pay` counts the pending marks of its month. `yb review` marks cases the same way.'
  static override examples = ['<%= config.bin %> special mark S202503000123 --note "费用为组均 6 倍, 申请单议"', '<%= config.bin %> special mark S202503000123 --remove']
  static override enableJsonFlag = true
  static override args = {settlementId: Args.string({required: true, description: 'the case (结算流水号)'})}
  static override flags = {
    note: Flags.string({default: '', description: 'why the case goes to special review'}),
    remove: Flags.boolean({description: 'remove a pending mark instead'}),
    db: dbFlag,
  }

  async run(): Promise<{settlementId: string; marked: boolean; decision: SpecialDecision | null}> {
    const {args, flags} = await this.parse(SpecialMark)
    return this.writing(flags.db, async (db) => {
      if (flags.remove) {
        const removed = unmarkSpecialCase(db, args.settlementId)
        this.log(removed ? `${args.settlementId}: mark removed` : `${args.settlementId} had no pending mark`)
        return {settlementId: args.settlementId, marked: false, decision: null}
      }
      const decision = markSpecialCase(db, args.settlementId, flags.note)
      this.log(`${args.settlementId}: marked for 特例单议${decision.note ? ` (${decision.note})` : ''}`)
      return {settlementId: args.settlementId, marked: true, decision}
    })
  }
}
