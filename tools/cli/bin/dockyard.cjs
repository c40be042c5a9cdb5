#!/usr/bin/env node
// The CLI is TypeScript run in place: swc transpiles on load (cached), so there is no build step to forget.
require('./register-ts.cjs');
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`dockyard: ${err && err.message ? err.message : err}`);
    process.exitCode = 1;
  });
