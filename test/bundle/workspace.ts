import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);

/** A one-project git workspace (nx.json marks the root) with a committed Release, for bundling from a real clone. */
export async function releaseWorkspace(dir: string, release: Record<string, unknown>, files: Record<string, string> = {}): Promise<string> {
  const project = join(dir, 'releases', String(release.name));
  await mkdir(project, { recursive: true });
  await writeFile(join(dir, 'nx.json'), '{}\n');
  await writeFile(join(project, 'project.yaml'), stringify({ kind: 'Release', ...release }));
  for (const [name, text] of Object.entries(files)) await writeFile(join(project, name), text, { mode: 0o755 });
  const git = (...args: string[]) => run('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: '2024-05-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-05-01T00:00:00Z' } });
  await git('init', '-q');
  await git('add', '.');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'release');
  return project;
}

export async function cloneWorkspace(from: string, to: string): Promise<void> {
  await run('git', ['clone', '-q', from, to]);
}
