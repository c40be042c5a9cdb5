#!/usr/bin/env node
// Runs the compiled CLI (tools/cli/dist, `npm run build:cli`) when it is a build of the sources as they are, and
// the TypeScript in place otherwise (swc transpiles on load, cached), so an edit runs without a build step and a
// stale build never runs. DOCKYARD_CLI=source runs the sources regardless.
const argv = process.argv.slice(2);
const build = process.env.DOCKYARD_CLI === 'source' ? undefined : require('./compiled-cli.cjs').currentBuild(argv);

function start() {
  if (!build) {
    require('./register-ts.cjs');
    return require('../src/main.ts').main(argv);
  }
  // A crash's stack names the .ts files, through the bundles' source maps read only then.
  require('./stack-traces.cjs').mapCrashStacksInto(require('node:path').dirname(build.entry));
  return require(build.entry).main(argv, build.help);
}

start()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`dockyard: ${err && err.message ? err.message : err}`);
    process.exitCode = 1;
  });
