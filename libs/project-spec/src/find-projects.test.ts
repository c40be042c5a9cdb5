import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProjectFiles, listProjectFiles, type WorkspaceTree } from './find-projects';

let root: string;
const write = (file: string, text = 'kind: Release\n') => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dockyard-find-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findProjectFiles', () => {
  it('skips what the root .gitignore and .nxignore ignore, globs included, and lets .nxignore re-include', async () => {
    write('.gitignore', 'generated/\n*.bak/\nkept/\n');
    write('.nxignore', 'fixtures/**/deep\n!kept/\n');
    for (const file of [
      'releases/a',
      'generated/b',
      'old.bak/c',
      'kept/d',
      'fixtures/x/deep/e',
      'fixtures/x/f',
      'dist/g',
    ])
      write(`${file}/project.yaml`);
    expect(await findProjectFiles(root)).toEqual([
      'dist/g/project.yaml',
      'fixtures/x/f/project.yaml',
      'kept/d/project.yaml',
      'releases/a/project.yaml',
    ]);
  });

  it('applies nested .gitignore files relative to their own folder, nearest opinion first', async () => {
    write('.gitignore', 'build/\n');
    write('apps/.gitignore', '/local/\n!build/\n');
    for (const file of ['build/a', 'apps/local/b', 'apps/build/c', 'apps/x/local/d']) write(`${file}/project.yaml`);
    expect(await findProjectFiles(root)).toEqual(['apps/build/c/project.yaml', 'apps/x/local/d/project.yaml']);
  });

  it('never re-includes a file inside an ignored folder, and never walks node_modules or .git', async () => {
    write('.gitignore', 'out/\n');
    write('out/.gitignore', '!keep/\n');
    write('.nxignore', '!node_modules/\n');
    for (const file of ['out/keep/a', 'node_modules/pkg/b', '.git/c', 'ok']) write(`${file}/project.yaml`);
    expect(await findProjectFiles(root)).toEqual(['ok/project.yaml']);
  });

  it('does not follow symbolic links, as Nx does not', async () => {
    write('real/project.yaml');
    symlinkSync(join(root, 'real'), join(root, 'linked'));
    expect(await findProjectFiles(root)).toEqual(['real/project.yaml']);
  });

  it('lists any tree, so a generator sees files it has not written to disk yet', () => {
    const files: Record<string, string> = {
      '.gitignore': 'tmp\n',
      'a/project.yaml': '',
      'tmp/b/project.yaml': '',
      'a/project.yml': '',
    };
    const tree: WorkspaceTree = {
      entries: (dir) => {
        const prefix = dir ? `${dir}/` : '';
        const names = new Set(
          Object.keys(files)
            .filter((f) => f.startsWith(prefix))
            .map((f) => f.slice(prefix.length).split('/')[0]!),
        );
        return [...names].map((name) => ({ name, kind: `${prefix}${name}` in files ? 'file' : 'directory' }));
      },
      read: (file) => files[file],
    };
    expect(listProjectFiles(tree)).toEqual(['a/project.yaml']);
  });
});
