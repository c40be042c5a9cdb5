#!/usr/bin/env node
// Same trick as tools/cli/bin/dockyard.cjs: swc transpiles the TypeScript on load, no build step.
require('@swc-node/register');
require('./measure.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`bench/scale: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 1;
  });
