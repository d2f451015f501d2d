/**
 * yb's exit codes, the one table (the README prints the same):
 *
 * | code | meaning |
 * |---|---|
 * | 0 | done |
 * | 1 | rejected input or a failed check: nothing was written (`error.code` names why) |
 * | 2 | usage: an unknown command or flag, a bad flag value, a missing argument |
 * | 3 | done, but some rows went to the rejects file, or cases failed a quality rule (`yb cases check`) |
 * | 4 | a comparison found differences (`yb reconcile verify`, `yb audit verify`, `yb reconcile` of changed statements) |
 * | 5 | another yb command held the workspace for longer than YB_WAIT seconds (default 30) |
 * | 70 | a bug in yb (the stack trace is on stderr): please report it |
 */
export const EXIT = {
  ok: 0,
  input: 1,
  usage: 2,
  rejectedRows: 3,
  differences: 4,
  busy: 5,
  bug: 70,
} as const
