/**
 * The supervision signals of `yb audit` (docs/quality.md), from the counts the store gives:
 *
 * - split_admission (分解住院): a readmission of the same person to the same institution within
 *   `readmissionDays` of a discharge, for the same ADRG or the same principal diagnosis category
 *   (3-character ICD-10); a pair is a signal by itself, with both cases as its evidence.
 * - upcoding (高套): per institution, the cases in the MCC/CC groups (DRG codes ending 1 or 3) of
 *   ADRGs with a severity split, against its peers of the same level ADRG by ADRG;
 * - low_standard (低标入院): stays of at most `shortStayDays` costing less than `cheapShare` of
 *   their group's mean cost in the region, group by group;
 * - low_outlier (低倍率) and qy_ungroupable (0000/QY): the shares of those cases.
 *
 * An institution signal is raised when z ≥ zMin (src/clearing/supervision.ts) and it has at
 * least casesMin cases in what the signal compares, against the rest of its peers (institutions of
 * its level). No signal changes money by itself.
 *
 *   institutionSignals('upcoding', [{institutionId: 'H003', stratum: 'BR2', cases: 960, flagged: 672}, …], options)
 *   → [{kind: 'upcoding', institutionId: 'H003', cases: 960, flagged: 672, share: '0.7000', peerShare: '0.3501', z: '22.1…', raised: true, strata: […]}, …]
 */
import {binomialZ, byExcess, isAbove, shareText, type Stratum, zAtLeast} from '../clearing/supervision.js'

export type SignalKind = 'split_admission' | 'upcoding' | 'low_standard' | 'low_outlier' | 'qy_ungroupable'

export const SIGNAL_NAMES: Readonly<Record<SignalKind, string>> = {
  split_admission: '分解住院',
  upcoding: '高套',
  low_standard: '低标入院',
  low_outlier: '低倍率',
  qy_ungroupable: '0000/QY',
}

export interface AuditOptions {
  readonly readmissionDays: number
  readonly zMin: string
  readonly casesMin: number
  readonly shortStayDays: number
  readonly cheapShare: string
}

/** An institution's cases and flagged cases in one stratum (an ADRG, a group, or the whole). */
export interface StratumCount {
  readonly institutionId: string
  readonly stratum: string
  readonly cases: number
  readonly flagged: number
}

export interface InstitutionSignal {
  readonly kind: Exclude<SignalKind, 'split_admission'>
  readonly institutionId: string
  readonly cases: number
  readonly flagged: number
  readonly share: string
  /** The share of the rest of its peers (the same level; the institution left out), pooled over its strata. */
  readonly peerShare: string
  /** The flagged cases it would have at the region's shares, stratum by stratum. */
  readonly expected: string
  readonly z: string
  readonly raised: boolean
  /** Its strata with the most flagged cases above the expected, most first (at most 5). */
  readonly strata: readonly {readonly stratum: string; readonly cases: number; readonly flagged: number; readonly peerShare: string}[]
}

/**
 * `peerOf` gives an institution's peer group (its level, 医院等级): it is compared with the rest
 * of its peers, as offices compare 同级 institutions (a 三级 hospital's sicker patients and higher
 * coefficient would otherwise raise every 三级 hospital). A stratum where it has no peer with
 * cases is left out of its score.
 */
