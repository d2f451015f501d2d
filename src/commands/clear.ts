import {yearFlag} from '../cli/flags.js'
import {readTextFile} from '../io/text-file.js'
import {Flags} from '@oclif/core'
import {z} from 'zod'
import {type ClearResult, runClear} from '../app/clear.js'
import {dbFlag, YbCommand} from '../cli/base.js'
import {clearText} from '../cli/clear-text.js'
import {progressLine} from '../cli/progress.js'
import {inputError, InputErrors} from '../errors.js'
import {readTable} from '../io/csv-table.js'

/** The assessment file's Chinese headers, as 考核 results are exported. */
const ASSESSMENT_HEADERS = {institution_id: ['定点医疗机构编码', '医疗机构编码', '机构编码'], score: ['考核得分', '考核分数', '得分', '分数', '考核系数']}
const assessmentRow = z.object({institution_id: z.string().min(1), score: z.string().min(1, 'needs a score (or a coefficient under assessment.mode COEFFICIENT)')})

export default class Clear extends YbCommand {
  static override summary = '年终清算: the year-end clearing per institution and pool, line by line'
  static override description = "Prices every discharge of the year again at the final rate (published, or the year's budget over its weights), then per institution and pool: 统筹基金应支付 against the actual spending in the policy's band rule (结余留用/超支分担), the quality deposit released by the assessment score, deductions, the months already paid and the prepayment offset. The balance is the signed sum of the printed lines: 应补 when positive, 应扣 when negative. Without --assessment every institution scores 100 (said in the output)."
  static override examples = ['<%= config.bin %> clear --year 2025 --assessment assessment-2025.csv', '<%= config.bin %> clear --year 2025 --json > clear-2025.json']
  static override enableJsonFlag = true
  static override flags = {
    year: yearFlag({required: true, description: 'the year cleared'}),
    assessment: Flags.file({exists: true, description: 'CSV of institution_id,score: a score from 0 to 100 (assessment.mode SCORE_PCT) or a coefficient from 0 to 1 (COEFFICIENT), for every institution with cases in the year', helpValue: '<file>'}),
    'accept-rate-deviation': Flags.boolean({description: "clear at a computed rate or point value beyond the policy's rate_check bound (reported as a warning)"}),
    db: dbFlag,
  }

  async run(): Promise<ClearResult> {
    const {flags} = await this.parse(Clear)
    let assessment: Map<string, {value: string; row: number; file: string}> | undefined
    if (flags.assessment !== undefined) {
      const file = flags.assessment
      const table = readTable(file, readTextFile(file), ['institution_id', 'score'], assessmentRow, ASSESSMENT_HEADERS)
      const seen = new Map<string, number>()
      for (const row of table.rows) {
        const first = seen.get(row.value.institution_id)
        if (first !== undefined) table.errors.push(inputError(file, row.line, 'institution_id', 'duplicate_key', `institution ${row.value.institution_id} is assessed twice (first on line ${first})`))
        seen.set(row.value.institution_id, row.line)
      }
      if (table.errors.length > 0) throw new InputErrors(table.errors)
      assessment = new Map(table.rows.map((row) => [row.value.institution_id, {value: row.value.score, row: row.line, file}]))
    }
    return this.writing(flags.db, async (db) => {
      const progress = this.interactive() ? progressLine('clearing') : undefined
      const result = await runClear(db, {year: flags.year, acceptRateDeviation: flags['accept-rate-deviation'], ...(assessment === undefined ? {} : {assessment}), ...(progress ? {onProgress: (done: number) => progress.update(`${done.toLocaleString('en-US')} cases`)} : {})})
      progress?.done()
      this.log(clearText(result))
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`)
      return result
    })
  }
}
