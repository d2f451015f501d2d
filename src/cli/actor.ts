/**
 * Who does what the period log records: `--by`, else $USER (or $LOGNAME), else 'unknown'.
 */
import {Flags} from '@oclif/core'

export const byFlag = Flags.string({description: 'who closes or reopens it, for the period log (default: $USER)', helpValue: '<name>'})

export function actorOf(by: string | undefined): string {
  return by ?? process.env.USER ?? process.env.LOGNAME ?? 'unknown'
}
