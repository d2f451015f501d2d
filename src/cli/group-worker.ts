/**
 * The worker thread of group-workers.ts: opens the scheme and catalog the command opened (and
 * checks that they are the same), parses the whole file and groups its share, posting each batch
 * at most BATCHES_AHEAD ahead of the command's writing; then its tally, or the error that stopped it.
 */
import {workerData} from 'node:worker_threads'
import {InputErrors} from '../errors.js'
import {claimBatch, groupFile, tallyOf} from '../grouper/group-file.js'
import {ChannelSender} from '../io/worker-channel.js'
import {BATCHES_AHEAD, type GroupReply, type GroupWorkerInput} from './group-workers.js'
import {openDip, openScheme} from './scheme-ref.js'

const job = workerData as GroupWorkerInput
const channel = new ChannelSender<GroupReply>(job.port, new Int32Array(job.control))
const CANCELLED = new Error('cancelled')
try {
  const scheme = job.refs.scheme === undefined ? undefined : openScheme(job.refs.scheme, job.refs.db).scheme
  const dip = job.refs.dip === undefined ? undefined : openDip(job.refs.dip, job.refs.db)
  const opened = channel.job<{scheme: string | null; dip: string | null}>(1)
  if (opened === undefined) throw CANCELLED
  if ((scheme?.sha256 ?? null) !== opened.scheme || (dip?.sha256 ?? null) !== opened.dip) throw new Error('the scheme or catalog changed while the command opened it; run it again')
  let posted = 0
  const result = await groupFile({
    ...(scheme === undefined ? {} : {scheme}),
    ...(dip === undefined ? {} : {dip}),
    input: job.input,
    output: '',
    format: job.format,
    explain: job.explain,
    encoding: job.encoding,
    ...(job.rejects === undefined ? {} : {rejects: job.rejects}),
    // A worker that takes no batch never waits for room: it sees the command's cancel between chunks.
    onProgress: () => {
      if (channel.cancelled) throw CANCELLED
    },
    share: {
      claim: claimBatch(new Int32Array(job.claims)),
      batchRecords: job.batchRecords,
      emit(batch) {
        if (!channel.waitForRoom(posted, BATCHES_AHEAD)) throw CANCELLED
        channel.post({batch})
        posted++
      },
    },
  })
  channel.post({end: tallyOf(result)})
} catch (error) {
  if (error !== CANCELLED && !channel.cancelled) channel.post(error instanceof InputErrors ? {error: error.message, inputErrors: error.errors, total: error.total} : {error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)})
} finally {
  job.port.close()
}

