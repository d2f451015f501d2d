/**
 * The terminal a screen draws on: its width in columns, following resizes.
 *
 *   const {width, height} = useTerminal(props, 5)   // a given width or height (tests) wins over stdout's
 */
import {useStdout} from 'ink'
import {useEffect, useReducer} from 'react'

/** The terminal's size, re-rendering on resize: its columns, and the rows left after `reserved` lines of a screen's own. */
export function useTerminal(fixed: {readonly width?: number | undefined; readonly height?: number | undefined}, reserved: number): {width: number; height: number} {
  const {stdout} = useStdout()
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const follows = fixed.width === undefined || fixed.height === undefined
  useEffect(() => {
    if (!follows) return
    stdout.on('resize', rerender)
    return () => {
      stdout.off('resize', rerender)
    }
  }, [follows, stdout])
  return {width: fixed.width ?? (stdout.columns || 80), height: fixed.height ?? Math.max(5, (stdout.rows || 24) - reserved)}
}
