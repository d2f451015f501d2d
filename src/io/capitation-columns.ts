/**
 * The inputs of 按人头付费 (outpatient capitation) and 门特 per-patient packages, per month:
 * enrolment (签约/参保人数, or 门特 patients by category) and the fund's outpatient spending on
 * the enrolled, at the institution and elsewhere (外转/外诊). A blank category is general
 * capitation; a category names a 门特 package.
 */
import {caseColumnAliases} from './case-columns.js'
import {type ColumnSpec, POOL_VALUES} from './columns.js'

const CATEGORY: ColumnSpec = {name: 'category', aliases: ['门特病种', '病种类别', '包干类别', '类别'], kind: 'text', required: false, maxLength: 50}

export const ENROLLMENT_COLUMNS: readonly ColumnSpec[] = [
  {name: 'institution_id', aliases: caseColumnAliases('institution_id'), kind: 'text', required: true},
  {name: 'pool', aliases: caseColumnAliases('insurance_type'), kind: 'enum', required: true, values: POOL_VALUES},
  CATEGORY,
  {name: 'persons', aliases: ['签约人数', '参保人数', '人头数', '患者人数', '人数'], kind: 'integer', required: true, max: '10000000'},
]

export const OUTPATIENT_COLUMNS: readonly ColumnSpec[] = [
  {name: 'institution_id', aliases: caseColumnAliases('institution_id'), kind: 'text', required: true},
  {name: 'pool', aliases: caseColumnAliases('insurance_type'), kind: 'enum', required: true, values: POOL_VALUES},
  CATEGORY,
  {name: 'own_fund_yuan', aliases: ['本机构统筹支付', '本机构门诊统筹支付', '门诊统筹支付'], kind: 'amount', required: true, max: '1000000000'},
  {name: 'outside_fund_yuan', aliases: ['外转统筹支付', '外诊统筹支付', '外转外诊统筹支付'], kind: 'amount', required: false, max: '1000000000'},
]
