/**
 * Two kinds of failure, never mixed (house style):
 * - input errors are values ({file, row, column, code, message}) that readers collect and return;
 * - bugs reach `assert` and crash with a stack trace.
 *
 *   formatInputError({file: 'cases.csv', row: 132, column: 'dx_codes', code: 'value_bad', message: '…'})
 *   → 'cases.csv:132 dx_codes: …'
 */

/** Closed set of input error codes. Tests pin one message per code. */
export type InputErrorCode =
  | 'file_missing'
  | 'file_unreadable'
  | 'header_missing'
  | 'header_column_missing'
  | 'header_column_duplicate'
  | 'column_count'
  | 'quote_unclosed'
  | 'record_too_long'
  | 'value_required'
  | 'value_not_integer'
  | 'value_negative'
  | 'value_not_decimal'
  | 'value_not_allowed'
  | 'json_invalid'
  | 'format_unknown'
  | 'list_unknown'
  | 'list_empty'
  | 'rule_syntax'
  | 'rule_duplicate_order'
  | 'reference_unknown'
  | 'duplicate_key'
  | 'scheme_unknown'
  | 'scheme_conflict'
  | 'period_closed'
  | 'parameter_missing'
  | 'value_out_of_range'
  | 'weights_missing'
  | 'cap_exceeded'
  | 'output_refused'

export interface InputError {
  /** File name as the user gave it (or a pack-relative name such as `adrg.csv`). */
  readonly file: string
  /** 1-based physical line number in the file; 0 when the error concerns the whole file. */
  readonly row: number
  /** Column name (or JSON path); empty when the error concerns the whole row or file. */
  readonly column: string
  readonly code: InputErrorCode
  readonly message: string
  readonly hint?: string
}

export function inputError(
  file: string,
  row: number,
  column: string,
  code: InputErrorCode,
  message: string,
  hint?: string,
): InputError {
  return hint === undefined ? {file, row, column, code, message} : {file, row, column, code, message, hint}
}

/** `cases.csv:132 dx_codes: "C61.x0" is not a code of chs-drg-1.1 (use the 医保版 code)` */
export function formatInputError(error: InputError): string {
  const where = error.row > 0 ? `${error.file}:${error.row}` : error.file
  const column = error.column ? ` ${error.column}` : ''
  const hint = error.hint ? ` (${error.hint})` : ''
  return `${where}${column}: ${error.message}${hint}`
}

/** Thrown when a run must stop on bad input; carries every collected error. */
export class InputErrors extends Error {
  readonly errors: readonly InputError[]
  /** How many errors there were in all (the list may be capped). */
  readonly total: number

  constructor(errors: readonly InputError[], total = errors.length) {
    const first = errors[0]
    const summary = first ? formatInputError(first) : 'bad input'
    super(total > 1 ? `${summary} (and ${total - 1} more)` : summary)
    this.name = 'InputErrors'
    this.errors = errors
    this.total = total
  }
}

/** A bug: an invariant of the program does not hold. */
export class AssertionFailed extends Error {
  constructor(why: string) {
    super(`assertion failed: ${why}`)
    this.name = 'AssertionFailed'
  }
}

export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new AssertionFailed(why)
}

/** Another yb command is writing to the workspace and did not finish within the wait (exit 5). */
export class WorkspaceBusy extends Error {
  readonly holder: {readonly pid: number; readonly command: string; readonly startedAt: string}
  readonly waitedSeconds: number

  constructor(holder: {pid: number; command: string; startedAt: string}, waitedSeconds: number) {
    super(`the workspace is busy: ${holder.command} (pid ${holder.pid}) since ${holder.startedAt}; waited ${waitedSeconds} s (set YB_WAIT=<seconds> to wait longer)`)
    this.name = 'WorkspaceBusy'
    this.holder = holder
    this.waitedSeconds = waitedSeconds
  }
}
