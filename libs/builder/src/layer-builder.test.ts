import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { compressionFor, GZIP_LEVEL, LayerBuilder, layerKey, type LayerFile } from './layer-builder';
import { ContentStore } from './oci';

const file = (path: string, text: string, extra: Partial<LayerFile['entry']> = {}): LayerFile => ({
  entry: {
    path,
    type: 'file',
    mode: 0o644,
    mtime: 1700000000,
    content: Buffer.from(text),
    size: text.length,
    ...extra,
  },
  contentId: createHash('sha256').update(text).digest('hex'),
});

describe('LayerBuilder', () => {
  it('writes one gzip layer whatever the input order, with the diffID of its tar, and serves it from the cache after', async () => {
    const store = new ContentStore(await tempDirFor(onTestFinished, 'layer-store'));
    const builder = new LayerBuilder(store);
    const files = [
      file('b/two.txt', 'two'),
      { entry: { path: 'b', type: 'directory' as const, mode: 0o755, mtime: 1700000000 } },
      file('a.txt', 'one', { uid: 1000, gid: 1000 }),
    ];
    const first = await builder.build(files);
    const second = await builder.build([...files].reverse());
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.layer.descriptor).toEqual(first.layer.descriptor);
    const gz = await readFile(store.path(first.layer.descriptor.digest));
    const tar = gunzipSync(gz);
    expect(first.layer.diffId).toBe(`sha256:${createHash('sha256').update(tar).digest('hex')}`);
    // Members in byte order of their path, uname/gname empty, mtime as given.
    const names: string[] = [];
    for (let at = 0; at + 512 <= tar.length;) {
      const name = tar
        .subarray(at, at + 100)
        .toString('utf8')
        .replace(/\0.*$/s, '');
      if (!name) break;
      names.push(name);
      expect(tar.subarray(at + 265, at + 265 + 32).every((b) => b === 0)).toBe(true);
      expect(parseInt(tar.subarray(at + 136, at + 147).toString(), 8)).toBe(1700000000);
      const size = parseInt(tar.subarray(at + 124, at + 135).toString(), 8);
      at += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names).toEqual(['a.txt', 'b/', 'b/two.txt']);
  });

  it('keys the cache by every member property, so a changed file, mode or owner is a different layer', () => {
    const base = [file('a', 'x')];
    const key = layerKey(base);
    expect(layerKey([file('a', 'y')])).not.toBe(key);
    expect(layerKey([file('a', 'x', { mode: 0o755 })])).not.toBe(key);
    expect(layerKey([file('a', 'x', { uid: 1 })])).not.toBe(key);
    expect(layerKey([file('a', 'x')])).toBe(key);
  });

  it('stores a layer of already-compressed files in stored deflate blocks and deflates the others', async () => {
    const store = new ContentStore(await tempDirFor(onTestFinished, 'layer-store-stored'));
    const blob = { ...file('registry/blob', 'x'.repeat(100_000)), compressed: true };
    const text = file('charts/values.yaml', 'y'.repeat(100_000));
    expect(compressionFor([blob, file('small', 'z')])).toBe('stored');
    expect(compressionFor([blob, text])).toEqual({ level: GZIP_LEVEL });
    const stored = await new LayerBuilder(store).build([blob]);
    const deflated = await new LayerBuilder(store).build([text]);
    expect(stored.layer.descriptor.size).toBeGreaterThan(100_000);
    expect(deflated.layer.descriptor.size).toBeLessThan(1_000);
    expect(
      gunzipSync(await readFile(store.path(stored.layer.descriptor.digest))).includes(Buffer.from('x'.repeat(1000))),
    ).toBe(true);
  });
});
