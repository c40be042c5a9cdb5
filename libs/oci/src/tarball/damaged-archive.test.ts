import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '@dockyard/errors';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CompressionError } from './compression';
import { archiveReadError, bundleFileCompression } from './damaged-archive';
import { TarFormatError } from './tar-reader';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('archiveReadError', () => {
  it('names the file and what to do when the file itself is the problem, keeping the cause', () => {
    const missing = archiveReadError('b.tar', withCode('ENOENT: no such file', 'ENOENT')) as Error;
    expect(missing.message).toBe(
      'b.tar: no such file; name a bundle file (dockyard bundle writes them in dist/<project>/bundle/)',
    );
    expect(hasCode(missing, 'ARCHIVE_UNREADABLE')).toBe(true);
    expect(missing.cause).toMatchObject({ code: 'ENOENT' });
    expect((archiveReadError('b', withCode('x', 'EISDIR')) as Error).message).toBe(
      'b is a folder; name the bundle file in it',
    );
    expect((archiveReadError('b.tar', withCode('x', 'EACCES')) as Error).message).toMatch(/^b\.tar: permission denied/);
  });

  it('calls zlib, zstd and tar failures damage, and returns anything else unchanged', () => {
    for (const cause of [
      withCode('b.tar.gz: unexpected end of file', 'Z_BUF_ERROR'),
      withCode('invalid entry', 'TAR_BAD_ARCHIVE'),
      new CompressionError('zstd exited with 1: corrupted block'),
      new TarFormatError('b.tar: header at byte 512 is damaged (checksum mismatch)'),
    ]) {
      const err = archiveReadError('b.tar.gz', cause) as Error;
      expect(err.message).toMatch(
        /^b\.tar\.gz is damaged \(.+\): it is cut short or corrupt; copy or download it again/,
      );
      expect(err.cause).toBe(cause);
    }
    expect(
      (archiveReadError('b.tar.gz', withCode('b.tar.gz: unexpected end of file', 'Z_BUF_ERROR')) as Error).message,
    ).toContain('(unexpected end of file)');
    const unrelated = new CompressionError('b.zip: a bundle file name ends in .tar, .tar.gz or .tar.zst');
    expect(archiveReadError('b.zip', unrelated)).toBe(unrelated);
  });

  it('checks the file is there before choosing a compression by its name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'damaged-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await expect(bundleFileCompression(join(dir, 'gone.tar.zst'))).rejects.toThrow(/gone\.tar\.zst: no such file/);
    await writeFile(join(dir, 'b.tar.zst'), '');
    expect(await bundleFileCompression(join(dir, 'b.tar.zst'))).toBe('zstd');
  });
});
