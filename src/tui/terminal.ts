/**
 * The terminal a screen draws on: its width in columns, following resizes.
 *
 *   const width = useColumns(props.width)   // a given width (tests) wins over stdout's
 */
import {useStdout} from 'ink'
import {useEffect, useReducer} from 'react'

/** The terminal's columns, re-rendering on resize; `fixed` (tests, a given width) wins. */
export function useColumns(fixed: number | undefined): number {
  const {stdout} = useStdout()
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    if (fixed !== undefined) return
    stdout.on('resize', rerender)
    return () => {
      stdout.off('resize', rerender)
    }
  }, [fixed, stdout])
  return fixed ?? (stdout.columns || 80)
}

