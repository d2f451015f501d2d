/**
 * The review screen on a workspace, until the user quits it: what `yb review` runs, and what
 * `yb dashboard` opens on an institution (Enter), returning to the dashboard on q.
 *
 *   await reviewScreen(db, '2025-03', {institution: 'H001', back: 'dashboard'})
 */
import {render} from 'ink'
import {reviewCaseViewer} from '../app/review-case.js'
import type {Db} from '../store/db.js'
import {monthRunIds, reviewSource} from '../store/review.js'
import {markSpecialCase, unmarkSpecialCase} from '../store/special-cases.js'
import {asWriter} from '../store/writer.js'
import {ReviewApp} from '../tui/review.js'

export async function reviewScreen(db: Db, month: string, options: {readonly institution?: string; readonly flag?: string; readonly back?: string} = {}): Promise<void> {
  const source = reviewSource(db, month)
  const app = render(
    <ReviewApp
      source={source}
      runs={() => monthRunIds(db, month)}
      openRun={(runId) => reviewSource(db, month, runId)}
      initialFilter={{...(options.institution === undefined ? {} : {institution: options.institution}), ...(options.flag === undefined ? {} : {flag: options.flag})}}
      openCase={reviewCaseViewer(db)}
      mark={(id, note) => void asWriter(db, `yb review --month ${month}: mark ${id}`, () => markSpecialCase(db, id, note))}
      unmark={(id) => asWriter(db, `yb review --month ${month}: unmark ${id}`, () => unmarkSpecialCase(db, id))}
      {...(options.back === undefined ? {} : {quitLabel: `back to the ${options.back}`})}
    />,
  )
  await app.waitUntilExit()
}
