/**
 * Every way a `yb` command can fail, reported one way: a line on stderr for people, and under
 * `--json` one object on stdout with a stable code, whatever failed (rejected input, a busy
 * workspace, a flag typo oclif found, an unknown command, a bug):
 *
 *   {"error": {"code": "flag_unknown", "message": "unknown flag --mnth (did you mean --month?)"}, "exitCode": 2}
 *
 * `file`, `row` and `column` name where an input error is; `details` carries what a script may
 * need beyond that (every collected input error, the writer holding the workspace).
 */
import {formatInputError, InputErrors, WorkspaceBusy} from '../errors.js'
import {EXIT} from './exit-codes.js'
import {closest} from './suggest.js'

export interface FailureJson {
  readonly error: {
    readonly code: string
    readonly message: string
    readonly file?: string
    readonly row?: number
    readonly column?: string
    readonly hint?: string
    readonly details?: Readonly<Record<string, unknown>>
  }
  readonly exitCode: number
}

/** A bad value of a flag, found where the flag is parsed (src/cli/flags.ts). */
export class FlagValueError extends Error {
  constructor(
    readonly flag: string,
    readonly reason: string,
  ) {
    super(reason)
    this.name = 'FlagValueError'
  }
}

/** `yb pya`: no such command; `suggestion` is the nearest one, when one is near. */
export class CommandUnknown extends Error {
  constructor(
    readonly command: string,
    readonly suggestion: string | undefined,
  ) {
    super(`"${command}" is not a yb command${suggestion === undefined ? '' : ` (did you mean "yb ${suggestion}"?)`}; \`yb help\` lists them`)
    this.name = 'CommandUnknown'
  }
}

/** A mistake in the command line that oclif's parser reported as a plain Error (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * A plain Error thrown by oclif's parser (an argument that is not an integer: its stack is in the
 * parser) as the usage error it is; anything else as it was.
 */
export function usageError(thrown: unknown): unknown {
  if (!(thrown instanceof Error) || thrown.constructor !== Error || /No (file|directory) found at /.test(thrown.message)) return thrown
  const fromParser = /[/\\]@oclif[/\\]core[/\\]lib[/\\](parser[/\\]|args\.js|flags\.js)/.test(thrown.stack ?? '')
  return fromParser ? new UsageError(oclifMessage(thrown)) : thrown
}

/** Input errors shown one per line in text mode before "… and N more". */
const ERRORS_SHOWN_MAX = 20
/** Input errors carried in `details.errors` under --json (the total is always given). */
const ERRORS_JSON_MAX = 1000

interface OclifError extends Error {
  readonly oclif?: {readonly exit?: number}
  readonly code?: string
  readonly flags?: readonly string[]
  readonly parse?: {readonly input?: {readonly flags?: Readonly<Record<string, unknown>>}}
}

/** oclif's parser errors by class name, with the code they get here. */
const PARSE_ERROR_CODES: Readonly<Record<string, string>> = {
  NonExistentFlagsError: 'flag_unknown',
  FlagInvalidOptionError: 'flag_value_not_allowed',
  ArgInvalidOptionError: 'argument_value_not_allowed',
  RequiredArgsError: 'argument_missing',
  UnexpectedArgsError: 'argument_unexpected',
  FailedFlagValidationError: 'flag_invalid',
  ViolatedFlagConstraintError: 'flag_invalid',
  InvalidArgsSpecError: 'argument_invalid',
  CLIParseError: 'usage',
}

/** oclif's message without its "See more help with --help" tail, which the text mode re-adds once. */
function oclifMessage(error: Error): string {
  return error.message.replace(/\s*See more help with --help\s*$/, '').replace(/^Parsing --(\S+) \n\t/, '--$1: ').trim()
}

function unknownFlagMessage(error: OclifError): string {
  const known = Object.keys(error.parse?.input?.flags ?? {}).map((name) => `--${name}`)
  const flags = error.flags ?? []
  return flags
    .map((flag) => {
      const near = closest(flag.split('=')[0]!, known)
      return `unknown flag ${flag}${near === undefined ? '' : ` (did you mean ${near}?)`}`
    })
    .join('; ')
}

