/**
 * oclif's command_not_found hook: `yb pya` names the nearest command (`yb pay`), with or without a
 * terminal, and never runs a command the user did not type (a payment writes to the workspace).
 * The failure is reported by bin/run.js like every other (exit 2, the one --json shape).
 */
import type {Hook} from '@oclif/core'
import {CommandUnknown} from '../cli/failure.js'
import {closest} from '../cli/suggest.js'

const hook: Hook<'command_not_found'> = async function (options) {
  const typed = options.id.replace(/:/g, ' ')
  const visible = options.config.commands.filter((command) => !command.hidden)
  const names = [...visible.map((command) => command.id), ...visible.flatMap((command) => command.aliases)].map((id) => id.replace(/:/g, ' '))
  throw new CommandUnknown(typed, closest(typed, names))
}

export default hook
