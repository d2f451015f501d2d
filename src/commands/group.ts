import {Flags} from '@oclif/core'
import {dbFlag, EXIT_REJECTED_ROWS, YbCommand} from '../cli/base.js'
import {groupSummaryText} from '../cli/group-summary.js'
import {progressLine} from '../cli/progress.js'
import {openDip, openScheme} from '../cli/scheme-ref.js'
import {InputErrors} from '../errors.js'
import type {CompiledScheme} from '../grouper/compile-scheme.js'
import {groupFile, type GroupFileResult, OUTPUT_FORMATS, type OutputFormat} from '../grouper/group-file.js'
import {groupThreads, startGroupWorkers} from '../cli/group-workers.js'
import {TEXT_ENCODINGS, type TextEncoding} from '../io/text-stream.js'

export default class Group extends YbCommand {
  static override summary = 'Group discharges into CHS-DRG groups and/or DIP disease groups (streaming, input order kept)'
  static override description = `Reads cases in the case format (docs/case-format.md; English or Chinese headers) and writes every input column plus mdc, adrg, drg, drg_name, status and reason. status is one of grouped, qy (ambiguous group, e.g. BQY), ungroupable (0000) or invalid (bad data: unknown code, no principal diagnosis, newborn of 28 days or less without birth weight, sex missing; the reason column says which).

With --dip <catalog> the cases also get (or, without --scheme, only get) dip_group, dip_type (core 核心, basic 基层, comprehensive 综合), dip_name, dip_score, dip_status (grouped, ungroupable, invalid) and dip_reason, by the catalog's rules (docs/dip.md); --explain adds dip_trace.

A malformed row (wrong column count, bad number, unknown sex word) stops the run with its file, row and column and exit code 1, and no output file is left behind. With --rejects, malformed rows are written there with their reason, the good rows are grouped, and the exit code is 3.

A file of 24 MB or more (about 200,000 cases) is grouped on two threads; YB_WORKERS=1 keeps one, YB_WORKERS=n asks for n. The output is the same byte for byte.

Exit codes: 0 done; 1 malformed input or unusable scheme; 2 usage error; 3 done with rejected rows.`
  static override examples = [
    '<%= config.bin %> group --scheme data/schemes/demo --in cases.csv --out grouped.csv',
    '<%= config.bin %> group --scheme chs-drg-1.1 --in - --out - --format ndjson < cases.csv > grouped.ndjson',
    '<%= config.bin %> group --scheme data/schemes/demo --in cases.csv --out grouped.csv --explain --rejects rejected.csv',
    '<%= config.bin %> group --dip data/dip/demo --in cases.csv --out dip.csv',
    '<%= config.bin %> group --scheme data/schemes/demo --dip data/dip/demo --in cases.csv --out both.csv',
  ]
  static override enableJsonFlag = true
  static override flags = {
    scheme: Flags.string({char: 's', description: 'DRG scheme pack folder, or id[@version] stored in the workspace', helpValue: '<id|dir>'}),
    dip: Flags.string({description: 'DIP catalog folder (dip-catalog/1), or id[@version] stored in the workspace', helpValue: '<id|dir>'}),
    in: Flags.string({char: 'i', required: true, description: 'case file, or - for stdin', helpValue: '<file|->'}),
    out: Flags.string({char: 'o', required: true, description: 'output file, or - for stdout', helpValue: '<file|->'}),
    format: Flags.string({description: 'output format', options: [...OUTPUT_FORMATS], default: 'csv'}),
    explain: Flags.boolean({description: 'add a trace column: the MDC, ADRG and DRG rules that matched, through which lists and codes, and the CC/MCC decisions'}),
    encoding: Flags.string({description: 'input encoding (output is always UTF-8)', options: [...TEXT_ENCODINGS], default: 'utf-8'}),
    rejects: Flags.string({description: 'write malformed rows here with their reason and group the rest', helpValue: '<file>'}),
    db: dbFlag,
  }

  async run(): Promise<GroupFileResult> {
    const {flags} = await this.parse(Group)
    if (flags.out === '-' && this.jsonEnabled()) this.error('--json needs --out <file>: with --out - stdout carries the grouped cases', {exit: 2})
    if (flags.scheme === undefined && flags.dip === undefined) this.error('give --scheme (DRG), --dip (DIP), or both', {exit: 2})
    const job = {format: flags.format as OutputFormat, explain: flags.explain, encoding: flags.encoding as TextEncoding, rejects: flags.rejects}
    // A big file is grouped on both cores; the workers open the scheme while this thread does.
    const workers = startGroupWorkers(groupThreads(flags.in), {...job, refs: {scheme: flags.scheme, dip: flags.dip, db: flags.db}, input: flags.in})
    let result: GroupFileResult
    let scheme: CompiledScheme | undefined
    try {
      scheme = flags.scheme === undefined ? undefined : openScheme(flags.scheme, flags.db).scheme
      const dip = flags.dip === undefined ? undefined : openDip(flags.dip, flags.db)
      const progress = this.interactive() ? progressLine('grouping') : undefined
      const options = {
        ...(scheme === undefined ? {} : {scheme}),
        ...(dip === undefined ? {} : {dip}),
        ...job,
        input: flags.in,
        output: flags.out,
        onProgress: progress ? (cases: number) => progress.update(`${cases.toLocaleString('en-US')} cases`) : undefined,
      }
      result = workers === undefined ? await groupFile(options) : await workers.group(options)
      progress?.done()
    } finally {
      await workers?.close()
    }
    if (!result.completed) throw new InputErrors(result.errors, result.errorCount)
    const text = groupSummaryText(result, new Map((scheme?.mdcs ?? []).map((mdc) => [mdc.row.mdc, mdc.row.name])))
    if (!this.jsonEnabled()) {
      // With --out - the cases own stdout; the summary goes to stderr.
      if (flags.out === '-') process.stderr.write(`${text}\n`)
      else this.log(text)
    }
    if (result.rowsRejected > 0) process.exitCode = EXIT_REJECTED_ROWS
    return result
  }
}
