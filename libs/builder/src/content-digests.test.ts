import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { BuildContext } from './build-context';
import { ContentDigests } from './content-digests';

describe('ContentDigests', () => {
  it('remembers digests by stamp, re-reads a changed file, and forgets files of the context this build did not see', async () => {
    const dir = await tempDirFor(onTestFinished, 'digests');
    const record = join(await tempDirFor(onTestFinished, 'digests-store'), 'file-digests.json');
    await writeFile(join(dir, 'a'), 'one');
    await writeFile(join(dir, 'gone'), 'x');
    const context = await BuildContext.open(dir);
    const first = await ContentDigests.load(record);
    expect((await first.facts((await context.entry('a'))!)).digest).toBe(
      'sha256:7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed',
    );
    await first.facts((await context.entry('gone'))!);
    await first.save([dir]);

    const second = await ContentDigests.load(record);
    expect(second.remembered((await context.entry('a'))!)).toBeDefined();
    await writeFile(join(dir, 'a'), 'two');
    expect(second.remembered((await context.entry('a'))!)).toBeUndefined();
    expect((await second.facts((await context.entry('a'))!)).digest).toBe(
      'sha256:3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3',
    );
    await second.save([dir]);
    expect(Object.keys(JSON.parse(await readFile(record, 'utf8')) as object)).toEqual([join(dir, 'a')]);
  });
});
