import { execFile } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pushScaleImages } from './images';
import { kindCounts, scaleWorkspace } from './workspace';

const run = promisify(execFile);
const repo = resolve(__dirname, '..', '..');

const usage = `Usage: node bench/scale/run.cjs DIR [--projects N] [--images N] [--registry http://HOST:PORT]

Writes a synthetic workspace of N projects (default 500; every kind, Releases shipping their plugins and app
images) listing N images (default 1000) into DIR, a new git repository using this checkout's node_modules,
tools and libs. With --registry, pushes the images (tiny, multi-arch every fourth, shared base layers) there
and points the Releases at it. It measures nothing: bench/README.md ("scale") lists what to time.`;

function option(args: string[], name: string, fallback?: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
}

export async function main(args: string[]): Promise<number> {
  const dir = args[0];
  if (!dir || dir.startsWith('--')) {
    console.error(usage);
    return 2;
  }
  const projects = Number(option(args, 'projects', '500'));
  const images = Number(option(args, 'images', '1000'));
  const registryUrl = option(args, 'registry');
  const target = resolve(dir);
  if ((await readdir(target).catch(() => [])).length) {
    console.error(`${target}: not empty; name a new folder`);
    return 1;
  }
  const registry = registryUrl ? new URL(registryUrl).host : undefined;
  const workspace = scaleWorkspace({ projects, images, registry });
  await mkdir(target, { recursive: true });
  for (const name of ['node_modules', 'tools', 'libs']) await symlink(join(repo, name), join(target, name));
  for (const name of ['nx.json', 'tsconfig.json', '.env', 'package.json', 'package-lock.json'])
    await copyFile(join(repo, name), join(target, name));
  await writeFile(join(target, '.gitignore'), 'node_modules\n.nx\ndist\ntmp\n');
  for (const [file, text] of Object.entries(workspace.files)) {
    await mkdir(dirname(join(target, file)), { recursive: true });
    await writeFile(join(target, file), text, { mode: file.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const git = (...a: string[]) => run('git', a, { cwd: target });
  await git('init', '-q', '--initial-branch=main');
  await git('add', '-A');
  await git(
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@dockyard.invalid',
    'commit',
    '-q',
    '-m',
    'scale workspace',
  );
  console.log(`${target}: ${projects} projects ${JSON.stringify(kindCounts(projects))}, ${images} images listed`);
  if (registryUrl) {
    const { multiArch } = await pushScaleImages(registryUrl, images);
    console.log(`pushed ${images} images (${multiArch} multi-arch) to ${registry}`);
  }
  return 0;
}
