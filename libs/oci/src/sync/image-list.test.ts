import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '@dockyard/errors';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseImageList, readImageLists } from './image-list';

describe('image lists', () => {
  it('keeps each image with its file and line, skipping comments and blank lines', () => {
    expect(parseImageList('# images\n\nrelease/a:v1\r\nb:v2  # pinned\n', 'x.list')).toEqual([
      { image: 'release/a:v1', file: 'x.list', line: 3 },
      { image: 'b:v2', file: 'x.list', line: 4 },
    ]);
  });

  it('reads several files in order and names one it cannot read, keeping the cause', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'image-list-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'a.list'), 'a:1\n');
    await writeFile(join(dir, 'b.list'), 'b:1\n');
    const entries = await readImageLists([join(dir, 'b.list'), join(dir, 'a.list')]);
    expect(entries.map((e) => e.image)).toEqual(['b:1', 'a:1']);
    const missing = join(dir, 'gone.list');
    const failure = await readImageLists([missing]).catch((e: unknown) => e);
    expect((failure as Error).message).toBe(`cannot read image list ${missing}: ENOENT`);
    expect(hasCode(failure, 'IMAGE_LIST_UNREADABLE')).toBe(true);
    expect((failure as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});
