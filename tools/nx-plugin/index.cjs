// The entry point nx.json names. It is plain JavaScript on purpose: when no project.yaml changed since the
// last graph, every project comes from a content-hash cache on disk and neither a TypeScript transpiler nor
// the schema compiler is loaded (see bench/graph). Inference itself lives in src/create-nodes.ts.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { hashMultiGlobWithWorkspaceContext } = require('nx/src/utils/workspace-context');

// Nx walks this glob with its .gitignore/.nxignore rules; libs/spec's listProjectFiles (PROJECT_FILE) reproduces
// that walk for `dockyard validate`, the validate executor and the generators, so all see the same projects.
const PROJECT_FILE_GLOB = '**/project.yaml';
const CODE_ROOTS = [path.join(__dirname, 'src'), path.resolve(__dirname, '..', '..', 'libs', 'spec')];

/**
 * Hash of the code that infers projects, so editing the plugin or a schema invalidates the cache. Walked
 * here rather than asked of Nx's workspace context: that skips files behind symlinks, and the test
 * workspaces link tools/ and libs/ in, so a schema change there would leave its hash unchanged.
 */
function codeFingerprint() {
  const hash = createHash('sha1');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.test.ts')) hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  CODE_ROOTS.forEach(walk);
  return hash.digest('hex');
}

function cacheFile(workspaceRoot) {
  const dataDir = process.env.NX_WORKSPACE_DATA_DIRECTORY
    ? path.resolve(workspaceRoot, process.env.NX_WORKSPACE_DATA_DIRECTORY)
    : path.join(workspaceRoot, '.nx', 'workspace-data');
  return path.join(dataDir, 'dockyard-projects-v2.json');
}

function readCache(file, fingerprint) {
  try {
    const cache = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (cache.fingerprint === fingerprint) return cache.entries;
  } catch {}
  return {};
}

function writeCache(file, fingerprint, entries) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify({ fingerprint, entries }));
  fs.renameSync(temp, file);
}

let inferProject;
function loadInference() {
  if (!inferProject) {
    require('@swc-node/register');
    inferProject = require('./src/create-nodes.ts').inferProject;
  }
  return inferProject;
}

/**
 * One Nx project per project.yaml. Two files claiming one name would make Nx refuse the whole graph, so
 * later claimants (in path order) get a name derived from their folder; `validate` reports the clash.
 */
async function createProjectNodes(files, _options, context) {
  const root = context.workspaceRoot;
  const fingerprint = codeFingerprint();
  const location = cacheFile(root);
  const cached = readCache(location, fingerprint);
  const entries = {};
  let misses = 0;
  const taken = new Set();
  shipsByRoot = new Map();
  const sorted = [...files].sort();
  // Nx has already hashed every file of the workspace; asking it costs far less than reading them again.
  const hashes = await hashMultiGlobWithWorkspaceContext(root, sorted.map((file) => [file]));
  const results = sorted.map((file, i) => {
    const hash = hashes[i];
    let inferred = cached[file]?.hash === hash ? cached[file].inferred : undefined;
    if (!inferred) {
      misses++;
      inferred = loadInference()(root, file);
    }
    entries[file] = { hash, inferred };
    const { project, ships } = inferred;
    if (ships.length) shipsByRoot.set(project.root, ships);
    const named = taken.has(project.name) ? { ...project, name: `${project.name}@${project.root}` } : project;
    taken.add(named.name);
    return [file, { projects: { [project.root]: named } }];
  });
  if (misses > 0 || Object.keys(cached).length !== files.length) writeCache(location, fingerprint, entries);
  return results;
}

/** Root → names a Release ships, from the last createNodes in this process, else from the cache on disk. */
let shipsByRoot;
function shippedNames(workspaceRoot) {
  if (!shipsByRoot) {
    const { entries = {} } = JSON.parse(fs.readFileSync(cacheFile(workspaceRoot), 'utf8'));
    shipsByRoot = new Map(Object.values(entries).map(({ inferred }) => [inferred.project.root, inferred.ships]));
  }
  return shipsByRoot;
}

/** A Release that ships a Plugin or an AppImage depends on it, so `^bundle` builds the shipped one first. */
function createDependencies(_options, context) {
  const ships = shippedNames(context.workspaceRoot);
  const edges = [];
  for (const [source, project] of Object.entries(context.projects)) {
    for (const target of ships.get(project.root) ?? []) {
      if (!context.projects[target] || target === source) continue; // `validate` reports unknown references
      edges.push({ source, target, type: 'static', sourceFile: `${project.root}/project.yaml` });
    }
  }
  return edges;
}

module.exports = {
  name: '@dockyard/nx-plugin',
  createNodes: [PROJECT_FILE_GLOB, createProjectNodes],
  createDependencies,
};
