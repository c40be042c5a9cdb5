import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verbs } from './commands';

const bin = join(__dirname, '..', 'bin', 'dockyard.cjs');
const run = (args: string[], cwd = process.cwd()) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
const workspaces: string[] = [];
afterAll(() => workspaces.forEach((w) => rmSync(w, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dockyard-cli-'));
  workspaces.push(root);
  writeFileSync(join(root, 'nx.json'), '{}');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe('dockyard CLI', () => {
  it('prints usage for every verb with --help', () => {
    expect(verbs.length).toBeGreaterThan(0);
    for (const verb of verbs) {
      const result = run([verb.name, '--help']);
      expect(result.status, verb.name).toBe(0);
      expect(result.stdout).toContain(`Usage: dockyard ${verb.name}`);
    }
    const overview = run(['--help']);
    expect(overview.status).toBe(0);
    for (const verb of verbs) expect(overview.stdout).toContain(`  ${verb.name}`);
  });

  it('rejects unknown verbs and options with exit 2', () => {
    expect(run(['frobnicate']).status).toBe(2);
    const bad = run(['validate', '--nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--nope'");
  });

  it('validate exits 0 on a clean workspace and 1 with file:line:col on a broken one, from any subfolder', () => {
    const root = workspace({
      'releases/ok/project.yaml': 'kind: Release\nname: ok\nversion: v1\n',
      'releases/bad/project.yaml': 'kind: Release\nname: bad\nversion: 1\n',
    });
    const clean = run(['validate', 'releases/ok'], root);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('1 project checked, 0 problems');
    const broken = run(['validate'], join(root, 'releases'));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('releases/bad/project.yaml:3:10: version: must be string, got number');
    expect(broken.stderr).toContain('2 projects checked, 1 problem');
  });

  it('validate says so when a path holds no project', () => {
    const root = workspace({ 'releases/ok/project.yaml': 'kind: Release\nname: ok\nversion: v1\n' });
    mkdirSync(join(root, 'empty'));
    const result = run(['validate', 'empty'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no project.yaml found under empty');
  });

  it('is runnable as npx dockyard from the workspace root', () => {
    const out = execFileSync('npx', ['--no-install', 'dockyard', 'validate'], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    expect(out).toMatch(/\d+ projects checked, 0 problems/);
  });
});
