import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { dockyard } from '../support/cli';

const run = promisify(execFile);

/** A one-project git workspace (nx.json marks the root) with a committed Release, for bundling from a real clone. */
export function releaseWorkspace(
  dir: string,
  release: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  return projectWorkspace(dir, [
    { folder: join('releases', String(release.name)), spec: { kind: 'Release', ...release }, files },
  ]);
}

/**
 * A git workspace of several projects; returns the first project's folder. Each project is resolved before the
 * commit, as a reviewed lock is committed beside project.yaml: bundles read images by the digests it pins.
 */
export async function projectWorkspace(
  dir: string,
  projects: { folder: string; spec: Record<string, unknown>; files?: Record<string, string> }[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'nx.json'), '{}\n');
  for (const { folder, spec, files = {} } of projects) {
    await mkdir(join(dir, folder), { recursive: true });
    await writeFile(join(dir, folder, 'project.yaml'), stringify(spec));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, folder, name), text, { mode: 0o755 });
  }
  for (const { folder } of projects) {
    const resolved = await dockyard(['resolve', join(dir, folder)]);
    if (resolved.exitCode !== 0) throw new Error(`dockyard resolve ${folder} failed:\n${resolved.stderr}`);
  }
  const git = (...args: string[]) =>
    run('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_DATE: '2024-05-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-05-01T00:00:00Z' },
    });
  await git('init', '-q');
  await git('add', '.');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'release');
  return join(dir, projects[0]!.folder);
}

export async function cloneWorkspace(from: string, to: string): Promise<void> {
  await run('git', ['clone', '-q', from, to]);
}
