// Review rows and an in-memory ReviewSource for the screen tests (test/tui/*.test.tsx).
import type {PageFrom, ReviewFilter, ReviewRow, ReviewSource} from '../../src/store/review.js'

export const row = (id: string, institutionId: string, institutionName: string, status: string, outlier: string, group: string, dx: string, fundYuan: string): ReviewRow => ({
  settlementId: id,
  institutionId,
  institutionName,
  pool: '职工',
  mdc: group === '0000' ? '' : `MDC${group[0]}`,
  group,
  status,
  outlier,
  payment: status === 'grouped' ? 'drg' : status === 'invalid' ? 'held' : 'discounted_items',
  fundYuan,
  totalCostYuan: '10000.00',
  dx,
  px: '',
  special: '',
})

/** The same contract as the SQLite source (test/store/review.test.ts holds that one to it), over an array; it counts the rows it hands out. */
/** `flags`: the yb audit signals of a case, by settlement id (what the SQLite source joins from audit_case). */
export function arraySource(rows: readonly ReviewRow[], flags: Readonly<Record<string, readonly string[]>> = {}): ReviewSource & {served: number; data: ReviewRow[]} {
  const data = rows.map((r) => ({...r}))
  const match = (f: ReviewFilter) => (r: ReviewRow) =>
    (!f.institution || r.institutionId === f.institution) &&
    (!f.mdc || r.mdc === f.mdc) &&
    (!f.group || r.group === f.group) &&
    (!f.status || r.status === f.status) &&
    (!f.outlier || r.outlier === f.outlier) &&
    (!f.text || [r.dx, r.px, r.group, r.settlementId].some((t) => t.includes(f.text!))) &&
    (!f.flag || (flags[r.settlementId] ?? []).some((kind) => f.flag === 'any' || kind === f.flag))
  const source = {
    month: '2025-03',
    runId: 7,
    served: 0,
    data,
    count: (f: ReviewFilter) => data.filter(match(f)).length,
    page(f: ReviewFilter, from: PageFrom, limit: number) {
      const hits = data.filter(match(f))
      const out = 'after' in from ? hits.filter((r) => r.settlementId > from.after).slice(0, limit) : hits.filter((r) => r.settlementId < from.before).slice(-limit)
      source.served += out.length
      return out.map((r) => ({...r, special: data.find((d) => d.settlementId === r.settlementId)!.special}))
    },
  }
  return source
}

