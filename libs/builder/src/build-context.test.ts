import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { BuildContext } from './build-context';

async function context(files: Record<string, string>, ignoreFile?: string): Promise<string> {
  const dir = await tempDirFor(onTestFinished, 'build-context');
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  if (ignoreFile !== undefined) await writeFile(join(dir, '.dockerignore'), ignoreFile);
  return dir;
}

const paths = (entries: { path: string }[]) => entries.map((e) => e.path);

describe('BuildContext', () => {
  it('applies .dockerignore with Docker semantics: ** at any depth, ! re-inclusion below an excluded folder, / cleaned', async () => {
    const dir = await context(
      {
        'a/keep.txt': '',
        'a/drop.log': '',
        'a/deep/x.log': '',
        'logs/b.txt': '',
        'logs/keep/c.txt': '',
        'top.log': '',
        'sub/top.log': '',
      },
      '# comment\n**/*.log\n!a/deep/x.log\n/logs/\n!logs/keep\n',
    );
    const ctx = await BuildContext.open(dir);
    expect(paths(await ctx.walk(''))).toEqual([
      '',
      '.dockerignore',
      'a',
      'a/deep',
      'a/deep/x.log',
      'a/keep.txt',
      'logs/keep',
      'logs/keep/c.txt',
      'sub',
    ]);
  });

  it('matches only at the root for a pattern without **, unlike .gitignore', async () => {
    const dir = await context({ 'x.tmp': '', 'sub/x.tmp': '' }, '*.tmp\n');
    const ctx = await BuildContext.open(dir);
    expect(paths(await ctx.walk(''))).toEqual(['', '.dockerignore', 'sub', 'sub/x.tmp']);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile', async () => {
    const dir = await context({ 'a.txt': '', 'b.txt': '', 'Kubefile.dockerignore': 'a.txt\n' }, 'b.txt\n');
    const ctx = await BuildContext.open(dir, join(dir, 'Kubefile'));
    expect(ctx.ignores('a.txt')).toBe(true);
    expect(ctx.ignores('b.txt')).toBe(false);
  });

  it('resolves sources: globs per segment and **, excluded and missing ones named', async () => {
    const dir = await context(
      { 'charts/a.tgz': '', 'charts/b.tgz': '', 'charts/n/c.tgz': '', 'secret.key': '' },
      'secret.key\n',
    );
    await symlink('charts/a.tgz', join(dir, 'link'));
    const ctx = await BuildContext.open(dir);
    expect(await ctx.resolveSource('charts/*.tgz')).toEqual(['charts/a.tgz', 'charts/b.tgz']);
    expect(await ctx.resolveSource('/charts/**/*.tgz')).toEqual(['charts/a.tgz', 'charts/b.tgz', 'charts/n/c.tgz']);
    expect(await ctx.resolveSource('./charts/')).toEqual(['charts']);
    await expect(ctx.resolveSource('secret.key')).rejects.toThrow('"secret.key" is excluded by .dockerignore');
    await expect(ctx.resolveSource('missing')).rejects.toThrow('"missing" does not exist in the build context');
    await expect(ctx.resolveSource('*.none')).rejects.toThrow('no file in the build context matches "*.none"');
    expect(await ctx.entry('link')).toMatchObject({ type: 'symlink', linkpath: 'charts/a.tgz' });
  });
});
