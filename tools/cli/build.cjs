#!/usr/bin/env node
// Compiles the `dockyard` CLI ahead of time into tools/cli/dist/ (git-ignored): `npm run build:cli`, run by
// `npm install` (prepare) and `npm test`. bin/dockyard.cjs runs the build while it is current and the TypeScript
// in place otherwise (bin/compiled-cli.cjs decides), so an edit never runs old code.
//
// A small CommonJS entry (main.cjs: argument parsing, --help, failures) that requires one bundle per verb
// (verb-<name>.cjs) when that verb runs; a verb bundle holds the verb, its engines and the small pure-JavaScript
// packages that load many files (BUNDLED_PACKAGES). The modules the entry and the verbs must share, so that a class
// is one class and a signal has one handler (@dockyard/errors, @dockyard/files, the CLI's command.ts), are bundles of
// their own (shared-<name>.cjs) that both require. CommonJS over ESM with splitting because it starts faster:
// --help's whole load, measured under load, was ~15 ms against ~30 ms for the ESM entry and its shared chunks.
// Everything else in node_modules (native bindings, packages reading files beside themselves, ones the engines
// already load on first use) stays a plain require.
const { execFileSync } = require('node:child_process');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const esbuild = require('esbuild');

const root = join(__dirname, '..', '..');
const src = join(__dirname, 'src');
const dist = join(__dirname, 'dist');
const RECORD = 'build.json';

/** Bundled: they load ~3x faster as one file than as their many node_modules files, and read nothing beside themselves. */
const BUNDLED_PACKAGES = [
  'yaml',
  'semver',
  'ignore',
  'fastest-levenshtein',
  'dockerfile-ast',
  'vscode-languageserver-types',
  'vscode-languageserver-textdocument',
  '@balena/dockerignore',
];
const bundled = (specifier) =>
  specifier.startsWith('@dockyard/') ||
  BUNDLED_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** One instance each in a run: their own bundles, required by the entry and by every verb. */
const SHARED = {
  errors: { specifier: '@dockyard/errors', entry: 'libs/errors/src/index.ts' },
  files: { specifier: '@dockyard/files', entry: 'libs/files/src/index.ts' },
  command: { file: join(src, 'command.ts'), entry: 'tools/cli/src/command.ts' },
};

/** The verbs as commands/index.ts loads them: `import('./sync.ts')` is the bundle verb-sync.cjs. */
const VERBS = [
  ...readFileSync(join(src, 'commands', 'index.ts'), 'utf8').matchAll(/import\('\.\/([a-z-]+)\.ts'\)/g),
].map((match) => match[1]);

function sharedBundle(specifier, importer) {
  for (const [name, shared] of Object.entries(SHARED)) {
    const matches = shared.specifier
      ? specifier === shared.specifier
      : specifier.startsWith('.') &&
        resolve(dirname(importer), specifier).replace(/\.ts$/, '') === shared.file.slice(0, -3);
    if (matches) return `./shared-${name}.cjs`;
  }
  return undefined;
}

/**
 * A package the bundles import statically but do not hold, required when one of its exports is first used rather
 * than when the bundle loads: a verb pays for the SDKs its run touches (publishing a ContainerImage loads neither
 * @aws-sdk, nor sigstore, nor cyclonedx, ~0.8 s under load). Its export names are read here, at build time.
 */
function lazyPackage(specifier) {
  const real = require(require.resolve(specifier, { paths: [root] }));
  const names = Object.getOwnPropertyNames(real).filter((name) => name !== '__esModule');
  return [
    'let loaded;',
    `const load = () => (loaded ??= require(${JSON.stringify(specifier)}));`,
    real.__esModule ? "Object.defineProperty(exports, '__esModule', { value: true });" : '',
    `for (const name of ${JSON.stringify(names)})`,
    '  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });',
  ].join('\n');
}

/**
 * Resolves imports into the bundles: shared modules and verbs become requires of their bundles, packages outside
 * BUNDLED_PACKAGES stay requires (made lazy above when imported statically), and `__dirname` / `__filename` in the sources (schemas, package.json and caches
 * are found from them) keep meaning the source file's folder: that path relative to dist/, where every bundle sits.
 */