/** What a failure is, as the one JSON shape (the exit code included); never throws. */
export function failureJson(thrown: unknown): FailureJson {
  const parsed = usageError(thrown)
  const error: OclifError = parsed instanceof Error ? parsed : new Error(String(parsed))
  if (error instanceof InputErrors) {
    const first = error.errors[0]
    return {
      error: {
        code: first?.code ?? 'input_rejected',
        message: error.message,
        ...(first === undefined ? {} : {file: first.file, row: first.row, column: first.column}),
        ...(first?.hint === undefined ? {} : {hint: first.hint}),
        details: {total: error.total, errors: error.errors.slice(0, ERRORS_JSON_MAX)},
      },
      exitCode: EXIT.input,
    }
  }
  if (error instanceof WorkspaceBusy) return {error: {code: 'workspace_busy', message: error.message, details: {holder: error.holder, waitedSeconds: error.waitedSeconds}}, exitCode: EXIT.busy}
  if (error instanceof FlagValueError) return {error: {code: 'flag_value_bad', message: `--${error.flag}: ${error.reason}`, details: {flag: `--${error.flag}`}}, exitCode: EXIT.usage}
  if (error instanceof CommandUnknown) {
    return {error: {code: 'command_unknown', message: error.message, ...(error.suggestion === undefined ? {} : {details: {suggestion: error.suggestion}})}, exitCode: EXIT.usage}
  }
  // Args.file / Flags.file({exists: true}): oclif throws a plain Error naming the path.
  const missing = error.constructor === Error ? /No (file|directory) found at (.+?)(\s*See more help with --help)?$/s.exec(error.message) : null
  if (missing !== null) {
    const flag = /^Parsing --(\S+)/.exec(error.message)?.[1]
    const path = missing[2]!.trim()
    return {error: {code: 'file_missing', message: `${flag === undefined ? '' : `--${flag}: `}${path}: no such ${missing[1]}`, file: path}, exitCode: EXIT.input}
  }
  if (error instanceof UsageError) return {error: {code: 'usage', message: error.message}, exitCode: EXIT.usage}
  const parseCode = PARSE_ERROR_CODES[error.constructor.name]
  if (parseCode !== undefined) {
    const message = parseCode === 'flag_unknown' ? unknownFlagMessage(error) : oclifMessage(error)
    return {error: {code: parseCode, message}, exitCode: EXIT.usage}
  }
  // this.error(message, {exit}) in a command: a usage or input message the command chose.
  if (error.constructor.name === 'CLIError') {
    const exitCode = error.oclif?.exit ?? EXIT.input
    return {error: {code: exitCode === EXIT.usage ? 'usage' : 'failed', message: oclifMessage(error)}, exitCode}
  }
  // The machine refused (a full disk, a missing folder, no permission) or the workspace file is
  // not SQLite: not a bug, and the message names the path or the workspace.
  if (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code) && 'syscall' in error) return {error: {code: 'system_error', message: error.message, details: {errno: error.code}}, exitCode: EXIT.input}
  if (typeof error.code === 'string' && error.code.startsWith('SQLITE_')) return {error: {code: 'workspace_unreadable', message: `the workspace: ${error.message}`, details: {sqlite: error.code}}, exitCode: EXIT.input}
  return {error: {code: 'internal_error', message: `a bug in yb: ${error.message} (please report it with the command that gave it)`}, exitCode: EXIT.bug}
}

/** True for oclif's ExitError (this.exit(n)): not a failure to report, only a code to exit with. */
export function exitRequest(thrown: unknown): number | undefined {
  const error = thrown as OclifError | undefined
  return error?.code === 'EEXIT' && typeof error.oclif?.exit === 'number' ? error.oclif.exit : undefined
}

/**
 * Reports `thrown` on stdout (JSON) or stderr (text) and returns the exit code. A bug keeps its
 * stack trace on stderr in both modes.
 */
export function reportFailure(thrown: unknown, json: boolean): number {
  const exit = exitRequest(thrown)
  if (exit !== undefined) return exit
  const failure = failureJson(thrown)
  if (json) process.stdout.write(`${JSON.stringify(failure, null, 2)}\n`)
  if (failure.error.code === 'internal_error') {
    process.stderr.write(`error: ${failure.error.message}\n${thrown instanceof Error ? (thrown.stack ?? '') : ''}\n`)
  } else if (!json) {
    if (thrown instanceof InputErrors) {
      for (const item of thrown.errors.slice(0, ERRORS_SHOWN_MAX)) process.stderr.write(`error: ${formatInputError(item)}\n`)
      const more = thrown.total - Math.min(thrown.errors.length, ERRORS_SHOWN_MAX)
      if (more > 0) process.stderr.write(`error: … and ${more} more\n`)
    } else {
      process.stderr.write(`error: ${failure.error.message}\n`)
      if (failure.exitCode === EXIT.usage && failure.error.code !== 'command_unknown') process.stderr.write('see --help for the flags and examples\n')
    }
  }
  return failure.exitCode
}

/** True when the arguments ask for --json (before a `--` that ends the flags). */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}
