/**
 * The screens of `yb review` (src/tui/review.tsx holds their state and keys): the list with its
 * title, header, rows and detail line, the case screen, and the key help, each fitted to the
 * terminal's width.
 */
import {Box, Text} from 'ink'
import type {CaseView} from '../app/review-case.js'
import type {ReviewFilter, ReviewRow, ReviewSource} from '../store/review.js'
import {cell, groupedYuan, OUTLIER_LABEL, SPECIAL_LABEL, STATUS_LABEL} from './format.js'
import {type Column, fitColumns, fitLine, headerText, rowLine, wrapLine} from './layout.js'
import type {State} from './review.js'

export const SORT_LABEL: Record<string, string> = {fund: '基金应付↓', cost: '医疗总费用↓', weight: '权重↓', los: '住院天数↓', deviation: '费用偏差↓'}

const FLAG_LABEL: Record<string, string> = {any: '任一预警', split_admission: '分解住院', upcoding: '高套', low_standard: '低标入院', low_outlier: '低倍率', qy_ungroupable: '0000/QY'}

export function filterText(filter: ReviewFilter): string {
  const parts = [
    filter.institution && `机构=${filter.institution}`,
    filter.mdc && `MDC=${filter.mdc}`,
    filter.group && `病组=${filter.group}`,
    filter.status && `状态=${STATUS_LABEL[filter.status] ?? filter.status}`,
    filter.outlier && `偏差=${OUTLIER_LABEL[filter.outlier] || '正常'}`,
    filter.text && `编码含"${filter.text}"`,
    filter.flag && `监管=${FLAG_LABEL[filter.flag] ?? filter.flag}`,
  ].filter(Boolean)
  const order = filter.sort === undefined ? '' : ` · 排序 ${SORT_LABEL[filter.sort] ?? filter.sort}`
  return (parts.length === 0 ? '全部' : parts.join(' · ')) + order
}

/**
 * The list's columns, most needed first when the terminal is narrow: at 80 columns the id,
 * group, status, amount, institution, outlier, 特例 and diagnosis; 险种 and MDC join from 100.
 * The institution takes the width left over (its full name is on the detail line).
 */
export const REVIEW_COLUMNS: readonly Column<ReviewRow>[] = [
  {title: '结算流水号', width: 17, priority: 1, value: (r) => r.settlementId},
  {title: '机构', width: 36, min: 8, priority: 5, value: (r) => `${r.institutionId} ${r.institutionName}`},
  {title: '险种', width: 4, priority: 9, value: (r) => r.pool},
  {title: 'MDC', width: 5, priority: 8, value: (r) => r.mdc},
  {title: '病组', width: 8, priority: 2, value: (r) => r.group},
  {title: '状态', width: 6, priority: 3, value: (r) => STATUS_LABEL[r.status] ?? r.status},
  {title: '偏差', width: 8, priority: 6, value: (r) => (r.payment === 'drg' ? (OUTLIER_LABEL[r.outlier] ?? r.outlier) : '')},
  {title: '基金应付', width: 11, align: 'right', priority: 4, value: (r) => groupedYuan(r.fundYuan)},
  {title: '主诊断', width: 8, priority: 7, value: (r) => r.dx},
  {title: '特例', width: 6, priority: 6.5, value: (r) => SPECIAL_LABEL[r.special] ?? r.special},
]

/** A row at the widest layout (every column), e.g. for a log or a test. */
export function rowText(r: ReviewRow): string {
  return rowLine(fitColumns(REVIEW_COLUMNS, 250), r)
}

/** The cursor row in full, under the list: what the narrow columns leave out. */
function detailLine(r: ReviewRow): string {
  return `${r.settlementId} · ${r.institutionId} ${r.institutionName} · ${r.pool} · MDC ${r.mdc || '—'} · ${r.group || '—'} ${STATUS_LABEL[r.status] ?? r.status} · 基金 ${groupedYuan(r.fundYuan)} · 费用 ${groupedYuan(r.totalCostYuan)} · 诊断 ${r.dx || '—'}${r.px ? ` · 手术 ${r.px}` : ''}`
}

