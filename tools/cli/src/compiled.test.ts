import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verbs } from './commands';

const cliDir = join(__dirname, '..');
const bin = join(cliDir, 'bin', 'dockyard.cjs');
const { currentBuild } = createRequire(__filename)(join(cliDir, 'bin', 'compiled-cli.cjs')) as {
  currentBuild(
    argv: string[],
    where?: { root: string; dist: string },
  ): { entry: string; help: Record<string, { usage: string }> } | undefined;
};

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('which CLI runs: the build only while it is a build of the sources as they are', () => {
  function fakeBuild() {
    const root = mkdtempSync(join(tmpdir(), 'dockyard-compiled-'));
    temps.push(root);
    const dist = join(root, 'dist');
    mkdirSync(dist);
    const file = (name: string) => {
      writeFileSync(join(root, name), `// ${name}\n`);
      const { mtimeMs, size } = statSync(join(root, name));
      return { [name]: [mtimeMs, size] };
    };
    const record = {
      format: 1,
      common: file('main.ts'),
      verbs: {
        sync: { help: { usage: 'Usage: dockyard sync' }, inputs: file('sync.ts') },
        build: { help: { usage: 'Usage: dockyard build' }, inputs: file('build.ts') },
      },
    };
    writeFileSync(join(dist, 'build.json'), JSON.stringify(record));
    return { root, dist };
  }
  const touch = (path: string) => utimesSync(path, new Date(), new Date(Date.now() + 5000));

  it('runs the build with the help of the verb named, for `VERB` and `help VERB`', () => {
    const where = fakeBuild();
    expect(currentBuild(['sync', '--help'], where)).toEqual({
      entry: join(where.dist, 'main.cjs'),
      help: { sync: { usage: 'Usage: dockyard sync' } },
    });
    expect(currentBuild(['help', 'build'], where)?.help).toEqual({ build: { usage: 'Usage: dockyard build' } });
    expect(currentBuild(['--help'], where)?.help).toEqual({});
  });

  it("runs the sources once the entry's or the verb's own file changed, and only for that verb", () => {
    const where = fakeBuild();
    touch(join(where.root, 'sync.ts'));
    expect(currentBuild(['sync'], where)).toBeUndefined();
    expect(currentBuild(['build'], where)).toBeDefined();
    writeFileSync(join(where.root, 'main.ts'), '// main.ts, edited to another size\n');
    expect(currentBuild(['build'], where)).toBeUndefined();
    expect(currentBuild(['--help'], where)).toBeUndefined();
  });

  it('runs the sources when a file the build was made from is gone, the build is of another format, or there is none', () => {
    const where = fakeBuild();
    const record = JSON.parse(readFileSync(join(where.dist, 'build.json'), 'utf8'));
    writeFileSync(join(where.dist, 'build.json'), JSON.stringify({ ...record, format: 0 }));
    expect(currentBuild(['sync'], where)).toBeUndefined();
    writeFileSync(join(where.dist, 'build.json'), JSON.stringify(record));
    expect(currentBuild(['sync'], where)).toBeDefined();
    rmSync(join(where.root, 'build.ts'));
    expect(currentBuild(['build'], where)).toBeUndefined();
    rmSync(join(where.dist, 'build.json'));
    expect(currentBuild(['sync'], where)).toBeUndefined();
  });
});

describe('the compiled CLI (tools/cli/dist)', () => {
  beforeAll(() => {
    if (!verbs.every((verb) => currentBuild([verb.name])))
      execFileSync(process.execPath, [join(cliDir, 'build.cjs')], { stdio: 'inherit' });
  }, 120_000);

  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

  it('is current right after the build, for every verb', () => {
    for (const verb of verbs) expect(currentBuild([verb.name]), verb.name).toBeDefined();
  });

  it("prints every verb's --help, a flag mistake and the overview exactly as the sources do", () => {
    for (const args of [['--help'], ['--version'], ['validate', '--bogus'], ...verbs.map((v) => [v.name, '--help'])]) {
      const compiled = run(args);
      const source = run(args, { DOCKYARD_CLI: 'source' });
      expect({ status: compiled.status, stdout: compiled.stdout, stderr: compiled.stderr }, args.join(' ')).toEqual({
        status: source.status,
        stdout: source.stdout,
        stderr: source.stderr,
      });
    }
  });

  it("names the .ts file and line in a crash's stack, and leaves stacks formatted in a normal run alone", () => {
    const script = `
      require(${JSON.stringify(join(cliDir, 'bin', 'stack-traces.cjs'))}).mapCrashStacksInto(${JSON.stringify(join(cliDir, 'dist'))});
      const { parseCommandArgs } = require(${JSON.stringify(join(cliDir, 'dist', 'shared-command.cjs'))});
      try { parseCommandArgs({ options: {} }, ['--handled']); } catch (err) { console.log(err.stack.split('\\n')[1]); }
      parseCommandArgs({ options: {} }, ['--bogus']);`;
    // A file, as the CLI's bin is: `node -e` formats an uncaught error's stack before any listener runs.
    const dir = mkdtempSync(join(tmpdir(), 'dockyard-crash-'));
    temps.push(dir);
    writeFileSync(join(dir, 'crash.cjs'), script);
    const crash = spawnSync(process.execPath, [join(dir, 'crash.cjs')], { encoding: 'utf8' });
    expect(crash.status).toBe(1);
    expect(crash.stdout.trim()).toMatch(/^at parseCommandArgs \(.*tools\/cli\/dist\/shared-command\.cjs:\d+:\d+\)$/);
    const stack = crash.stderr.split('\n');
    const thrown = stack.findIndex((line) => /^\w*Error: unknown option --bogus$/.test(line));
    expect(stack[thrown + 1]).toMatch(/^ {4}at parseCommandArgs \(.*tools\/cli\/src\/command\.ts:\d+:\d+\)$/);
  });

  it('runs a verb on a workspace as the sources do, and the engine finds its schemas from the bundle', () => {
    const root = mkdtempSync(join(tmpdir(), 'dockyard-compiled-ws-'));
    temps.push(root);
    writeFileSync(join(root, 'nx.json'), '{}');
    mkdirSync(join(root, 'plugins', 'alerts'), { recursive: true });
    writeFileSync(
      join(root, 'plugins', 'alerts', 'project.yaml'),
      'apiVersion: dockyard/v1\nkind: Plugin\nname: alerts\nspec:\n  version: 1.0.0\n  bogusKey: 1\n',
    );
    const compiled = spawnSync(process.execPath, [bin, 'validate'], { cwd: root, encoding: 'utf8' });
    const source = spawnSync(process.execPath, [bin, 'validate'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DOCKYARD_CLI: 'source' },
    });
    expect(compiled.status).toBe(1);
    expect(compiled.stderr).toContain('plugins/alerts/project.yaml:6:3: spec.bogusKey: unknown key "bogusKey"');
    expect({ status: compiled.status, stdout: compiled.stdout, stderr: compiled.stderr }).toEqual({
      status: source.status,
      stdout: source.stdout,
      stderr: source.stderr,
    });
  });
});
