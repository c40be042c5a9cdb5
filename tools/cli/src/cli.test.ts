import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verbs } from './commands';

const bin = join(__dirname, '..', 'bin', 'dockyard.cjs');
const run = (args: string[], cwd = process.cwd()) =>
  spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
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

  it("rejects unknown verbs and options with exit 2, naming the option and pointing at the verb's --help", () => {
    expect(run(['frobnicate']).status).toBe(2);
    const bad = run(['validate', '--bogus-flag']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'dockyard validate: unknown option --bogus-flag\nRun `dockyard validate --help` for its usage.\n',
    );
    expect(run(['collect', '-x', 'releases/r']).stderr).toBe(
      'dockyard collect: unknown option -x\nRun `dockyard collect --help` for its usage.\n',
    );
  });

  it("lists --platform once in build --help, with the build's meaning, and not at all for publish, which refuses it", () => {
    const build = run(['build', '--help']).stdout;
    expect(build.split('\n').filter((line) => line.trimStart().startsWith('--platform'))).toEqual([
      "  --platform P[,P...]   platforms to build, e.g. linux/amd64,linux/arm64 (default: this machine's)",
    ]);
    expect(run(['publish', '--help']).stdout).not.toContain('--platform');
    const refused = run(['publish', '.', '--platform', 'linux/amd64']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('dockyard publish: unknown option --platform');
  });

  it('lays out every option of every verb alike: the meaning starts in one column, shared options included', () => {
    for (const verb of verbs) {
      // An option with its meaning on the same line: the flag, two spaces or more, the meaning.
      const options = run([verb.name, '--help'])
        .stdout.split('\n')
        .map((line) => /^ {2}((?:-{1,2}[a-z]|[A-Z])\S*(?: \S+)*) {2,}(\S.*)$/.exec(line))
        .filter((match) => match !== null);
      expect(options.length, verb.name).toBeGreaterThan(0);
      for (const [line, , meaning] of options) expect(line.indexOf(meaning!), `${verb.name}: ${line}`).toBe(24);
    }
    expect(run(['inventory', '--help']).stdout).not.toContain('--platform');
  });

  it('refuses --creds-env written with the secrets in place of variable names, naming only the host', () => {
    const result = run([
      'copy',
      'docker://127.0.0.1:9/a:v1',
      'docker://127.0.0.1:9/b:v1',
      '--creds-env',
      '127.0.0.1:9=alice:hunter2',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('dockyard copy: --creds-env for 127.0.0.1:9 is not HOST=USER_VAR:PASSWORD_VAR');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toContain('alice');
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

  it("prints its version, and `help VERB` prints that verb's help", () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(run(['--version'])).toMatchObject({ status: 0, stdout: `dockyard ${version}\n` });
    const help = run(['help', 'copy']);
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(run(['copy', '--help']).stdout);
    expect(help.stdout).toContain('Usage: dockyard copy');
  });

  it('advertises exactly the verbs it has', () => {
    const overview = run(['--help']).stdout;
    const listed = overview
      .slice(overview.indexOf('Commands:'))
      .split('\n')
      .slice(1)
      .filter((line) => /^ {2}\S/.test(line))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(listed).toEqual(verbs.map((v) => v.name));
    // The prose above the list names no verb of its own.
    expect(overview.slice(0, overview.indexOf('Commands:'))).not.toMatch(/validate|resolve|collect|sync|bundle/);
  });
  it('is runnable as npx dockyard from the workspace root', () => {
    const out = execFileSync('npx', ['--no-install', 'dockyard', 'validate'], {
      cwd: join(__dirname, '..', '..', '..'),
      encoding: 'utf8',
    });
    expect(out).toMatch(/\d+ projects checked, 0 problems/);
  });
});

describe('dockyard sync: mistakes a new user makes', () => {
  const release = (sync: string) =>
    `kind: Release\nname: shop\nversion: v1\ncomponents:\n  - { name: charts, local: charts, targetPath: charts }\nsync:\n${sync}`;
  const syncSection = '  from: { registry: src.example.com }\n  to:\n    - registry: dst.example.com\n';

  it('takes a project folder as --project, like the other verbs, and a duplicated --to once', () => {
    const root = workspace({
      'releases/shop/project.yaml': release(`${syncSection}  lists: [images.list]\n`),
      'releases/shop/images.list': 'app/web:v1\n',
    });
    const result = run(
      [
        'sync',
        '--project',
        'releases/shop',
        '--to',
        'mirror.example.com',
        '--to',
        'docker://mirror.example.com',
        '--dry-run',
      ],
      root,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.includes(' -> '))).toEqual([
      'src.example.com/app/web:v1 -> dst.example.com/app/web:v1',
      'src.example.com/app/web:v1 -> mirror.example.com/app/web:v1',
    ]);
  });

  it('names a --project that does not exist', () => {
    const root = workspace({});
    const result = run(['sync', '--project', 'missing.yaml', '--to', 'h.example.com'], root);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `dockyard sync: missing.yaml: no such file, and no project named "missing.yaml" in the workspace at ${root} (a project is named by its project.yaml, the folder holding it, or its name)`,
    );
    const folder = run(['sync', '--project', '.', '--to', 'h.example.com'], root);
    expect(folder.stderr).toContain('dockyard sync: project.yaml: no such file');
  });

  it('takes the project as a positional among list files', () => {
    const root = workspace({
      'releases/shop/project.yaml': release(`${syncSection}  lists: [images.list]\n`),
      'releases/shop/images.list': 'app/web:v1\n',
      'more.list': 'app/api:v2\n',
    });
    const result = run(['sync', 'releases/shop', 'more.list', '--dry-run'], root);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').filter((line) => line.includes(' -> '))).toEqual([
      'src.example.com/app/web:v1 -> dst.example.com/app/web:v1',
      'src.example.com/app/api:v2 -> dst.example.com/app/api:v2',
    ]);
  });

  it('says to run the images target when a Release has no images.list yet', () => {
    const root = workspace({ 'releases/shop/project.yaml': release(syncSection) });
    const result = run(['sync', '--project', 'releases/shop/project.yaml'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "dockyard sync: dist/shop/images/images.list is missing: run shop's images first (nx run shop:images, or dockyard images shop)",
    );
  });

  it('checks options in a dry run too, and refuses an --authfile that does not exist', () => {
    const root = workspace({ 'a.list': 'app/web:v1\n' });
    const dry = run(
      ['sync', 'a.list', '--from', 's.example.com', '--to', 'd.example.com', '--dry-run', '--concurrency', 'zero'],
      root,
    );
    expect(dry.status).toBe(2);
    expect(dry.stderr).toContain('--concurrency must be a positive whole number, got "zero"');
    const authfile = run(
      ['sync', 'a.list', '--from', 's.example.com', '--to', 'd.example.com', '--authfile', 'missing.json'],
      root,
    );
    expect(authfile.status).toBe(2);
    expect(authfile.stderr).toContain('--authfile missing.json: no such file');
    const copy = run(
      ['copy', 'docker://s.example.com/a:v1', 'docker://d.example.com/a:v1', '--authfile', 'missing.json'],
      root,
    );
    expect(copy.status).toBe(2);
    expect(copy.stderr).toContain('--authfile missing.json: no such file');
  });

  it('refuses a --report folder it cannot create before copying anything, instead of spinning', () => {
    const root = workspace({ 'a.list': 'app/web:v1\n' });
    // Unroutable source: a run that got past the report check would try the network and fail differently.
    const result = spawnSync(
      process.execPath,
      [bin, 'sync', 'a.list', '--from', '127.0.0.1:9', '--to', '127.0.0.1:9', '--report', '/proc/dockyard/report'],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.signal).toBeNull();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--report /proc/dockyard/report: cannot write the report there (ENOENT); choose a writable folder',
    );
  });
});

