/**
 * The layout of an institution's statement (结算单/对账单, settlement-rules §6): the 汇总 and 明细
 * columns, and the check equations between them. The equations are data: the writer turns them
 * into the 校验 sheet's formulas (so a spreadsheet that recalculates flags an edited total), and
 * the same definitions evaluate a file's own figures when `yb reconcile verify` reads it back.
 *
 *   statementChecks(MONTHLY, 'CASE', summaryRows, detailRows)
 *   → [{name: '职工 出院人次 = 明细行数', left: '2', right: '2', holds: true}, …]
 */
import type {Equation, Term} from '../clearing/equations.js'

export {type Equation, evaluate, type EvaluatedCheck, fenOfCell, type RowData, type Term} from '../clearing/equations.js'

/** 明细: one row per case. Amount columns hold 2-dp text; 病例点数 and 权重/分值 as stored. */
export const DETAIL_HEADERS = [
  '结算流水号',
  '病案号',
  '机构编码',
  '机构名称',
  '险种',
  '参保地',
  '入院日期',
  '出院日期',
  '住院天数',
  '离院方式',
  '主诊断编码',
  '主手术编码',
  '付费方式',
  '病组编码',
  '入组状态',
  '权重/分值',
  '病例点数',
  '偏差类型',
  '支付标准',
  '结算金额',
  '医疗总费用',
  '统筹基金记账',
  '个人负担',
  '统筹基金应支付',
  '差额',
  '特例单议',
  '结算类型',
  '备注',
] as const

/** 结算类型 of a 明细 line: a case of the month, one discharged earlier and declared late, or a correction's two lines. */
export const LINE_TYPES = {normal: '正常', late: '跨月', corrected: '已更正', reversal: '冲正', correction: '补退'} as const

export const DETAIL_AMOUNTS: ReadonlySet<string> = new Set(['支付标准', '结算金额', '医疗总费用', '统筹基金记账', '个人负担', '统筹基金应支付', '差额'])

/** The identification and volume columns every 汇总 row starts with. */
export const SUMMARY_LEAD = ['统筹区', '机构编码', '机构名称', '医院等级', '付费方式', '险种', '结算期间', '清算类型', '结算批次号', '制单时间', '出院人次', '入组人次', '未入组人次', '高倍率人次', '低倍率人次', '床日人次', '按项目人次', '待更正人次', '特例单议人次', '医疗总费用', '统筹基金记账', '个人负担', '总点数', '费率/点值'] as const

/** The monthly payment's amounts after the lead columns. */
export const MONTHLY_AMOUNTS = ['病例基金合计', '尾差', '统筹基金应支付', '本月审核扣减', '上月结转待扣', '本月实扣', '结转下月待扣', '本期拨付', '预留'] as const

export type StatementKind = 'monthly' | 'yearly'

const plus = (term: Term) => ({sign: 1 as const, term})
const minus = (term: Term) => ({sign: -1 as const, term})

/**
 * The equations of one 汇总 row (an institution and pool). `lines` are the clearing's signed
 * lines (yearly only); `stage` is the policy's money rounding stage.
 */
export function equations(kind: StatementKind, stage: 'CASE' | 'INSTITUTION', lines: readonly {label: string; sign: number}[] = []): Equation[] {
  // The clearing floors the year's due at 0 on its own line; the cases add up to the due before the floor.
  const due = kind === 'monthly' ? '统筹基金应支付' : '统筹基金应支付(计算值)'
  const common: Equation[] = [
    {name: '出院人次 = 明细行数', left: [plus({cell: '出院人次'})], right: [plus({detailCount: true})]},
    {name: '医疗总费用 = Σ 明细医疗总费用', left: [plus({cell: '医疗总费用'})], right: [plus({detailSum: '医疗总费用'})]},
    {name: '统筹基金记账 = Σ 明细统筹基金记账', left: [plus({cell: '统筹基金记账'})], right: [plus({detailSum: '统筹基金记账'})]},
    {name: '病例基金合计 = Σ 明细统筹基金应支付', left: [plus({cell: '病例基金合计'})], right: [plus({detailSum: '统筹基金应支付'})]},
    stage === 'INSTITUTION'
      ? {name: `${due} = 病例基金合计 − 尾差`, left: [plus({cell: due})], right: [plus({cell: '病例基金合计'}), minus({cell: '尾差'})]}
      : {name: `${due} = 病例基金合计 (逐例取整)`, left: [plus({cell: due})], right: [plus({cell: '病例基金合计'})]},
  ]
  if (kind === 'monthly') {
    return [
      ...common,
      {name: '本期拨付 + 预留 + 本月实扣 = max(0, 统筹基金应支付)', left: [plus({cell: '本期拨付'}), plus({cell: '预留'}), plus({cell: '本月实扣'})], right: [plus({cell: '统筹基金应支付'})], rightFloor0: true},
      {name: '本月实扣 + 结转下月待扣 = 本月审核扣减 + 上月结转待扣', left: [plus({cell: '本月实扣'}), plus({cell: '结转下月待扣'})], right: [plus({cell: '本月审核扣减'}), plus({cell: '上月结转待扣'})]},
    ]
  }
  const signed = lines.filter((l) => l.sign !== 0).map((l) => (l.sign > 0 ? plus({cell: l.label}) : minus({cell: l.label})))
  return [...common, {name: `本期应补应扣 = ${signed.map((t, k) => `${k === 0 ? (t.sign > 0 ? '' : '−') : t.sign > 0 ? ' + ' : ' − '}${(t.term as {cell: string}).cell}`).join('')}`, left: [plus({cell: '本期应补应扣'})], right: signed}]
}

