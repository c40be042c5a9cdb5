import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFileToStore } from './remote-file';

describe('fetchFileToStore', () => {
  let server: http.Server;
  let base: string;
  let requests = 0;
  const body = Buffer.from('#!/bin/sh\necho cadm\n');
  const sha256 = createHash('sha256').update(body).digest('hex');

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads once into the store under its sha256 and reuses it', async () => {
    const store = mkdtempSync(join(tmpdir(), 'remote-file-'));
    const path = await fetchFileToStore(`${base}/cadm`, sha256, store, 'p.yaml:bundle.files[0]');
    expect(readFileSync(path).equals(body)).toBe(true);
    await fetchFileToStore(`${base}/cadm`, sha256, store, 'p.yaml:bundle.files[0]');
    expect(requests).toBe(1);
  });

  it('refuses a file whose sha256 is not the pinned one, naming where it is pinned, without the query string', async () => {
    const store = mkdtempSync(join(tmpdir(), 'remote-file-'));
    await expect(
      fetchFileToStore(`${base}/cadm?token=secret`, 'b'.repeat(64), store, 'p.yaml:bundle.files[1]'),
    ).rejects.toThrow(
      new RegExp(
        `^p\\.yaml:bundle\\.files\\[1\\]: ${base.replace(/[.]/g, '\\.')}/cadm has sha256 ${sha256}, not the b{64}`,
      ),
    );
    await expect(fetchFileToStore(`${base}/cadm?token=secret`, 'b'.repeat(64), store, 'x')).rejects.not.toThrow(
      /secret/,
    );
  });
});
