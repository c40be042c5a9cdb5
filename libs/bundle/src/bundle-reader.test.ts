import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Header } from 'tar';
import { tarEntryHeader, type TarEntry } from '@dockyard/oci';
import { forEachEntry, MAX_HEADER_BYTES } from './bundle-reader';

function rawTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarEntryHeader(entry));
    const data = Buffer.isBuffer(entry.content) ? entry.content : Buffer.alloc(0);
    parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

async function paths(tar: Buffer): Promise<string[]> {
  const seen: string[] = [];
  await forEachEntry(Readable.from([tar]), 'test.tar', async (entry) => {
    seen.push(entry.path);
    entry.body.resume();
  });
  return seen;
}

describe('forEachEntry', () => {
  it('hands entries over in archive order, each body read before the next handler starts', async () => {
    const order: string[] = [];
    const tar = rawTar([
      { path: 'inventory.json', type: 'file', content: Buffer.from('{"a":1}') },
      { path: 'payload/', type: 'directory' },
      { path: 'payload/blob', type: 'file', content: Buffer.alloc(3000, 7) },
    ]);
    await forEachEntry(Readable.from([tar]), 'test.tar', async (entry) => {
      let size = 0;
      for await (const chunk of entry.body) size += (chunk as Buffer).length;
      await new Promise((r) => setTimeout(r, 5));
      order.push(`${entry.path}:${size}`);
    });
    expect(order).toEqual(['inventory.json:7', 'payload/:0', 'payload/blob:3000']);
  });

  it.each([
    ['a path climbing out', { path: '../etc/passwd', type: 'file', content: Buffer.from('x') }, /climbs|"\.\."/],
    [
      'a symlink escaping the archive',
      { path: 'a/link', type: 'symlink', linkpath: '../../outside' },
      /outside the archive/,
    ],
    ['a hard link to an absolute path', { path: 'hard', type: 'hardlink', linkpath: '/etc/shadow' }, /absolute/],
  ] as [string, TarEntry, RegExp][])('refuses %s', async (_what, entry, message) => {
    await expect(paths(rawTar([entry]))).rejects.toThrow(message);
  });

  it('refuses device files and absolute paths', async () => {
    const header = (path: string, type: 'CharacterDevice' | 'File') => {
      const block = Buffer.alloc(512);
      new Header({ path, type, size: 0, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) }).encode(block, 0);
      return Buffer.concat([block, Buffer.alloc(1024)]);
    };
    await expect(paths(header('dev/tty0', 'CharacterDevice'))).rejects.toThrow(
      /dev\/tty0 is not a file, directory or link/,
    );
    await expect(paths(header('/etc/passwd', 'File'))).rejects.toThrow(/absolute/);
  });

  it('refuses a PAX header larger than any path needs', async () => {
    const pax = `${'x'.repeat(MAX_HEADER_BYTES + 10)}`;
    const header = tarEntryHeader({ path: 'PaxHeader/big', type: 'file', size: pax.length });
    header.write('x', 156, 1, 'ascii');
    let sum = 0;
    header.fill(' ', 148, 156);
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    const body = Buffer.from(pax);
    const tar = Buffer.concat([
      header,
      body,
      Buffer.alloc((512 - (body.length % 512)) % 512),
      rawTar([{ path: 'f', type: 'file', content: Buffer.from('x') }]),
    ]);
    await expect(paths(tar)).rejects.toThrow(/larger than the 65536 allowed/);
  });

  it('lists a sound archive', async () => {
    expect(
      await paths(
        rawTar([
          { path: 'ok/', type: 'directory' },
          { path: 'ok/link', type: 'symlink', linkpath: '../ok' },
        ]),
      ),
    ).toEqual(['ok/', 'ok/link']);
  });
});
