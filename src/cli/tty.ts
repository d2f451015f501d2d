/**
 * Interactive screens need a person at a terminal: both stdin and stdout a TTY, and not CI.
 * Otherwise the command refuses and names the command that gives the same data for scripts.
 */
import {inputError, InputErrors} from '../errors.js'

export function requireTerminal(command: string, instead: string): void {
  if (process.stdout.isTTY && process.stdin.isTTY && !process.env.CI) return
  throw new InputErrors([inputError(command, 0, '', 'value_not_allowed', `${command} is interactive and needs a terminal (stdin and stdout a TTY, CI unset)`, `for scripts use ${instead}`)])
}
