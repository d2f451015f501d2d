/**
 * `yb cases check`: every case of a stored month, or of a case file, against every quality rule
 * in one pass (src/quality): per case the rules it fails, per institution the pass rate and its
 * most failed rules, per rule the cases; optionally a CSV of the flagged cases, a row per case
 * and rule with what made the rule fail.
 *
 *   await checkCases(db, {month: '2025-03'}) → {cases: 1000, passed: 981, passRate: '0.9810', byRule: […], byInstitution: […], …}
 */
import {assert, type InputError} from '../errors.js'
import {readCaseRecords} from '../io/case-records.js'
import {workspaceFiles} from '../io/output-target.js'
import {csvLine, spreadsheetSafe, TextOutput, type TextEncoding} from '../io/text-stream.js'
import type {QcDictionary, QcRecord} from '../quality/qc-case.js'
import {compileQc} from '../quality/qc-compile.js'
import {QcTally, type QcSummary} from '../quality/qc-tally.js'
import type {Db} from '../store/db.js'
import {type CaseRow, monthCaseColumns, monthCaseCount} from '../store/cases.js'
import {type OpenedQcRules, openQcRules, schemeDictionary} from './quality-rules.js'
import {yearPolicyIfAny} from './year-policy.js'
import type {Policy} from '../clearing/policy.js'

export interface CasesCheckOptions {
  readonly month?: string
  readonly file?: string
  readonly encoding?: TextEncoding
  readonly rules?: string
  readonly scheme?: string
  readonly institution?: string
  readonly out?: string
  readonly onProgress?: (done: number, total: number) => void
}

export interface FlaggedCase {
  readonly settlementId: string
  readonly institutionId: string
  readonly line: number | null
  readonly rules: readonly {readonly id: string; readonly severity: 'error' | 'warning'; readonly evidence: string}[]
}

export interface CasesCheckResult extends QcSummary {
  readonly month: string | null
  readonly file: string | null
  readonly rules: {readonly ref: string; readonly label: string; readonly name: string; readonly count: number}
  /** The scheme whose code dictionary the codes were checked against; null when none. */
  readonly scheme: string | null
  /** Rules not run, and why (a dictionary rule without a scheme). */
  readonly notRun: readonly {readonly id: string; readonly message: string; readonly reason: string}[]
  /** A file's records after the header: cases + unreadable + skipped + outside. For a month, its cases. */
  readonly recordsRead: number
  /** File rows whose values do not pass their column checks: reported, not checked. */
  readonly unreadable: number
  readonly skipped: number
  /** File rows of other institutions than --institution: read, not checked. */
  readonly outside: number
  readonly unreadableErrors: readonly InputError[]
  readonly flagged: number
  /** The first flagged cases (at most 20), with their rules and evidence. */
  readonly examples: readonly FlaggedCase[]
  readonly out: string | null
}

const EXAMPLES_MAX = 20
const ERRORS_KEPT = 20
const OUT_HEADER = ['结算流水号', '定点医疗机构编码', '行号', '规则编号', '级别', '说明', '依据值']

/** The month's year policy, read once for the rules and the dictionary (none for a file, or a year without one). */
function monthPolicy(db: Db | undefined, month: string | undefined): Policy | undefined {
  return db !== undefined && month !== undefined ? yearPolicyIfAny(db, Number(month.slice(0, 4)))?.policy : undefined
}

/** The scheme whose dictionary a check reads: --scheme, else the year policy's (none when the year has no policy). */
function dictionaryFor(db: Db | undefined, scheme: string | undefined, policy: Policy | undefined): {dictionary?: QcDictionary; label: string | null} {
  if (scheme !== undefined) return schemeDictionary(db, scheme)
  return policy === undefined ? {label: null} : schemeDictionary(db, policy.file.scheme)
}

/** The rules a check of a month (or a file) runs by: the flag's, else the year policy's quality.rules, else the bundled set. */
export function rulesFor(db: Db | undefined, month: string | undefined, ref: string | undefined, policy: Policy | undefined = monthPolicy(db, month)): OpenedQcRules {
  return openQcRules(db, ref ?? policy?.file.quality?.rules)
}

