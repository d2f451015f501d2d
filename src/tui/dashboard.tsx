/**
 * `yb dashboard`: the year so far per institution — cases, CMI, fund due and paid to date with
 * a bar, the projected year-end balance, and a sparkline of its months — under the region's
 * budget line and monthly sparkline. The data is computed before (app/dashboard.ts); this only
 * draws it. Keys: ↑/↓ or j/k move, s sort, ? keys, q quit.
 */
import {Box, Text, useApp, useInput} from 'ink'
import {useEffect, useReducer, useRef, useState} from 'react'
import type {ConsumptionIndexes} from '../app/consumption-indexes.js'
import {BAR_CELLS, type DashboardData, type DashboardInstitution} from '../app/dashboard.js'
import {groupedYuan} from './format.js'
import {type Column, fitColumns, fitLine, headerText, rowLine} from './layout.js'
import {useTerminal} from './terminal.js'

const SPARK = '▁▂▃▄▅▆▇█'
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

/** Levels 0…7 as ▁…█, a month without data as a space. */
export function sparkline(levels: readonly number[]): string {
  return levels.map((l) => (l < 0 ? ' ' : SPARK[l])).join('')
}

/** A bar of `eighths` eighth-cells, padded to `cells` cells. */
export function bar(eighths: number, cells: number): string {
  const text = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]
  return text + ' '.repeat(Math.max(0, cells - [...text].length))
}

type Sort = 'paid' | 'cmi' | 'projected' | 'id'
const SORTS: readonly Sort[] = ['paid', 'cmi', 'projected', 'id']
const SORT_LABEL: Record<Sort, string> = {paid: '已拨付 ↓', cmi: 'CMI ↓', projected: '预计年终 ↑', id: '机构编码'}

/** Sorting by text of decimals: compare as fixed-width numbers without making them numbers. */
function compareDecimalText(a: string, b: string): number {
  const sign = (t: string) => (t.startsWith('-') ? -1 : 1)
  if (sign(a) !== sign(b)) return sign(a) - sign(b)
  const [ai, af = ''] = a.replace('-', '').split('.') as [string, string?]
  const [bi, bf = ''] = b.replace('-', '').split('.') as [string, string?]
  const width = Math.max(ai.length, bi.length)
  const fraction = Math.max(af.length, bf.length)
  const key = (i: string, f: string) => i.padStart(width, '0') + f.padEnd(fraction, '0')
  const order = key(ai, af) < key(bi, bf) ? -1 : key(ai, af) > key(bi, bf) ? 1 : 0
  return sign(a) * order
}

export function sortInstitutions(rows: readonly DashboardInstitution[], sort: Sort): DashboardInstitution[] {
  const copy = [...rows]
  if (sort === 'id') return copy.sort((a, b) => (a.institutionId < b.institutionId ? -1 : 1))
  if (sort === 'paid') return copy.sort((a, b) => compareDecimalText(b.paidYuan, a.paidYuan))
  if (sort === 'cmi') return copy.sort((a, b) => compareDecimalText(b.cmi || '0', a.cmi || '0'))
  return copy.sort((a, b) => compareDecimalText(balanceOf(a), balanceOf(b)))
}

interface State {
  readonly sort: Sort
  readonly cursor: number
  readonly top: number
  readonly help: boolean
}

/** The year-end balance shown: as cleared once the year is, else projected. */
const balanceOf = (i: DashboardInstitution): string => i.clearedBalanceYuan ?? i.projectedBalanceYuan

/** The table's columns, most needed first on a narrow terminal; the name takes what is left. */
export function dashboardColumns(cleared: boolean): readonly Column<DashboardInstitution>[] {
  return DASHBOARD_COLUMNS.map((column) => (column.title === '预计年终' && cleared ? {...column, title: '年终清算'} : column))
}

