/**
 * The keyed tables that imports write, each with its key and stored columns: one definition for
 * the import that writes a row and for the audit that recomputes its hash.
 *
 *   rowHashOf(CASE_TABLE, values) → the row_hash an import stored for those values
 */
import {CASE_COLUMNS_ADDED, SETTLEMENT_CASE_COLUMNS} from '../io/columns.js'
import type {KeyedTable} from './keyed-import.js'

const CASE_FIELDS = SETTLEMENT_CASE_COLUMNS.map((c) => c.name).filter((c) => c !== 'settlement_id')

export const INSTITUTION_TABLE: KeyedTable = {name: 'institution', key: ['institution_id'], columns: ['institution_id', 'name', 'level', 'coefficient', 'pools']}
export const WEIGHT_TABLE: KeyedTable = {name: 'drg_weight', key: ['year', 'drg', 'institution_level'], columns: ['year', 'drg', 'institution_level', 'weight', 'drg_name', 'avg_cost']}
export const CASE_TABLE: KeyedTable = {name: 'settlement_case', key: ['settlement_id'], columns: ['settlement_id', 'month', ...CASE_FIELDS], addedColumns: CASE_COLUMNS_ADDED}
export const CORRECTION_TABLE: KeyedTable = {name: 'case_correction', key: ['settlement_id', 'month'], columns: ['settlement_id', 'month', 'original_month', ...CASE_FIELDS], addedColumns: CASE_COLUMNS_ADDED}
export const DEDUCTION_TABLE: KeyedTable = {name: 'deduction', key: ['deduction_id'], columns: ['deduction_id', 'year', 'month', 'institution_id', 'pool', 'kind', 'amount_yuan', 'basis']}
export const SPECIAL_TABLE: KeyedTable = {name: 'special_case', key: ['settlement_id'], columns: ['settlement_id', 'decision', 'approved_cost_yuan', 'approved_score', 'note', 'source']}

export const ENROLLMENT_TABLE: KeyedTable = {name: 'enrollment', key: ['month', 'institution_id', 'pool', 'category'], columns: ['month', 'institution_id', 'pool', 'category', 'persons']}
export const OUTPATIENT_TABLE: KeyedTable = {name: 'outpatient_spending', key: ['month', 'institution_id', 'pool', 'category'], columns: ['month', 'institution_id', 'pool', 'category', 'own_fund_yuan', 'outside_fund_yuan']}

export const KEYED_TABLES: readonly KeyedTable[] = [INSTITUTION_TABLE, WEIGHT_TABLE, CASE_TABLE, CORRECTION_TABLE, DEDUCTION_TABLE, SPECIAL_TABLE, ENROLLMENT_TABLE, OUTPATIENT_TABLE]
