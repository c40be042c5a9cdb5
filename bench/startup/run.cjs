#!/usr/bin/env node
// Start-up of the `dockyard` CLI against Node's own: `node -e 0` vs `dockyard --help` and three verbs' --help,
// compiled (tools/cli/dist) and, for the record, the TypeScript run in place (DOCKYARD_CLI=source, swc cache warm).
//
//   node bench/startup/run.cjs [ROUNDS]     # ROUNDS default 21 (or BENCH_ROUNDS); prints a markdown table
//
// Builds the CLI first, then per round runs every command once, the order rotated each round so that no command
// always runs after the same neighbour; the figures are medians of the rounds' wall times (spawn to exit).
const { execFileSync, spawnSync } = require('node:child_process');
const { join } = require('node:path');
const os = require('node:os');

const root = join(__dirname, '..', '..');
const bin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');
const rounds = Number(process.argv[2] ?? process.env.BENCH_ROUNDS ?? 21);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`ROUNDS must be a positive integer, got ${process.argv[2]}`);

const VERBS = [['--help'], ['sync', '--help'], ['build', '--help'], ['bundle', '--help']];
const cases = [
  { name: '`node -e 0`', args: ['-e', '0'], env: {} },
  ...VERBS.map((args) => ({ name: `\`dockyard ${args.join(' ')}\` compiled`, args: [bin, ...args], env: {} })),
  ...VERBS.map((args) => ({
    name: `\`dockyard ${args.join(' ')}\` in place (swc)`,
    args: [bin, ...args],
    env: { DOCKYARD_CLI: 'source' },
  })),
];

function runOnce(c) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, c.args, {
    cwd: root,
    env: { ...process.env, ...c.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

execFileSync(process.execPath, [join(root, 'tools', 'cli', 'build.cjs')], { stdio: 'inherit' });
const { currentBuild } = require(join(root, 'tools', 'cli', 'bin', 'compiled-cli.cjs'));
for (const args of VERBS)
  if (!currentBuild(args)) throw new Error(`tools/cli/dist is not current for ${args[0]} right after building it`);
for (const c of cases) runOnce(c); // warm the page cache and the in-place path's transpile cache

const times = cases.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < cases.length; i++) {
    const at = (i + round) % cases.length;
    times[at].push(runOnce(cases[at]));
  }
}

const base = median(times[0]);
console.log(
  `${rounds} rounds, Node ${process.version}, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log('| command | median ms | min ms | × `node -e 0` |');
console.log('| --- | ---: | ---: | ---: |');
cases.forEach((c, i) =>
  console.log(
    `| ${c.name} | ${median(times[i]).toFixed(1)} | ${Math.min(...times[i]).toFixed(1)} | ${(median(times[i]) / base).toFixed(2)} |`,
  ),
);
