// Loads the CLI's TypeScript in place. Each file is transpiled by swc once and the output is
// cached on disk (keyed by path, mtime and size), so a warm start loads neither swc's native
// binding nor the TypeScript compiler: ~0.25 s and ~90 MB less for every dockyard call.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const cacheDir = path.join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'dockyard-ts');
const FORMAT = 'swc-cjs-es2022-v1';
let swc;

function transpile(source, filename) {
  swc ??= require('@swc/core');
  return swc.transformSync(source, {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
  }).code;
}

function cachedTranspile(filename) {
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha1').update(`${FORMAT}\0${filename}\0${stat.mtimeMs}\0${stat.size}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const code = transpile(fs.readFileSync(filename, 'utf8'), filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, cached);
    } catch {
      // A read-only install still works, it just transpiles on every start.
    }
    return code;
  }
}

require.extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(cachedTranspile(filename), filename);
};