export function institutionSignals(kind: InstitutionSignal['kind'], counts: readonly StratumCount[], options: AuditOptions, peerOf: (institutionId: string) => string = () => ''): InstitutionSignal[] {
  const region = new Map<string, {cases: number; flagged: number}>()
  const byInstitution = new Map<string, StratumCount[]>()
  const peerKey = (c: StratumCount): string => `${peerOf(c.institutionId)}\t${c.stratum}`
  for (const c of counts) {
    const key = peerKey(c)
    const r = region.get(key) ?? {cases: 0, flagged: 0}
    r.cases += c.cases
    r.flagged += c.flagged
    region.set(key, r)
    const own = byInstitution.get(c.institutionId) ?? []
    own.push(c)
    byInstitution.set(c.institutionId, own)
  }
  const signals: InstitutionSignal[] = []
  for (const [institutionId, own] of [...byInstitution].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const strata: (Stratum & {stratum: string})[] = own
      .map((c) => {
        const r = region.get(peerKey(c))!
        return {stratum: c.stratum, cases: c.cases, flagged: c.flagged, restCases: r.cases - c.cases, restFlagged: r.flagged - c.flagged}
      })
      .filter((s) => s.restCases > 0)
    const cases = strata.reduce((n, s) => n + s.cases, 0)
    const flagged = strata.reduce((n, s) => n + s.flagged, 0)
    const restCases = strata.reduce((n, s) => n + s.restCases, 0)
    const restFlagged = strata.reduce((n, s) => n + s.restFlagged, 0)
    const score = binomialZ(strata)
    const top = strata
      .filter(isAbove)
      .sort((a, b) => byExcess(a, b) || (a.stratum < b.stratum ? -1 : 1))
      .slice(0, 5)
      .map((s) => ({stratum: s.stratum, cases: s.cases, flagged: s.flagged, peerShare: shareText(s.restFlagged, s.restCases)}))
    signals.push({
      kind,
      institutionId,
      cases,
      flagged,
      share: shareText(flagged, cases),
      peerShare: shareText(restFlagged, restCases),
      expected: score.expected,
      z: score.z,
      raised: cases >= options.casesMin && zAtLeast(score, options.zMin),
      strata: top,
    })
  }
  return signals
}

/** One case of a readmission pair, as the store gives it. */
export interface StayBrief {
  readonly settlementId: string
  readonly month: string
  readonly admitDate: string
  readonly dischargeDate: string
  readonly pdx: string
  /** The group its current payment run gave it ('' when none). */
  readonly drg: string
  readonly status: string
}

export interface ReadmissionCandidate {
  readonly institutionId: string
  readonly personKey: string
  readonly first: StayBrief
  readonly second: StayBrief
}

export interface SplitAdmission extends ReadmissionCandidate {
  readonly gapDays: number
  readonly relation: 'same_adrg' | 'same_dx_category'
}

const DAY_MS = 86_400_000
const dayNumber = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS

/** The ADRG of a DRG group code (its first three characters; QY and 0000 have none). */
export function adrgOf(stay: StayBrief): string {
  return stay.status === 'grouped' && stay.drg.length === 4 ? stay.drg.slice(0, 3) : ''
}

/** The candidates that are split admissions: within the days, and for the same ADRG or principal diagnosis category; exempt principal diagnoses (e.g. Z51 放化疗) are planned stays. */
export function splitAdmissions(candidates: readonly ReadmissionCandidate[], options: AuditOptions, exemptDxPrefixes: readonly string[]): SplitAdmission[] {
  const out: SplitAdmission[] = []
  for (const c of candidates) {
    const gapDays = dayNumber(c.second.admitDate) - dayNumber(c.first.dischargeDate)
    if (!(gapDays >= 0 && gapDays <= options.readmissionDays)) continue
    if (exemptDxPrefixes.some((prefix) => c.second.pdx.startsWith(prefix) || c.first.pdx.startsWith(prefix))) continue
    const a = adrgOf(c.first)
    const relation = a !== '' && a === adrgOf(c.second) ? 'same_adrg' : c.first.pdx.length >= 3 && c.first.pdx.slice(0, 3) === c.second.pdx.slice(0, 3) ? 'same_dx_category' : undefined
    if (relation !== undefined) out.push({...c, gapDays, relation})
  }
  return out.sort((x, y) => (x.second.settlementId < y.second.settlementId ? -1 : x.second.settlementId > y.second.settlementId ? 1 : x.first.settlementId < y.first.settlementId ? -1 : 1))
}

/** The severity of a CHS-DRG group code: 1 伴严重并发症 (MCC), 3 伴一般并发症 (CC), 5 不伴; others are not split. */
export function severityOf(drg: string): 'severe' | 'plain' | undefined {
  if (drg.length !== 4) return undefined
  const last = drg[3]
  return last === '1' || last === '3' ? 'severe' : last === '5' ? 'plain' : undefined
}
