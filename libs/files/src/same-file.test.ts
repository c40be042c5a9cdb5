import { link, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameFile } from './same-file';

describe('sameFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'same-file-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is true for hard links of one file, false for equal copies and missing paths', async () => {
    await writeFile(join(dir, 'a'), 'bytes');
    await link(join(dir, 'a'), join(dir, 'linked'));
    await writeFile(join(dir, 'copy'), 'bytes');
    expect(await sameFile(join(dir, 'a'), join(dir, 'linked'))).toBe(true);
    expect(await sameFile(join(dir, 'a'), join(dir, 'copy'))).toBe(false);
    expect(await sameFile(join(dir, 'a'), join(dir, 'missing'))).toBe(false);
  });
});
