#!/usr/bin/env node
// The bench itself is TypeScript run in place (swc on load); the dockyard CLI it times runs compiled, as users and
// Nx run it, so it is built first (tools/cli/build.cjs).
require('node:child_process').execFileSync(
  process.execPath,
  [require('node:path').join(__dirname, '..', '..', 'tools', 'cli', 'build.cjs')],
  {
    stdio: 'inherit',
  },
);
require('@swc-node/register');
require('./bench.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`bench/cloud: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 1;
  });