export const DASHBOARD_COLUMNS: readonly Column<DashboardInstitution>[] = [
  {title: '机构', width: 36, min: 10, priority: 1, value: (i) => `${i.institutionId} ${i.name}`},
  {title: '人次', width: 7, align: 'right', priority: 5, value: (i) => i.cases.toLocaleString('en-US')},
  {title: 'CMI', width: 6, align: 'right', priority: 6, value: (i) => i.cmi || '—'},
  {title: '费用指数', width: 8, align: 'right', priority: 9, value: (i) => (i.costIndex === null ? '…' : i.costIndex || '—')},
  {title: '时间指数', width: 8, align: 'right', priority: 9.5, value: (i) => (i.timeIndex === null ? '…' : i.timeIndex || '—')},
  {title: '基金应付', width: 14, align: 'right', priority: 3, value: (i) => groupedYuan(i.fundDueYuan)},
  {title: '已拨付', width: 14, align: 'right', priority: 2, value: (i) => groupedYuan(i.paidYuan)},
  {title: '', width: BAR_CELLS, priority: 8, value: (i) => bar(i.paidBar, BAR_CELLS)},
  {title: '预计年终', width: 13, align: 'right', priority: 4, value: (i) => groupedYuan(balanceOf(i))},
  {title: '月度', width: 12, priority: 7, value: (i) => sparkline(i.spark)},
]

/** A row at the widest layout (every column). */
export function institutionLine(i: DashboardInstitution): string {
  return rowLine(fitColumns(DASHBOARD_COLUMNS, 250), i)
}

/** The cursor row in full: after the clearing its lines, before it the held-back amounts and the months. */
function detailText(i: DashboardInstitution): string {
  if (i.cleared !== null) {
    const c = i.cleared
    return `${i.institutionId} ${i.name}: 统筹基金应支付 ${groupedYuan(c.entitledYuan)} · 结余/超支调整 ${groupedYuan(c.bandAdjustmentYuan)} · 保证金扣除 ${groupedYuan(c.depositForfeitedYuan)} · 扣款 ${groupedYuan(c.deductionsYuan)} · 本期应补应扣 ${groupedYuan(i.clearedBalanceYuan ?? '0.00')}`
  }
  return `${i.institutionId} ${i.name}: 预留 ${groupedYuan(i.withheldYuan)} · 预付金 ${groupedYuan(i.prepaidYuan)} · 月度拨付 ${i.monthlyPaidYuan.map((m) => (m === null ? '—' : groupedYuan(m))).join(' / ')}`
}

/** The text mark of the budget position (colour, where the terminal has it, only repeats it). */
const BUDGET_MARK: Record<'over' | 'under' | 'on', string> = {over: ' ▲超进度预算', under: ' ▼低于进度预算', on: ''}

export interface DashboardProps {
  readonly data: DashboardData
  /** Rows of institutions on screen (default: the terminal's rows less the screen's own 7 lines, following resizes). */
  readonly height?: number
  readonly width?: number
  /** Enter on an institution: the screen closes and this opens its cases (yb dashboard then comes back). */
  readonly onOpen?: (institutionId: string) => void
  /** The institution the cursor starts on (coming back from its cases). */
  readonly initialInstitution?: string
  /** 费用/时间消耗指数 coming from a worker: the columns show … until they arrive. */
  readonly indexes?: Promise<ConsumptionIndexes>
}

