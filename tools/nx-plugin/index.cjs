// The entry point nx.json names. It is plain JavaScript on purpose: when no project.yaml changed since the
// last graph, every project comes from a content-hash cache on disk and neither a TypeScript transpiler nor
// the schema compiler is loaded (see bench/graph). Inference itself lives in src/create-nodes.ts.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { hashMultiGlobWithWorkspaceContext } = require('nx/src/utils/workspace-context');

// Nx walks this glob with its .gitignore/.nxignore rules; libs/project-spec's listProjectFiles (PROJECT_FILE) reproduces
// that walk for `dockyard validate`, the validate executor and the generators, so all see the same projects.
const PROJECT_FILE_GLOB = '**/project.yaml';
const PROJECT_FILE_INPUT = `{workspaceRoot}/${PROJECT_FILE_GLOB}`;
const CODE_ROOTS = [path.join(__dirname, 'src'), path.resolve(__dirname, '..', '..', 'libs', 'project-spec')];

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
  } catch {
    // No cache yet, or one from an older layout: infer every project again.
  }
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
  // A store with a shared tier changes what the bundle targets cache, so the store is part of what inference read.
  const store = process.env.DOCKYARD_STORE;
  const fingerprint = `${codeFingerprint()} ${store ?? ''}`;
  const location = cacheFile(root);
  const cached = readCache(location, fingerprint);
  const entries = {};
  let misses = 0;
  const taken = new Set();
  shipsByRoot = new Map();
  const sorted = [...files].sort();
  // Nx has already hashed every file of the workspace; asking it costs far less than reading them again.
  const hashes = await hashMultiGlobWithWorkspaceContext(
    root,
    sorted.map((file) => [file]),
  );
  for (const [i, file] of sorted.entries()) {
    const hash = hashes[i];
    let inferred = cached[file]?.hash === hash ? cached[file].inferred : undefined;
    if (!inferred) {
      misses++;
      inferred = loadInference()(root, file, store);
    }
    entries[file] = { hash, inferred };
  }
  const peers = validatePeers(entries);
  const results = sorted.map((file) => {
    const { project, ships } = entries[file].inferred;
    if (ships.length) shipsByRoot.set(project.root, ships);
    const named = taken.has(project.name) ? { ...project, name: `${project.name}@${project.root}` } : project;
    taken.add(named.name);
    return [file, { projects: { [project.root]: withValidateInputs(named, peers.get(file)) } }];
  });
  if (misses > 0 || Object.keys(cached).length !== files.length) writeCache(location, fingerprint, entries);
  return results;
}

/**
 * File → the inputs its `validate` has beyond its own files: the other project.yaml files holding a claim it holds
 * (a name, a plugin port or slot; libs/project-spec/src/claims.ts) or a name it ships. Which files these are depends on
 * every file, and only here do all of them pass at once, so they join the task's inputs here rather than in the
 * per-file inference. A new clash, or a shipped project appearing, changes the inputs and so the hash and what
 * `nx affected` selects; an edit that touches no claim re-validates no other project. A shipped name nobody holds
 * reads every name in the workspace (to tell that none matches), so every project.yaml is its input: that is also
 * how a project renamed away from a shipped name re-validates the Release. The alternative, every project.yaml as
 * an input of every `validate`, made any edit (a plugin's description) re-validate the whole workspace.
 */
function validatePeers(entries) {
  const holders = new Map();
  for (const [file, { inferred }] of Object.entries(entries)) {
    for (const key of inferred.holds) {
      const files = holders.get(key);
      if (files) files.push(file);
      else holders.set(key, [file]);
    }
  }
  const peers = new Map();
  for (const [file, { inferred }] of Object.entries(entries)) {
    if (inferred.reads.some((key) => !holders.has(key))) {
      peers.set(file, [PROJECT_FILE_INPUT]);
      continue;
    }
    const read = new Set(inferred.reads.flatMap((key) => holders.get(key)));
    read.delete(file);
    if (read.size)
      peers.set(
        file,
        [...read].sort().map((peer) => `{workspaceRoot}/${peer}`),
      );
  }
  return peers;
}

function withValidateInputs(project, extra) {
  const validate = project.targets.validate;
  if (!extra || !validate) return project;
  return {
    ...project,
    targets: { ...project.targets, validate: { ...validate, inputs: [...validate.inputs, ...extra] } },
  };
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