function dockyardBundles(outdir) {
  return {
    name: 'dockyard-bundles',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.namespace === 'bundle' || args.namespace === 'lazy') return { path: args.path, external: true };
        const shared = sharedBundle(args.path, args.importer);
        if (shared)
          return args.kind === 'dynamic-import'
            ? { path: shared, namespace: 'bundle' }
            : { path: shared, external: true };
        const verb = /^\.\/([a-z-]+)\.ts$/.exec(args.path);
        if (verb && args.importer === join(src, 'commands', 'index.ts') && VERBS.includes(verb[1]))
          return { path: `./verb-${verb[1]}.cjs`, namespace: 'bundle' };
        if (/^[^./]/.test(args.path) && !bundled(args.path))
          return args.kind === 'import-statement' && !args.path.startsWith('node:')
            ? { path: args.path, namespace: 'lazy' }
            : { external: true };
        return undefined;
      });
      // An `import()` of another bundle (a verb, a shared module) becomes a require of it: an external import()
      // would go through the ESM loader.
      build.onLoad({ filter: /.*/, namespace: 'bundle' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: lazyPackage(args.path), loader: 'js' }));
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const at = (path) => `require('node:path').join(__dirname, ${JSON.stringify(relative(outdir, path))})`;
        return {
          contents: text.replace(/\b__dirname\b/g, at(dirname(args.path))).replace(/\b__filename\b/g, at(args.path)),
          loader: 'ts',
        };
      });
    },
  };
}

/** Each file's mtime and size, as bin/compiled-cli.cjs compares them before a run. */
function stamps(files) {
  const stamped = {};
  for (const file of [...new Set(files)].sort()) {
    const stat = statSync(join(root, file));
    stamped[file] = [stat.mtimeMs, stat.size];
  }
  return stamped;
}

/**
 * What a run checks: the entry's and shared bundles' sources, the files that change what any bundle would hold
 * (a package update by npm install, a workspace package's exports, this script), and the sources of the verb it
 * runs, so `dockyard --help` checks ~30 files and `dockyard sync` the ~150 of its own.
 */
function buildRecord(metafile, temp, help) {
  const sourcesOf = (bundle) =>
    Object.keys(metafile.outputs[relative(root, join(temp, `${bundle}.cjs`))].inputs).filter(
      (file) => !file.includes('node_modules/') && !file.includes(':'),
    );
  const common = [
    ...['main', ...Object.keys(SHARED).map((name) => `shared-${name}`)].flatMap(sourcesOf),
    'node_modules/.package-lock.json',
    relative(root, module.filename),
    ...readdirSync(join(root, 'libs'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((lib) => `libs/${lib.name}/package.json`),
  ];
  return {
    format: 1, // bin/compiled-cli.cjs runs a build of this format only
    common: stamps(common),
    verbs: Object.fromEntries(
      VERBS.map((verb) => [verb, { help: help[verb], inputs: stamps(sourcesOf(`verb-${verb}`)) }]),
    ),
  };
}

async function build() {
  const temp = `${dist}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  try {
    await buildInto(temp);
    // Replaced in one rename, so a run never sees half a build (between the two steps it sees none and runs the sources).
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dirname(dist), { recursive: true });
    renameSync(temp, dist);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

async function buildInto(temp) {
  const entryPoints = {
    main: 'tools/cli/src/main.ts',
    'verb-table': 'tools/cli/src/verb-table.ts',
    ...Object.fromEntries(Object.entries(SHARED).map(([name, shared]) => [`shared-${name}`, shared.entry])),
    ...Object.fromEntries(VERBS.map((verb) => [`verb-${verb}`, `tools/cli/src/commands/${verb}.ts`])),
  };
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    outdir: temp,
    outExtension: { '.js': '.cjs' },
    sourcemap: 'linked',
    sourcesContent: false,
    keepNames: true,
    metafile: true,
    plugins: [dockyardBundles(temp)],
    logLevel: 'warning',
  });
  // Each verb's usage and options, so --help loads no verb (tools/cli/src/verb-table.ts).
  const help = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(join(temp, 'verb-table.cjs'))}).verbTable().then((table) => process.stdout.write(JSON.stringify(table)))`,
      ],
      { encoding: 'utf8', maxBuffer: 16 << 20 },
    ),
  );
  rmSync(join(temp, 'verb-table.cjs'));
  rmSync(join(temp, 'verb-table.cjs.map'));
  writeFileSync(join(temp, RECORD), JSON.stringify(buildRecord(result.metafile, temp, help)));
}

// `--optional` (npm install's prepare): a source that does not compile must not fail the install; the CLI then
// runs from its sources, and npm test (which builds without it) reports the error.
const optional = process.argv.includes('--optional');
build().catch((err) => {
  console.error(`tools/cli/build.cjs: ${err && err.message ? err.message : err}`);
  if (optional)
    console.error('tools/cli/build.cjs: the CLI runs from its TypeScript sources until `npm run build:cli` succeeds');
  else process.exitCode = 1;
});
