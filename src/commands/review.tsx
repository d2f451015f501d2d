import {monthFlag} from '../cli/flags.js'
import {Flags} from '@oclif/core'
import {dbFlag, YbCommand} from '../cli/base.js'
import {reviewScreen} from '../cli/review-screen.js'
import {requireTerminal} from '../cli/tty.js'
import {openWorkspace, workspacePath} from '../store/db.js'

export default class Review extends YbCommand {
  static override summary = "Review the month's grouping and pricing in the terminal, and mark cases for 特例单议"
  static override description = `A scrollable, filterable list of the month's cases as its current payment run priced them (yb pay --month; rerun it until the month is closed): filter by institution, MDC, DRG or DIP group, status (QY, 0000, 待更正 …), outlier type, code text, or the flags of yb audit (F, --flag). Enter opens a case: its diagnoses and procedures with names, the grouping trace and the price build-up. m marks the case for 特例单议 with a note, stored in the workspace and used by the next yb pay and yb clear; ? shows every key.

Pages are read from the workspace by key, so a month of a million cases scrolls like a small one. Needs a terminal; scripts use \`yb pay --month … --json\`, \`yb case show <id> --json\` and \`yb special list\`.`
  static override examples = ['<%= config.bin %> review --month 2025-03', '<%= config.bin %> review --month 2025-03 --institution H001']
  static override flags = {
    month: monthFlag({required: true, description: 'settlement month YYYY-MM'}),
    institution: Flags.string({description: 'start filtered to this institution', helpValue: '<id>'}),
    flag: Flags.string({description: 'start with the cases the newest yb audit of the month (or its year) flagged: any, or one signal', options: ['any', 'split_admission', 'upcoding', 'low_standard', 'low_outlier', 'qy_ungroupable']}),
    db: dbFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Review)
    requireTerminal('yb review', `\`yb runs list --month ${flags.month}\` then \`yb runs show <run> --cases --json\` (every case of the run, a page at a time), or \`yb case show <id> --json\``)
    const {db} = openWorkspace({path: workspacePath(flags.db), create: false})
    try {
      await reviewScreen(db, flags.month, {...(flags.institution === undefined ? {} : {institution: flags.institution}), ...(flags.flag === undefined ? {} : {flag: flags.flag})})
    } finally {
      db.close()
    }
  }
}
