#!/usr/bin/env node
// Times `nx show projects` (daemon off) on 2000 generated project.yaml files of mixed kinds against the same
// 2000 projects declared as plain project.json (the targets the plugin infers, written out), and against one
// command target per project.json, side by side in one run. Usage: node bench/graph/run.cjs [COUNT] [RUNS]
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..');
const count = Number(process.argv[2] ?? 2000);
const runs = Number(process.argv[3] ?? 5);

const kinds = [
  (n) =>
    `kind: Release\nname: ${n}\nversion: v1.0.0\ncomponents:\n  - name: charts\n    local: charts\n    targetPath: addons\n`,
  (n) =>
    `kind: Plugin\nname: ${n}\nreleaseRegistry: harbor.example.com\nspec:\n  version: v0.1.0\n  service:\n    port: ${10000 + Number(n.split('-').pop())}\n    image: harbor.example.com/release/compass-plugins-${n}:v0.1.0\n`,
  (n) =>
    `kind: AppImage\nname: ${n}\nversions: ["1.0.0"]\narches: [amd64, arm64]\nrepository: docker.io/labring/${n}\n`,
  (n) =>
    `kind: ContainerImage\nname: ${n}\nversions: ["22.03-LTS-SP1"]\narches: [amd64, arm64]\nbase: { repo: https://repo.example.org }\nregistries:\n  - { registry: docker.io, repository: openeuler/${n} }\n`,
  (n) =>
    `kind: CloudImage\nname: ${n}\nversions: ["22.03-LTS-SP1"]\narches: [x86_64]\nsource: { repo: https://repo.example.org }\n`,
];

function workspace(label, writeProject, withPlugin) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dockyard-bench-${label}-`));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  const nxJson = { useDaemonProcess: false, plugins: withPlugin ? [{ plugin: './tools/nx-plugin/index.cjs' }] : [] };
  if (withPlugin) {
    fs.symlinkSync(path.join(repo, 'tools'), path.join(dir, 'tools'));
    fs.symlinkSync(path.join(repo, 'libs'), path.join(dir, 'libs'));
    fs.copyFileSync(path.join(repo, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  }
  fs.writeFileSync(path.join(dir, 'nx.json'), JSON.stringify(nxJson));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-${label}`, private: true }));
  for (let i = 0; i < count; i++) {
    const name = `p-${i}`;
    const folder = path.join(dir, 'projects', name);
    fs.mkdirSync(folder, { recursive: true });
    writeProject(folder, name, i);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

function timeShowProjects(dir, isolate) {
  // nx exits before a piped stdout drains, so the listing goes to a file.
  const listing = path.join(dir, 'projects.txt');
  const fd = fs.openSync(listing, 'w');
  const start = process.hrtime.bigint();
  execFileSync(path.join(repo, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
    cwd: dir,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: String(isolate) },
    stdio: ['ignore', fd, 'inherit'],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(fd);
  const listed = fs.readFileSync(listing, 'utf8').trim().split('\n').length;
  if (listed !== count) throw new Error(`${dir}: nx listed ${listed} projects, expected ${count}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const yamlWs = workspace(
  'yaml',
  (folder, name, i) => fs.writeFileSync(path.join(folder, 'project.yaml'), kinds[i % kinds.length](name)),
  true,
);
// The first run is the cold one (empty plugin cache); it also gives the targets the plugin infers.
const coldMs = timeShowProjects(yamlWs, false);
const inferred = JSON.parse(fs.readFileSync(path.join(yamlWs, '.nx', 'workspace-data', 'project-graph.json'), 'utf8'));
// The same workspace written as project.json: each project's name, tags, named inputs and targets as Nx got them.
const sameWs = workspace('same', (folder, name) => {
  const { tags, namedInputs, targets } = inferred.nodes[name].data;
  fs.writeFileSync(path.join(folder, 'project.json'), JSON.stringify({ name, tags, namedInputs, targets }));
});
// The baseline of the first measurements: one cached command target per project.
const jsonWs = workspace('json', (folder, name) =>
  fs.writeFileSync(
    path.join(folder, 'project.json'),
    JSON.stringify({ name, targets: { validate: { command: 'true', cache: true } } }),
  ),
);

console.log(
  `projects: ${count}, runs: ${runs} per cell, medians (the cold project.yaml run, empty plugin cache: ${coldMs.toFixed(0)} ms)`,
);
// Both modes in one run, on the same workspaces: Nx's default (plugins in a worker process) and what Dockyard's
// .env sets (NX_ISOLATE_PLUGINS=false). Each round alternates them so machine drift hits all alike.
try {
  for (const isolate of [false, true]) {
    const samples = { yaml: [], same: [], json: [] };
    for (let r = 0; r < runs; r++) {
      samples.json.push(timeShowProjects(jsonWs, isolate));
      samples.same.push(timeShowProjects(sameWs, isolate));
      samples.yaml.push(timeShowProjects(yamlWs, isolate));
    }
    const [yaml, same, json] = [samples.yaml, samples.same, samples.json].map(median);
    const show = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
    console.log(
      `NX_ISOLATE_PLUGINS=${isolate}: project.yaml ${yaml.toFixed(0)} ms [${show(samples.yaml)}]; the same targets as project.json ${same.toFixed(0)} ms [${show(samples.same)}], ratio ${(yaml / same).toFixed(2)}; one command target per project.json ${json.toFixed(0)} ms [${show(samples.json)}], ratio ${(yaml / json).toFixed(2)}`,
    );
  }
} finally {
  for (const dir of [yamlWs, sameWs, jsonWs]) fs.rmSync(dir, { recursive: true, force: true });
}
