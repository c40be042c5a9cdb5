import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStore } from '@dockyard/oci';
import { BundleNotStoredError, describedBundle, descriptorBeside, keepBundle } from './bundle-descriptor';

describe('a bundle kept in the content store by its descriptor', () => {
  let dir: string;
  let output: string;
  const bytes = Buffer.from('a bundle archive');
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const store = () => new ContentStore(join(dir, 'store'));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bundle-descriptor-'));
    await mkdir(join(dir, 'bundle'));
    output = join(dir, 'bundle', 'demo-v1.tar.gz');
    await writeFile(output, bytes);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the archive as one file with its store blob and describes it beside it', async () => {
    const descriptor = await keepBundle({ file: output, size: bytes.length, files: [], digest }, store());
    expect(descriptor).toMatchObject({ digest, size: bytes.length, mediaType: expect.stringContaining('tar+gzip') });
    expect((await stat(store().path(digest))).ino).toBe((await stat(output)).ino);
    expect(JSON.parse(await readFile(descriptorBeside(output), 'utf8'))).toEqual(descriptor);
  });

  it('puts the described archive back when only the descriptor is there, or another file is', async () => {
    await keepBundle({ file: output, size: bytes.length, files: [], digest }, store());
    await rm(output);
    expect(await describedBundle(output, store())).toBe(output);
    expect(await readFile(output)).toEqual(bytes);

    await rm(output);
    await writeFile(output, 'left by an older run');
    await describedBundle(output, store());
    expect(await readFile(output)).toEqual(bytes);
  });

  it('takes the file as it is when no descriptor is beside it', async () => {
    expect(await describedBundle(output, store())).toBe(output);
    expect(await readFile(output)).toEqual(bytes);
  });

  it('says which descriptor names an archive no store holds, and refuses a file that is no descriptor', async () => {
    await keepBundle({ file: output, size: bytes.length, files: [], digest }, store());
    await rm(output);
    const elsewhere = new ContentStore(join(dir, 'other-store'));
    const error = await describedBundle(output, elsewhere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleNotStoredError);
    expect((error as Error).message).toContain(`${descriptorBeside(output)} names it as ${digest}`);
    expect((error as BundleNotStoredError).project).toBe(dir.split('/').at(-1));

    await writeFile(descriptorBeside(output), '{"digest": "md5:00"}');
    await expect(describedBundle(output, store())).rejects.toThrow(
      `${descriptorBeside(output)}: not a bundle descriptor`,
    );
  });
});
