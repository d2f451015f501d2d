#!/usr/bin/env node
// yb: oclif reads oclif.manifest.json (written by the build) and imports only the command run.
// Every failure, oclif's own included, is reported by src/cli/failure.ts: one line on stderr, or
// under --json the one JSON shape on stdout, with the exit code of src/cli/exit-codes.ts.
import {flush, run} from '@oclif/core'

const argv = process.argv.slice(2)
try {
  await run(argv, import.meta.url)
  await flush()
} catch (error) {
  const {jsonRequested, reportFailure} = await import('../dist/cli/failure.js')
  process.exitCode = reportFailure(error, jsonRequested(argv))
}
