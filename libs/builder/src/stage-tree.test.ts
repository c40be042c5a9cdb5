import { describe, expect, it } from 'vitest';
import type { Image } from './oci';
import type { StageEnvironment, StageResult } from './stage-environment';
import { fromTree, nodeOfFile, stageTree } from './stage-tree';
import { mapTree, type SourceNode } from './source-tree';

const node = (path: string, id: string): SourceNode => ({
  path,
  type: 'file',
  mode: 0o644,
  size: 1,
  contentId: async () => id,
});

describe('stage file trees', () => {
  it("lays a stage's own files over its base's, merging once", async () => {
    let baseReads = 0;
    const base = async () => {
      baseReads++;
      return mapTree(
        'base',
        new Map([
          ['a', node('a', 'base-a')],
          ['b', node('b', 'base-b')],
        ]),
      );
    };
    const tree = stageTree('build', base, new Map([['b', node('b', 'own-b')]]));
    const merged = await tree();
    expect(merged.name).toBe('stage build');
    expect(await Promise.all((await merged.walk('')).slice(1).map(async (n) => [n.path, await n.contentId()]))).toEqual(
      [
        ['a', 'base-a'],
        ['b', 'own-b'],
      ],
    );
    await tree();
    expect(baseReads).toBe(1);
  });

  it('reads a layer file back as a node with its content', async () => {
    const read = nodeOfFile({
      entry: { path: 'etc/x', type: 'file', content: Buffer.from('xyz') },
      contentId: 'sha256:1',
    });
    expect(read).toMatchObject({ path: 'etc/x', mode: 0o644, size: 3 });
    expect(await read.contentId()).toBe('sha256:1');
    expect(Buffer.concat(await (await read.open!()).toArray()).toString()).toBe('xyz');
  });

  it('finds --from as an earlier stage by name or index, else opens the image once per reference', async () => {
    const stage: StageResult = {
      name: 'assets',
      image: {} as Image,
      tree: async () => mapTree('stage assets', new Map()),
    };
    const opened: string[] = [];
    const env = {
      platform: { os: 'linux', architecture: 'arm64' },
      imageTrees: new Map(),
      openImage: async (reference: string) => (opened.push(reference), {} as Image),
      imageFiles: async () => new Map([['bin/sh', node('bin/sh', 'sh')]]),
    } as unknown as StageEnvironment;
    expect((await fromTree('ASSETS', [stage], env)).name).toBe('stage assets');
    expect((await fromTree('0', [stage], env)).name).toBe('stage assets');
    expect((await fromTree('busybox', [stage], env)).name).toBe('image busybox');
    await fromTree('busybox', [stage], env);
    expect(opened).toEqual(['busybox']);
  });
});
