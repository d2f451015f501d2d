/**
 * The file of an audit for the 稽核 team: `.xlsx` with sheets 预警 (the raised signals), 机构 (every
 * institution's values) and 病例 (each case of each signal); any other name gets the 病例 rows as
 * CSV (UTF-8 with BOM). Written through a temporary name, cells neutralised for spreadsheets.
 *
 *   await writeSuperviseFile(db, result, 'audit-2025.xlsx')
 */
import {type InstitutionSignal, SIGNAL_NAMES, type SignalKind, type SplitAdmission} from '../quality/signals.js'
import {csvLine, spreadsheetSafe, TextOutput} from '../io/text-stream.js'
import {writeXlsx} from '../io/xlsx.js'
import {workspaceFiles} from '../io/output-target.js'
import type {Db} from '../store/db.js'
import {auditCaseRows} from '../store/supervision.js'
import type {SuperviseResult} from './supervise.js'

const RELATION: Record<SplitAdmission['relation'], string> = {same_adrg: '同ADRG', same_dx_category: '同主诊断类目'}

export const INSTITUTION_HEADER = ['机构编码', '信号', '病例数', '标记例数', '占比', '同级其他机构占比', '期望例数', 'z', '是否预警', '主要分组']

export function institutionRow(s: InstitutionSignal): string[] {
  return [s.institutionId, SIGNAL_NAMES[s.kind], String(s.cases), String(s.flagged), s.share, s.peerShare, s.expected, s.z || '—', s.raised ? '▲' : '', s.strata.slice(0, 3).map((t) => `${t.stratum} ${t.flagged}/${t.cases}`).join(' ')]
}

export const SPLIT_HEADER = ['机构编码', '前次结算', '前次出院', '后次结算', '后次入院', '间隔天数', '关联', '前次分组', '后次分组']

export function splitRow(s: SplitAdmission): string[] {
  return [s.institutionId, s.first.settlementId, s.first.dischargeDate, s.second.settlementId, s.second.admitDate, String(s.gapDays), RELATION[s.relation], s.first.drg || s.first.pdx, s.second.drg || s.second.pdx]
}

const CASE_HEADER = ['信号编号', '信号', '机构编码', '说明', '结算流水号']

export async function writeSuperviseFile(db: Db, result: SuperviseResult, path: string): Promise<void> {
  const out = new TextOutput(path, '--out', workspaceFiles(db.name))
  try {
    const caseRows = (): string[][] => [...auditCaseRows(db, result.auditId)].map(([no, kind, institution, subject, id]) => [String(no), SIGNAL_NAMES[kind as SignalKind] ?? kind, institution, subject, id])
    if (path.toLowerCase().endsWith('.xlsx')) {
      // xlsx cells are written as strings, never as formulas: nothing to neutralise.
      const text = (rows: readonly (readonly string[])[]): string[][] => rows.map((row) => [...row])
      const raised = result.institutions.filter((s) => s.raised)
      await out.writeBytes(
        writeXlsx([
          {name: '预警', rows: text([INSTITUTION_HEADER, ...raised.map(institutionRow)])},
          {name: '分解住院', rows: text([SPLIT_HEADER, ...result.splitAdmissions.map(splitRow)])},
          {name: '机构', rows: text([INSTITUTION_HEADER, ...result.institutions.map(institutionRow)])},
          {name: '病例', rows: text([CASE_HEADER, ...caseRows()])},
        ]),
      )
    } else {
      out.write(`\uFEFF${csvLine(CASE_HEADER)}`)
      for (const row of caseRows()) {
        out.write(csvLine(row.map(spreadsheetSafe)))
        await out.flushIfFull()
      }
    }
    await out.commit()
  } catch (error) {
    await out.abandon()
    throw error
  }
}
