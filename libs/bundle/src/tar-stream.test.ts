import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { sortTarEntries, tarSize, tarStream, type TarEntry } from './tar-stream';

const longName = `${'deep/'.repeat(60)}file.txt`;

function entries(): TarEntry[] {
  return sortTarEntries([
    { path: 'top/b.txt', type: 'file', content: Buffer.from('bee\n'), mtime: 1700000000 },
    { path: 'top/', type: 'directory', mtime: 1700000000 },
    { path: 'top/a.bin', type: 'file', size: 1000, content: () => Readable.from([Buffer.alloc(600, 1), Buffer.alloc(400, 2)]), mode: 0o755 },
    { path: `top/${longName}`, type: 'file', content: Buffer.from('long') },
  ]);
}

describe('tarStream', () => {
  it('writes sorted entries owned by root with no user names, and its size is known up front', async () => {
    const bytes = await buffer(tarStream(entries()));
    expect(bytes.length).toBe(tarSize(entries()));
    const dir = mkdtempSync(join(tmpdir(), 'tar-stream-'));
    writeFileSync(join(dir, 't.tar'), bytes);
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', join(dir, 't.tar')], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const lines = listing.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(5).join(' '))).toEqual(['top/', 'top/a.bin', 'top/b.txt', `top/${longName}`]);
    for (const line of lines) expect(line).toMatch(/ 0\/0 /);
    expect(lines[2]).toContain('2023-11-14 22:13:20');
    expect(lines[1]).toMatch(/^-rwxr-xr-x/);
    execFileSync('tar', ['-xf', join(dir, 't.tar'), '-C', dir]);
    expect(execFileSync('cat', [join(dir, 'top', longName)], { encoding: 'utf8' })).toBe('long');
  });

  it('is byte-identical for the same entries', async () => {
    const [one, two] = await Promise.all([buffer(tarStream(entries())), buffer(tarStream(entries()))]);
    expect(one.equals(two)).toBe(true);
  });

  it('refuses content that does not match the planned size', async () => {
    const wrong: TarEntry[] = [{ path: 'x', type: 'file', size: 10, content: () => Readable.from([Buffer.alloc(4)]) }];
    await expect(buffer(tarStream(wrong))).rejects.toThrow(/4 bytes, 10 planned/);
  });
});