export async function checkCases(db: Db | undefined, options: CasesCheckOptions): Promise<CasesCheckResult> {
  const policy = monthPolicy(db, options.month)
  const rules = rulesFor(db, options.month, options.rules, policy)
  const {dictionary, label: schemeLabel} = dictionaryFor(db, options.scheme, policy)
  const qc = compileQc(rules.pack, dictionary)
  const tally = new QcTally(qc.rules)
  const guarded = [...(options.file === undefined ? [] : [{path: options.file, what: 'the case file'}]), ...(db === undefined ? [] : workspaceFiles(db.name))]
  const out = options.out === undefined ? undefined : new TextOutput(options.out, '--out', guarded)
  out?.write(`\uFEFF${csvLine(OUT_HEADER)}`)
  const examples: FlaggedCase[] = []
  let flagged = 0
  const onCase = (record: QcRecord & {settlement_id?: string; institution_id?: string}, line: number | null): void => {
    const qcCase = qc.caseOf(record)
    const failed = qc.failed(qcCase)
    const institutionId = record.institution_id ?? ''
    tally.add(institutionId, failed)
    if (failed.length === 0) return
    flagged++
    const settlementId = record.settlement_id ?? ''
    const lines = failed.map((k) => ({id: qc.rules[k]!.id, severity: qc.rules[k]!.severity, evidence: qc.evidence(k, qcCase)}))
    if (examples.length < EXAMPLES_MAX) examples.push({settlementId, institutionId, line, rules: lines})
    if (out !== undefined) {
      for (const [k, rule] of lines.entries()) {
        out.write(csvLine([settlementId, institutionId, line === null ? '' : String(line), rule.id, rule.severity === 'error' ? '错误' : '警告', qc.rules[failed[k]!]!.message, rule.evidence].map(spreadsheetSafe)))
      }
    }
  }
  try {
    const drain = async (): Promise<void> => out?.flushIfFull()
    const read = options.month !== undefined ? await checkMonth(db!, options, onCase, drain) : await checkFile(options, onCase, drain)
    const summary = tally.summary()
    assert(read.recordsRead === summary.cases + read.unreadable + read.skipped + read.outside, 'every record read is checked, unreadable, blank or of another institution')
    await out?.commit()
    return {
      ...summary,
      month: options.month ?? null,
      file: options.file ?? null,
      rules: {ref: rules.ref, label: rules.label, name: rules.pack.meta.name, count: rules.pack.rules.length},
      scheme: schemeLabel,
      notRun: qc.notRun.map((rule) => ({id: rule.id, message: rule.message, reason: 'it reads the code dictionary: give --scheme (a month uses its year policy’s scheme)'})),
      ...read,
      flagged,
      examples,
      out: options.out ?? null,
    }
  } catch (error) {
    await out?.abandon()
    throw error
  }
}

/** The stored columns the quality rules read (QcRecord), with the case's key and institution. */
const QC_COLUMNS: readonly (keyof CaseRow)[] = ['settlement_id', 'institution_id', 'sex', 'age_years', 'age_days', 'birth_weight_g', 'los_days', 'discharge_mode', 'admit_date', 'discharge_date', 'dx_codes', 'px_codes', 'total_cost', 'fund_recorded', 'self_pay_all', 'self_pay_first', 'deductible', 'co_pay', 'other_funds']

type OnCase = (record: QcRecord & {settlement_id?: string; institution_id?: string}, line: number | null) => void
type Read = Pick<CasesCheckResult, 'recordsRead' | 'unreadable' | 'skipped' | 'outside' | 'unreadableErrors'>

async function checkMonth(db: Db, options: CasesCheckOptions, onCase: OnCase, drain: () => Promise<void>): Promise<Read> {
  const total = options.onProgress === undefined ? 0 : monthCaseCount(db, options.month!, options.institution)
  let done = 0
  // Only the columns a rule reads; another institution's cases are passed over, not counted.
  for (const record of monthCaseColumns<QcRecord & {institution_id: string}>(db, options.month!, QC_COLUMNS)) {
    if (options.institution !== undefined && record.institution_id !== options.institution) continue
    onCase(record, null)
    if (++done % 10_000 === 0) {
      options.onProgress?.(done, total)
      await drain()
    }
  }
  return {recordsRead: done, unreadable: 0, skipped: 0, outside: 0, unreadableErrors: []}
}

async function checkFile(options: CasesCheckOptions, onCase: OnCase, drain: () => Promise<void>): Promise<Read> {
  const unreadableErrors: InputError[] = []
  let outside = 0
  const read = await readCaseRecords(
    options.file!,
    options.encoding ?? 'utf-8',
    (record, line) => {
      if (options.institution === undefined || record.institution_id === options.institution) onCase(record, line)
      else outside++
    },
    (_line, errors) => {
      for (const error of errors) if (unreadableErrors.length < ERRORS_KEPT) unreadableErrors.push(error)
    },
    undefined,
    drain,
  )
  return {recordsRead: read.recordsRead, unreadable: read.unreadable, skipped: read.skipped, outside, unreadableErrors}
}