/** The title: the run (and whether a newer one superseded it), the cursor's position among the filter's cases, their Σ fund, the filter. */
export function titleText(source: ReviewSource, state: State): string {
  const current = source.currentRunId?.() ?? source.runId
  const run = current === source.runId ? `run ${source.runId}` : `run ${source.runId} (superseded by run ${current}; r steps through the runs)`
  const position = `${state.rows.length === 0 ? 0 : (state.top + state.cursor + 1).toLocaleString('en-US')}/${state.count === null ? '…' : state.count.toLocaleString('en-US')} cases`
  const total = state.total === null ? '' : ` · 基金 ${groupedYuan(state.total)}`
  // The Σ comes last: on a narrow terminal it is what the cut takes first.
  return `yb review ${source.month} — ${run} · ${position} · 筛选: ${filterText(state.filter)}${total}`
}

export function ListScreen(props: {readonly state: State; readonly source: ReviewSource; readonly height: number; readonly width: number}) {
  const s = props.state
  const fitted = fitColumns(REVIEW_COLUMNS, props.width)
  const selected = s.rows[s.cursor]
  // After the terminal shrinks the rows held may be more than fit: show the window with the cursor.
  const first = Math.max(0, s.cursor - props.height + 1)
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {fitLine(titleText(props.source, s), props.width)}
      </Text>
      <Text bold wrap="truncate-end">
        {' '}
        {headerText(fitted)}
      </Text>
      {s.rows.length === 0 ? <Text>(no case matches: x clears the filters)</Text> : null}
      {s.rows.slice(first, first + props.height).map((r, k) => (
        <Text key={r.settlementId} inverse={first + k === s.cursor} wrap="truncate-end">
          {first + k === s.cursor ? '▶' : ' '}
          {rowLine(fitted, r)}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {selected === undefined ? ' ' : fitLine(detailLine(selected), props.width)}
      </Text>
    </Box>
  )
}

/** The case screen's lines, wrapped to the terminal's width. */
export function caseLines(view: CaseView, width: number): string[] {
  return view.lines.flatMap((line) => (line === '' ? [' '] : wrapLine(line, width)))
}

export function CaseScreen(props: {readonly id: string; readonly view: CaseView; readonly scroll: number; readonly height: number; readonly width: number}) {
  const lines = caseLines(props.view, props.width).slice(props.scroll, props.scroll + props.height)
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {fitLine(`病例 ${props.id}${props.view.special === '' ? '' : ` · 特例单议 ${SPECIAL_LABEL[props.view.special] ?? props.view.special}`}`, props.width)}
      </Text>
      {lines.map((line, k) => (
        <Text key={props.scroll + k} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  )
}

const HELP: readonly [string, string][] = [
  ['↑ ↓  j k', 'move (list) · scroll (case)'],
  ['PgDn PgUp  space b', 'page down / up'],
  ['Enter', 'open the case: codes, grouping trace, price build-up'],
  ['Esc  h', 'back to the list'],
  ['s', 'status filter: QY → 0000 → 待更正 → 入组 → 床日 → 项目 → all'],
  ['o', 'outlier filter: 高倍率 → 低倍率 → 中低倍率 → 极端 → 正常 → all'],
  ['i  M  g', 'filter by institution, MDC, group'],
  ['F', 'yb audit flags: any → 分解住院 → 高套 → 低标入院 → 低倍率 → 0000/QY → all'],
  ['/', 'filter by code text (diagnosis, procedure, group, id)'],
  ['S', 'sort: 基金应付 ↓ → 医疗总费用 ↓ → 权重 ↓ → 住院天数 ↓ → 费用偏差 (cost ÷ standard) ↓ → by id'],
  ['x', 'clear the filters (the sort stays)'],
  ['r', "the month's payment runs in turn: an earlier one is shown as superseded"],
  ['m', 'mark the case for 特例单议 with a note (used by the next yb pay / yb clear)'],
  ['u', 'remove a pending mark'],
  ['?', 'this help (? or Esc closes it)'],
  ['q', 'quit'],
]

export function Help(props: {readonly width: number}) {
  const keyWidth = props.width >= 60 ? 20 : 12
  return (
    <Box flexDirection="column">
      <Text bold>yb review — keys</Text>
      {HELP.flatMap(([keys, what]) =>
        wrapLine(what, Math.max(10, props.width - keyWidth - 1)).map((part, k) => (
          <Text key={`${keys}-${k}`} wrap="truncate-end">
            {fitLine(`${cell(k === 0 ? keys : '', keyWidth)} ${part}`, props.width)}
          </Text>
        )),
      )}
    </Box>
  )
}
