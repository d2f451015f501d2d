/**
 * `yb review`: the month's priced cases in a scrollable, filterable list (one page of rows in
 * state, read from the source by key, never the whole month), a case screen with its codes,
 * grouping trace and price build-up, a note prompt to mark a case for 特例单议, and a key help.
 *
 * Keys, list: ↑/↓ or j/k move, PgDn/PgUp or space/b page, Enter open, s status, o outlier,
 * i institution, M MDC, g group, / codes, F audit flag, S sort, x clear filters, m mark, u unmark, ? keys, q quit.
 * Case: ↑/↓ or j/k scroll, m mark, u unmark, Esc back, ? keys, q quit.
 */
import {Box, Text, useApp, useInput} from 'ink'
import {useReducer, useRef} from 'react'
import type {CaseView} from '../app/review-case.js'
import type {PageFrom, ReviewFilter, ReviewRow, ReviewSource} from '../store/review.js'
import {fitLine} from './layout.js'
import {CaseScreen, caseLines, Help, ListScreen, SORT_LABEL} from './review-screens.js'
import {useTerminal} from './terminal.js'

export interface ReviewProps {
  readonly source: ReviewSource
  readonly initialFilter?: ReviewFilter
  /** Rows of the list (and lines of the case screen) on screen (default: the terminal's rows less the screen's own 5 lines, following resizes). */
  readonly height?: number
  /** Columns of the terminal (default: stdout's, following resizes). */
  readonly width?: number
  readonly openCase: (settlementId: string) => CaseView
  readonly mark: (settlementId: string, note: string) => void
  readonly unmark: (settlementId: string) => boolean
  /** What q does when it does not quit yb (e.g. 'back to the dashboard'). */
  readonly quitLabel?: string
  /** The month's payment runs, oldest first, and a source for one of them: r steps through them. */
  readonly runs?: () => readonly number[]
  readonly openRun?: (runId: number) => ReviewSource
}

type PromptField = 'institution' | 'mdc' | 'group' | 'text' | 'note'
type Screen =
  | {readonly kind: 'list'}
  | {readonly kind: 'case'; readonly id: string; readonly view: CaseView; readonly scroll: number}
type Overlay = {readonly kind: 'none'} | {readonly kind: 'help'} | {readonly kind: 'prompt'; readonly field: PromptField; readonly text: string}

export interface State {
  readonly filter: ReviewFilter
  readonly rows: readonly ReviewRow[]
  /** Position of rows[0] among the filter's rows (0-based). */
  readonly top: number
  readonly cursor: number
  /** How many cases the filter keeps; null while it is being counted (a filter key answers with its first page first). */
  readonly count: number | null
  /** Σ 基金应付 of the filter's cases, once counted. */
  readonly total: string | null
  readonly screen: Screen
  readonly overlay: Overlay
  readonly message: string
}

const STATUS_CYCLE = ['', 'qy', 'ungroupable', 'invalid', 'grouped', 'per_diem', 'items'] as const
const SORT_CYCLE = ['', 'fund', 'cost', 'weight', 'los', 'deviation'] as const
const OUTLIER_CYCLE = ['', 'high', 'low', 'mid_low', 'extreme', 'normal'] as const
const FLAG_CYCLE = ['', 'any', 'split_admission', 'upcoding', 'low_standard', 'low_outlier', 'qy_ungroupable'] as const
const PROMPT_LABEL: Record<PromptField, string> = {institution: '机构编码', mdc: 'MDC', group: '病组 (DRG/DIP)', text: '编码包含', note: '特例单议 备注'}

const next = <T extends string>(cycle: readonly T[], current: string | undefined): T => cycle[(cycle.indexOf((current ?? '') as T) + 1) % cycle.length]!

function withField(filter: ReviewFilter, field: keyof ReviewFilter, value: string): ReviewFilter {
  const copy: Record<string, string> = {...(filter as Record<string, string>)}
  if (value === '') delete copy[field]
  else copy[field] = value
  return copy
}


