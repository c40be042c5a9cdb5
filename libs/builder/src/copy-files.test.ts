import { describe, expect, it } from 'vitest';
import { copyFromTree, layerTime, withParents } from './copy-files';
import { mapTree, type SourceNode } from './source-tree';

const node = (path: string, type: SourceNode['type'] = 'file', mode = 0o644): SourceNode => ({
  path,
  type,
  mode,
  size: type === 'file' ? 1 : 0,
  contentId: async () => (type === 'file' ? `id:${path}` : undefined),
});
const tree = mapTree(
  'test tree',
  new Map(
    ['dir', 'dir/a', 'dir/sub', 'dir/sub/b', 'file.txt', 'other.txt'].map((p) => [
      p,
      node(p, p.includes('.') || p.endsWith('/a') || p.endsWith('/b') ? 'file' : 'directory', 0o755),
    ]),
  ),
);
const paths = async (sources: string[], dest: string) =>
  (await copyFromTree(tree, sources, { dest, mtime: 0 })).map((f) => f.entry.path);

describe('COPY placement', () => {
  it("copies a folder's contents into the destination, and a file to the destination itself or into a folder ending in /", async () => {
    expect(await paths(['dir'], '/opt/d')).toEqual(['opt/d', 'opt/d/a', 'opt/d/sub', 'opt/d/sub/b']);
    expect(await paths(['file.txt'], '/etc/renamed.txt')).toEqual(['etc/renamed.txt']);
    expect(await paths(['file.txt'], '/etc/')).toEqual(['etc/file.txt']);
    expect(await paths(['*.txt'], '/etc/')).toEqual(['etc/file.txt', 'etc/other.txt']);
  });

  it('refuses several sources into a destination without a trailing /', async () => {
    await expect(paths(['file.txt', 'other.txt'], '/etc')).rejects.toThrow(
      'the destination must be a folder ending in "/"',
    );
  });

  it('adds the parent folders a layer lacks, 0755, once', () => {
    const files = withParents(
      [
        { entry: { path: 'a/b/c.txt', type: 'file', size: 0 } },
        { entry: { path: 'a/b/d.txt', type: 'file', size: 0 } },
      ],
      7,
    );
    expect(files.map((f) => [f.entry.path, f.entry.mode, f.entry.mtime])).toEqual([
      ['a/b', 0o755, 7],
      ['a', 0o755, 7],
      ['a/b/c.txt', undefined, undefined],
      ['a/b/d.txt', undefined, undefined],
    ]);
  });
});

describe("a layer's time", () => {
  const dated = (path: string, committed: number | undefined) => ({ ...node(path), committed });

  it('is the newest commit time of its files when the tree knows them, 0 for files no commit holds', () => {
    expect(layerTime([dated('a', 100), dated('b', 300), dated('c', 0)], 999)).toBe(300);
    expect(layerTime([dated('generated', 0)], 999)).toBe(0);
  });

  it("is the build's one time when the tree has no history (no git, an earlier stage, an image)", () => {
    expect(layerTime([dated('a', undefined)], 999)).toBe(999);
    expect(layerTime([], 999)).toBe(999);
  });

  it('stamps every entry a COPY from a dated tree places with it', async () => {
    const history = mapTree(
      'dated tree',
      new Map([
        ['charts', { ...node('charts', 'directory', 0o755), committed: 0 }],
        ['charts/a.yaml', dated('charts/a.yaml', 200)],
        ['charts/b.yaml', dated('charts/b.yaml', 100)],
      ]),
    );
    const files = await copyFromTree(history, ['charts'], { dest: '/charts/', mtime: 5 });
    expect(files.map((f) => [f.entry.path, f.entry.mtime])).toEqual([
      ['charts', 200],
      ['charts/a.yaml', 200],
      ['charts/b.yaml', 200],
    ]);
  });
});
