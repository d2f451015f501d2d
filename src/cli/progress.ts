/**
 * One self-overwriting progress line on stderr, at most four times a second; only when a
 * person is watching (the caller decides, see YbCommand.interactive).
 *
 *   const progress = progressLine('grouping'); progress.update('12,000 cases'); progress.done()
 */
export function progressLine(label: string): {update: (text: string) => void; done: () => void} {
  let last = 0
  return {
    update(text) {
      const now = Date.now()
      if (now - last < 250) return
      last = now
      process.stderr.write(`\r${label}… ${text}`)
    },
    done() {
      if (last > 0) process.stderr.write('\r\u001B[K')
    },
  }
}
