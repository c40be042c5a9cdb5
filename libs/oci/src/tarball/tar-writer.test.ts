import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tar from 'tar';
import { indexTar, unsafeMemberReason } from './tar-reader';
import { planTar, sortTarEntries, tarStream, type TarEntry } from './tar-writer';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tar-writer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const longName = `docker/registry/v2/repositories/${'deeply-nested-group/'.repeat(9)}app/_manifests/tags/v1.0.0/current/link`;

function sample(): TarEntry[] {
  return [
    { path: 'b.txt', type: 'file', content: Buffer.from('bee\n') },
    { path: 'a', type: 'directory' },
    { path: longName, type: 'file', content: () => Readable.from([Buffer.from('sha256:abc')]), size: 10 },
    { path: 'a/link', type: 'symlink', linkpath: '../b.txt' },
    { path: 'a/hard', type: 'hardlink', linkpath: 'b.txt' },
    {
      path: 'bin/tool',
      type: 'file',
      mode: 0o755,
      uid: 1000,
      gid: 1000,
      mtime: 1_700_000_000,
      content: Buffer.from('#!/bin/sh\n'),
    },
  ];
}

describe('tar writer', () => {
  it('gives the same bytes for the same entries, whatever order they arrive in', async () => {
    const one = await collect(tarStream(sortTarEntries(sample())));
    const two = await collect(tarStream(sortTarEntries(sample().reverse())));
    expect(one.equals(two)).toBe(true);
    expect(one.length % 512).toBe(0);
  });

  it('writes long names with PAX, links, modes and owners that GNU-compatible readers restore', async () => {
    const file = join(dir, 'sample.tar');
    await writeFile(file, await collect(tarStream(sortTarEntries(sample()))));
    const seen: Record<
      string,
      { type: string; mode?: number; uid?: number; linkpath?: string; uname?: string; mtime?: number }
    > = {};
    await tar.t({
      file,
      onReadEntry: (e) =>
        void (seen[e.path] = {
          type: e.type,
          mode: e.mode,
          uid: e.uid,
          linkpath: e.linkpath,
          uname: e.uname,
          mtime: e.mtime?.getTime(),
        }),
    });
    expect(Object.keys(seen)).toEqual(['a/', 'a/hard', 'a/link', 'b.txt', 'bin/tool', longName]);
    expect(seen['a/link']).toMatchObject({ type: 'SymbolicLink', linkpath: '../b.txt' });
    expect(seen['a/hard']).toMatchObject({ type: 'Link', linkpath: 'b.txt' });
    expect(seen['bin/tool']).toMatchObject({ mode: 0o755, uid: 1000, mtime: 1_700_000_000_000 });
    expect(seen['b.txt']).toMatchObject({ mode: 0o644, uid: 0, mtime: 0 });
    expect(seen['b.txt']!.uname ?? '').toBe('');
  });

  it('indexes members in place, long names included, at the offsets the plan promised', async () => {
    const entries = sortTarEntries(sample());
    const file = join(dir, 'planned.tar');
    const bytes = await collect(tarStream(entries));
    await writeFile(file, bytes);
    const plan = planTar(entries);
    expect(plan.size).toBe(bytes.length);
    const members = await indexTar(file);
    const long = members.get(longName)!;
    expect(long.offset).toBe(plan.entries.find((p) => p.entry.path === longName)!.dataOffset);
    expect((await readFile(file)).subarray(long.offset, long.offset + long.size).toString()).toBe('sha256:abc');
    expect(members.get('a/link')).toMatchObject({ type: 'symlink', linkpath: '../b.txt' });
  });

  it('refuses a streamed file whose content does not match its size', async () => {
    const entries: TarEntry[] = [
      { path: 'short', type: 'file', size: 5, content: () => Readable.from([Buffer.from('abc')]) },
    ];
    await expect(collect(tarStream(entries))).rejects.toThrow(/3 bytes, its size says 5/);
  });
});

describe('unsafe members', () => {
  it.each([
    [{ name: '/etc/passwd', type: 'file' as const }, /absolute/],
    [{ name: 'a/../../x', type: 'file' as const }, /\.\./],
    [{ name: 'a/l', type: 'symlink' as const, linkpath: '../../x' }, /outside/],
    [{ name: 'a/l', type: 'symlink' as const, linkpath: '/etc' }, /absolute/],
    [{ name: 'dev', type: 'other' as const, rawType: '3' }, /tar type 3/],
  ])('%o is refused', (member, reason) => {
    expect(unsafeMemberReason({ rawType: '0', ...member })).toMatch(reason);
  });

  it('accepts links that stay inside', () => {
    expect(unsafeMemberReason({ name: 'a/b/l', type: 'symlink', rawType: '2', linkpath: '../c' })).toBeUndefined();
  });
});
