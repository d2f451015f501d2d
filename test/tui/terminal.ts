// Renders an Ink screen on a fake terminal of a given width (ink-testing-library's is always
// 100 columns wide), keeping every frame Ink writes; keys go in through stdin as a TTY's would.
import {EventEmitter} from 'node:events'
import {render} from 'ink'
import type {ReactElement} from 'react'

class FakeStdout extends EventEmitter {
  frames: string[] = []
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super()
  }
  /** The terminal is resized: Ink and the screens hear 'resize'. */
  resize(columns: number, rows: number): void {
    this.columns = columns
    this.rows = rows
    this.emit('resize')
  }
  write = (frame: string): boolean => {
    this.frames.push(frame)
    return true
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true
  private pending: string | null = null
  write(data: string): void {
    this.pending = data
    this.emit('readable')
    this.emit('data', data)
  }
  read = (): string | null => {
    const data = this.pending
    this.pending = null
    return data
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export function renderAt(tree: ReactElement, columns: number, rows: number) {
  const stdout = new FakeStdout(columns, rows)
  const stdin = new FakeStdin()
  const instance = render(tree, {stdout: stdout as never, stderr: new FakeStdout(columns, rows) as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false})
  return {stdin, stdout, lastFrame: () => stdout.frames.at(-1), unmount: () => instance.unmount()}
}