export function DashboardApp(props: DashboardProps) {
  const {exit} = useApp()
  const [filled, setFilled] = useState<ConsumptionIndexes | null>(null)
  useEffect(() => {
    let live = true
    props.indexes?.then(
      (indexes) => live && setFilled(indexes),
      () => live && setFilled({}),
    )
    return () => {
      live = false
    }
  }, [props.indexes])
  const institutions = filled === null ? props.data.institutions : props.data.institutions.map((i) => ({...i, costIndex: filled[i.institutionId]?.costIndex ?? '', timeIndex: filled[i.institutionId]?.timeIndex ?? ''}))
  const {width, height} = useTerminal(props, 7)
  const fitted = fitColumns(dashboardColumns(props.data.clearRunId !== null), width)
  const ref = useRef<State | null>(null)
  if (ref.current === null) {
    const at = Math.max(0, sortInstitutions(props.data.institutions, 'paid').findIndex((i) => i.institutionId === props.initialInstitution))
    ref.current = {sort: 'paid', cursor: at, top: Math.max(0, at - height + 1), help: false}
  }
  const [, render] = useReducer((n: number) => n + 1, 0)
  const rows = sortInstitutions(institutions, ref.current!.sort)
  useInput((input, key) => {
    let s = ref.current!
    if (key.return && !s.help && props.onOpen !== undefined && rows[s.cursor] !== undefined) {
      props.onOpen(rows[s.cursor]!.institutionId)
      exit()
      return
    }
    for (const ch of input.length > 1 ? [...input] : [input]) {
      if (s.help) {
        if (ch === '?' || ch === 'q' || key.escape) s = {...s, help: false}
        continue
      }
      if (ch === 'q') {
        exit()
        return
      }
      if (ch === '?') s = {...s, help: true}
      else if (ch === 's') s = {...s, sort: SORTS[(SORTS.indexOf(s.sort) + 1) % SORTS.length]!, cursor: 0, top: 0}
      else if (key.downArrow || ch === 'j') s = {...s, cursor: Math.min(rows.length - 1, s.cursor + 1)}
      else if (key.upArrow || ch === 'k') s = {...s, cursor: Math.max(0, s.cursor - 1)}
      const top = s.cursor < s.top ? s.cursor : s.cursor >= s.top + height ? s.cursor - height + 1 : s.top
      s = {...s, top}
    }
    ref.current = s
    render()
  })
  const s = ref.current!
  const d = props.data
  if (s.help) {
    return (
      <Box flexDirection="column">
        <Text bold>yb dashboard — keys</Text>
        <Text>↑ ↓  j k   move</Text>
        <Text>s          sort: 已拨付 ↓ → CMI ↓ → 预计年终 ↑ → 机构编码</Text>
        <Text>?          this help (? or Esc closes it)</Text>
        <Text>q          quit</Text>
      </Box>
    )
  }
  const selected = rows[s.cursor]
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {fitLine(`yb dashboard ${d.year} — ${d.region.code} ${d.region.name} · ${d.method} · 已付 ${d.monthsPaid.length}/12 个月 · 排序 ${SORT_LABEL[s.sort]}`, width)}
      </Text>
      <Text wrap="truncate-end" {...(d.budget.position === 'over' ? {color: 'red'} : {})}>
        {fitLine(`可用预算 ${groupedYuan(d.budget.availableYuan)} · 至今 ${groupedYuan(d.budget.toDateYuan)} · 基金应付 ${groupedYuan(d.budget.fundDueYuan)}${d.budget.usedPercent === '' ? '' : ` (${d.budget.usedPercent}%${BUDGET_MARK[d.budget.position]})`} · 月度 ${sparkline(d.monthlySpark)}`, width)}
      </Text>
      <Text bold wrap="truncate-end">
        {' '}
        {headerText(fitted)}
      </Text>
      {rows.length === 0 ? <Text wrap="truncate-end">{fitLine(`(no payment run in ${d.year} yet: yb pay --month ${d.year}-01)`, width)}</Text> : null}
      {rows.slice(s.top, s.top + height).map((i, k) => (
        <Text key={i.institutionId} inverse={s.top + k === s.cursor} wrap="truncate-end">
          {s.top + k === s.cursor ? '▶' : ' '}
          {rowLine(fitted, i)}
        </Text>
      ))}
      <Text wrap="truncate-end">
        {selected === undefined
          ? ' '
          : fitLine(detailText(selected), width)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {fitLine(`${d.projection} · ${props.onOpen === undefined ? '' : 'Enter cases · '}s sort · ? keys · q quit`, width)}
      </Text>
    </Box>
  )
}