export function ReviewApp(props: ReviewProps) {
  const {exit} = useApp()
  const {width, height} = useTerminal(props, 5)
  // The run shown: the current one, or an earlier one picked with r.
  const sourceRef = useRef(props.source)
  const fetch = (filter: ReviewFilter, from: PageFrom, limit: number) => sourceRef.current.page(filter, from, limit)
  const initial = (): State => {
    const filter = props.initialFilter ?? {}
    const source = sourceRef.current
    return {filter, rows: fetch(filter, {after: ''}, height), top: 0, cursor: 0, count: source.count(filter), total: source.fundTotal?.(filter) ?? null, screen: {kind: 'list'}, overlay: {kind: 'none'}, message: ''}
  }
  // The latest state in a ref: several keys in one chunk, or two events before a render, each see the one before.
  const ref = useRef<State | null>(null)
  if (ref.current === null) ref.current = initial()
  const [, render] = useReducer((n: number) => n + 1, 0)
  const set = (state: State) => {
    ref.current = state
    render()
  }

  // A filter key answers with its first page; the count and Σ of a million cases (40 – 100 ms)
  // follow on the next turn of the event loop, and a sort (which numbers the whole list once)
  // shows that it is sorting before it does.
  const counted = (filter: ReviewFilter): void => {
    setTimeout(() => {
      const now = ref.current!
      if (now.filter !== filter) return
      const source = sourceRef.current
      set({...now, count: source.count(filter), total: source.fundTotal?.(filter) ?? null})
    }, 0)
  }
  const refilter = (s: State, filter: ReviewFilter): State => {
    if (filter.sort !== undefined && filter.sort !== s.filter.sort) {
      setTimeout(() => {
        if (ref.current!.filter !== filter) return
        set({...ref.current!, rows: fetch(filter, {after: ''}, height), message: ''})
        counted(filter)
      }, 0)
      return {...s, filter, rows: [], top: 0, cursor: 0, count: null, total: null, message: `sorting by ${SORT_LABEL[filter.sort] ?? filter.sort}…`}
    }
    counted(filter)
    return {...s, filter, rows: fetch(filter, {after: ''}, height), top: 0, cursor: 0, count: null, total: null, message: ''}
  }
  const move = (s: State, step: 1 | -1): State => {
    if (s.rows.length === 0) return s
    const cursor = s.cursor + step
    if (cursor >= 0 && cursor < s.rows.length) return {...s, cursor}
    if (step > 0) {
      const more = fetch(s.filter, {after: s.rows.at(-1)!.settlementId}, 1)
      const dropped = s.rows.length >= height ? 1 : 0
      return more.length === 0 ? s : {...s, rows: [...s.rows.slice(dropped), ...more], top: s.top + dropped, cursor: Math.min(s.rows.length, height - 1)}
    }
    const before = fetch(s.filter, {before: s.rows[0]!.settlementId}, 1)
    return before.length === 0 ? s : {...s, rows: [...before, ...s.rows.slice(0, height - 1)], top: s.top - 1, cursor: 0}
  }
  const page = (s: State, step: 1 | -1): State => {
    if (s.rows.length === 0) return s
    if (step > 0) {
      const more = fetch(s.filter, {after: s.rows.at(-1)!.settlementId}, height)
      if (more.length === 0) return {...s, cursor: s.rows.length - 1}
      const rows = [...s.rows, ...more].slice(-height)
      return {...s, rows, top: s.top + s.rows.length + more.length - rows.length, cursor: Math.min(s.cursor, rows.length - 1)}
    }
    const before = fetch(s.filter, {before: s.rows[0]!.settlementId}, height)
    if (before.length === 0) return {...s, cursor: 0}
    return {...s, rows: [...before, ...s.rows].slice(0, height), top: s.top - before.length, cursor: Math.min(s.cursor, height - 1)}
  }
  const selected = (s: State): string | undefined => (s.screen.kind === 'case' ? s.screen.id : s.rows[s.cursor]?.settlementId)
  const setSpecial = (s: State, id: string, special: string): State => ({
    ...s,
    rows: s.rows.map((r) => (r.settlementId === id ? {...r, special} : r)),
    screen: s.screen.kind === 'case' && s.screen.id === id ? {...s.screen, view: {...s.screen.view, special}} : s.screen,
  })

  const submit = (s: State, field: PromptField, text: string): State => {
    const closed = {...s, overlay: {kind: 'none'} as const}
    if (field !== 'note') return refilter(closed, withField(s.filter, field === 'text' ? 'text' : field, text.trim()))
    const id = selected(s)
    if (id === undefined) return closed
    try {
      props.mark(id, text.trim())
      return {...setSpecial(closed, id, 'pending'), message: `${id} marked for 特例单议`}
    } catch (error) {
      return {...closed, message: (error as Error).message}
    }
  }

  const key1 = (s: State, ch: string, key: {upArrow: boolean; downArrow: boolean; pageUp: boolean; pageDown: boolean; return: boolean; escape: boolean}): State | 'exit' => {
    if (s.overlay.kind === 'help') return ch === '?' || key.escape || ch === 'q' ? {...s, overlay: {kind: 'none'}} : s
    if (ch === 'q') return 'exit'
    if (ch === '?') return {...s, overlay: {kind: 'help'}, message: ''}
    if (ch === 'm') {
      const id = selected(s)
      return id === undefined ? s : {...s, overlay: {kind: 'prompt', field: 'note', text: ''}, message: ''}
    }
    if (ch === 'u') {
      const id = selected(s)
      if (id === undefined) return s
      try {
        return props.unmark(id) ? {...setSpecial(s, id, ''), message: `${id} unmarked`} : {...s, message: `${id} has no pending mark`}
      } catch (error) {
        return {...s, message: (error as Error).message}
      }
    }
    if (s.screen.kind === 'case') {
      const screen = s.screen
      const last = Math.max(0, caseLines(screen.view, width).length - height)
      if (key.escape || ch === 'h' || key.upArrow || ch === 'k' || key.downArrow || ch === 'j') {
        if (key.escape || ch === 'h') return {...s, screen: {kind: 'list'}, message: ''}
        const scroll = Math.min(last, Math.max(0, screen.scroll + (key.upArrow || ch === 'k' ? -1 : 1)))
        return {...s, screen: {...screen, scroll}}
      }
      return s
    }
    if (key.downArrow || ch === 'j') return move(s, 1)
    if (key.upArrow || ch === 'k') return move(s, -1)
    if (key.pageDown || ch === ' ') return page(s, 1)
    if (key.pageUp || ch === 'b') return page(s, -1)
    if (key.return) {
      const row = s.rows[s.cursor]
      return row === undefined ? s : {...s, screen: {kind: 'case', id: row.settlementId, view: props.openCase(row.settlementId), scroll: 0}, message: ''}
    }
    if (ch === 's') return refilter(s, withField(s.filter, 'status', next(STATUS_CYCLE, s.filter.status)))
    if (ch === 'o') return refilter(s, withField(s.filter, 'outlier', next(OUTLIER_CYCLE, s.filter.outlier)))
    if (ch === 'F') return refilter(s, withField(s.filter, 'flag', next(FLAG_CYCLE, s.filter.flag)))
    if (ch === 'r' && props.runs !== undefined && props.openRun !== undefined) {
      const runs = props.runs()
      if (runs.length < 2) return {...s, message: `${sourceRef.current.month} has one payment run`}
      const at = runs.indexOf(sourceRef.current.runId)
      sourceRef.current = props.openRun(runs[(at + 1) % runs.length]!)
      return refilter(s, s.filter)
    }
    if (ch === 'S') return refilter(s, withField(s.filter, 'sort', next(SORT_CYCLE, s.filter.sort)))
    if (ch === 'x') return refilter(s, s.filter.sort === undefined ? {} : {sort: s.filter.sort})
    const prompt: Partial<Record<string, PromptField>> = {i: 'institution', M: 'mdc', g: 'group', '/': 'text'}
    const field = prompt[ch]
    if (field !== undefined) return {...s, overlay: {kind: 'prompt', field, text: field === 'text' ? '' : ((s.filter[field as keyof ReviewFilter] as string | undefined) ?? '')}, message: ''}
    return s
  }

  useInput((input, key) => {
    let s = ref.current!
    if (s.overlay.kind === 'prompt') {
      const overlay = s.overlay
      if (key.escape) return set({...s, overlay: {kind: 'none'}})
      if (key.return) return set(submit(s, overlay.field, overlay.text))
      if (key.backspace || key.delete) return set({...s, overlay: {...overlay, text: [...overlay.text].slice(0, -1).join('')}})
      if (key.ctrl || key.meta || input === '') return
      // A pasted or fast-typed chunk may end with Enter: take the text, then submit.
      const enter = input.indexOf('\r')
      if (enter >= 0) return set(submit(s, overlay.field, overlay.text + input.slice(0, enter)))
      return set({...s, overlay: {...overlay, text: overlay.text + input}})
    }
    // Keys that arrive together come as one chunk: take them one by one.
    const keys = input.length > 1 && !key.return ? [...input] : [input]
    for (const ch of keys) {
      const result = key1(s, ch, key)
      if (result === 'exit') {
        exit()
        return
      }
      s = result
      if (s.overlay.kind === 'prompt') break
    }
    set(s)
  })

  const s = ref.current
  if (s.overlay.kind === 'help') return <Help width={width} />
  const q = `q ${props.quitLabel ?? 'quit'}`
  // The keys one needs first lead, so that a narrow terminal cuts the others.
  const footer = s.message || (s.screen.kind === 'case' ? `Esc back · ? keys · ${q} · ↑↓ scroll · m mark 特例单议 · u unmark` : `Enter open · ? keys · ${q} · s status · o outlier · i/M/g/ filter · S sort · x clear · m mark`)
  return (
    <Box flexDirection="column">
      {s.screen.kind === 'case' ? (
        <CaseScreen id={s.screen.id} view={s.screen.view} scroll={s.screen.scroll} height={height} width={width} />
      ) : (
        <ListScreen state={s} source={sourceRef.current} height={height} width={width} />
      )}
      {s.overlay.kind === 'prompt' ? (
        <Text wrap="truncate-end">{fitLine(`${PROMPT_LABEL[s.overlay.field]}: ${s.overlay.text}▏ (Enter 确定 · Esc 取消)`, width)}</Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {fitLine(footer, width)}
        </Text>
      )}
    </Box>
  )
}

export {filterText, REVIEW_COLUMNS, rowText, titleText} from './review-screens.js'
