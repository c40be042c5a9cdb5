// Runs a bench folder's TypeScript entry in place (swc on load) and sets the exit code from its main(argv).
// With `buildCli`, the dockyard CLI the bench times is built first (tools/cli/build.cjs), so it runs compiled, as
// users and Nx run it.
const { execFileSync } = require('node:child_process');
const { basename, join } = require('node:path');

module.exports = function launch(dir, entry, { buildCli = false } = {}) {
  if (buildCli)
    execFileSync(process.execPath, [join(__dirname, '..', 'tools', 'cli', 'build.cjs')], { stdio: 'inherit' });
  require('@swc-node/register');
  require(join(dir, entry))
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err) => {
      console.error(`bench/${basename(dir)}: ${err && err.stack ? err.stack : err}`);
      process.exitCode = 1;
    });
};
