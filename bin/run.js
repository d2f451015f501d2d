#!/usr/bin/env node
// yb: oclif reads oclif.manifest.json (written by the build) and imports only the command run.
// Every failure, oclif's own included, is reported by src/cli/failure.ts: one line on stderr, or
// under --json the one JSON shape on stdout, with the exit code of src/cli/exit-codes.ts.
//
// oclif checks, as it loads, that Node satisfies the range its own package.json gives, with
// semver: 47 more modules in every start. yb's package.json gives yb's range (npm checks it at
// install), so that check is left out; oclif is imported after the variable that says so is set.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
const {flush, run} = await import('@oclif/core')

const argv = process.argv.slice(2)
try {
  await run(argv, import.meta.url)
  await flush()
} catch (error) {
  const {jsonRequested, reportFailure} = await import('../dist/cli/failure.js')
  process.exitCode = reportFailure(error, jsonRequested(argv))
}
