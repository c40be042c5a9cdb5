#!/usr/bin/env node
// Times `nx run-many -t validate --skip-nx-cache` over COUNT generated projects, with the validate tasks
// batched (one workspace pass for all, the default) and with `--batch=false` (one pass per task), side by
// side in one run. Usage: node bench/validate/run.cjs [COUNT]
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..');
const count = Number(process.argv[2] ?? 300);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-bench-validate-'));
try {
  for (const link of ['node_modules', 'tools', 'libs']) fs.symlinkSync(path.join(repo, link), path.join(dir, link));
  for (const file of ['nx.json', 'tsconfig.json', '.env', 'package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(repo, file), path.join(dir, file));
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, 'plugins', `p-${i}`);
    fs.mkdirSync(folder, { recursive: true });
    const name = `p-${i}`;
    fs.writeFileSync(
      path.join(folder, 'project.yaml'),
      `kind: Plugin\nname: ${name}\nreleaseRegistry: harbor.example.com\nspec:\n  version: v0.1.0\n  service:\n    port: ${10000 + i}\n    image: harbor.example.com/release/compass-plugins-${name}:v0.1.0\n  modules:\n    - name: m\n      slots: [slot.${name}]\n`,
    );
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const nx = (args) => {
    const start = process.hrtime.bigint();
    execFileSync(path.join(repo, 'node_modules', '.bin', 'nx'), args, {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  nx(['show', 'projects']); // warm the graph so both runs below time the tasks only
  const batched = nx(['run-many', '-t', 'validate', '--skip-nx-cache']);
  const perTask = nx(['run-many', '-t', 'validate', '--skip-nx-cache', '--batch=false']);
  console.log(
    `${count} plugins: batched ${batched.toFixed(1)} s, one pass per task ${perTask.toFixed(1)} s, ratio ${(perTask / batched).toFixed(1)}x`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