describe('one way to name a project, one exit-code table', () => {
  const release =
    'kind: Release\nname: r\nversion: v1\ncomponents:\n  - { name: charts, local: charts, targetPath: charts }\n';
  const files = {
    'releases/r/project.yaml': release,
    'releases/r/charts/pod.yaml': 'kind: Pod\nspec:\n  containers:\n    - image: nginx:1.25\n',
    'plugins/p/project.yaml': 'kind: Plugin\nname: p\n',
  };

  it('takes PROJECT as a path, a folder, a name, or --project, and refuses two', () => {
    const root = workspace(files);
    for (const args of [
      ['releases/r'],
      ['releases/r/project.yaml'],
      ['r'],
      ['--project', 'releases/r'],
      ['--project', 'r'],
    ]) {
      rmSync(join(root, 'dist'), { recursive: true, force: true });
      const result = run(['collect', ...args], root);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(readFileSync(join(root, 'dist/r/collect/charts/pod.yaml'), 'utf8')).toContain('nginx:1.25');
    }
    const two = run(['collect', 'r', '--project', 'releases/r'], root);
    expect(two.status).toBe(2);
    expect(two.stderr).toContain('dockyard collect: one PROJECT at a time (got releases/r, r;');
  });

  it('reads a positional that names a project as the project in images and build, and a folder with -f as a build context', () => {
    const root = workspace(files);
    expect(run(['collect', 'r'], root).status).toBe(0);
    const images = run(['images', 'releases/r'], root);
    expect(images.stderr).toBe('');
    expect(readFileSync(join(root, 'dist/r/images/images.list'), 'utf8')).toBe('docker.io/library/nginx:1.25\n');
    // The plugin's project.yaml is read (and found incomplete) instead of a Dockerfile being looked for.
    const build = run(['build', 'plugins/p'], root);
    expect(build.status).toBe(1);
    expect(build.stderr).toContain('plugins/p/project.yaml:1:1:');
    const context = run(['build', 'plugins/p', '-f', 'plugins/p/Kubefile'], root);
    expect(context.stderr).toContain('Kubefile');
    expect(context.stderr).not.toContain('project.yaml');
  });

  it("exits 2 with the verb's prefix for a PROJECT that is not there, in every verb that takes one", () => {
    const root = workspace({});
    const named = ['collect', 'resolve', 'publish', 'check', 'prepare', 'build', 'images', 'sync', 'bundle'].map(
      (verb) => [verb, '--project'],
    );
    for (const [verb, ...how] of [...named, ['collect'], ['resolve'], ['publish'], ['check'], ['bundle']]) {
      const result = run([verb!, ...how, 'releases/does-not-exist'], root);
      expect(result.status, verb).toBe(2);
      expect(result.stderr, verb).toContain(
        `dockyard ${verb}: releases/does-not-exist: no such file (a project is named by its project.yaml, the folder holding it, or its name)`,
      );
    }
  });

  it('exits 1 for a project.yaml that is not valid, naming file:line:col', () => {
    const root = workspace({ 'releases/bad/project.yaml': 'kind: Release\nname: bad\nversion: 1\n' });
    for (const verb of ['publish', 'sync']) {
      const result = run([verb, 'releases/bad', ...(verb === 'sync' ? ['--to', 'h.example.com'] : [])], root);
      expect(result.status, verb).toBe(1);
      expect(result.stderr, verb).toContain('releases/bad/project.yaml:3:10: version: must be string, got number');
    }
  });
});
