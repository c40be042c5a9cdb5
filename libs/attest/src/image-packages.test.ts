import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'tar';
import type { Image, Layer } from '@dockyard/oci';
import { removeTempDir, tempDir } from '../../../test/support/tmp';
import { imagePackages } from './image-packages';

const status = (...names: string[]) =>
  names.map((n) => `Package: ${n}\nStatus: install ok installed\nArchitecture: arm64\nVersion: 1.0-1\n`).join('\n');

describe('imagePackages', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('image-packages');
  });
  afterAll(() => removeTempDir(root));

  /** A gzipped layer tar of `files` (path → content), as a layer of the image model. */
  async function layer(name: string, files: Record<string, string>): Promise<Layer> {
    const dir = join(root, name);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of create({ cwd: dir, gzip: true, portable: true }, Object.keys(files)))
      chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return {
      descriptor: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${name}`, size: 0 },
      origin: { key: name },
      open: async () => Readable.from([bytes]),
    };
  }

  const image = (layers: Layer[]) => ({ kind: 'image', layers }) as unknown as Image;

  it('reads the dpkg status of the top layer that has it', async () => {
    const base = await layer('base', { 'var/lib/dpkg/status': status('libc6'), 'etc/hostname': 'x' });
    const top = await layer('top', { 'var/lib/dpkg/status': status('libc6', 'curl') });
    expect((await imagePackages(image([base, top]))).packages.map((p) => p.name)).toEqual(['curl', 'libc6']);
    expect((await imagePackages(image([top, base]))).packages.map((p) => p.name)).toEqual(['libc6']);
  });

  it('forgets a database a later layer whites out, and finds none in an image without one', async () => {
    const base = await layer('base2', { 'var/lib/dpkg/status': status('libc6') });
    const gone = await layer('gone', { 'var/lib/dpkg/.wh.status': '' });
    const opaque = await layer('opaque', { 'var/lib/.wh..wh..opq': '' });
    expect(await imagePackages(image([base, gone]))).toEqual({ packages: [], unread: [] });
    expect(await imagePackages(image([base, opaque]))).toEqual({ packages: [], unread: [] });
    expect(await imagePackages(image([]))).toEqual({ packages: [], unread: [] });
  });
});
