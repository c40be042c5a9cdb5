import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheObjects } from './cache-objects';
import { nxCacheServer, type CacheEvent } from './nx-cache-server';

/** The CacheObjects contract in memory (the S3 one runs against s3rver with Nx itself in test/ci). */
function memoryObjects(failing = false): CacheObjects & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const fail = async () => {
    if (failing) throw new Error('connect ECONNREFUSED');
  };
  return {
    key: 'memory://cache',
    entries,
    has: async (hash) => (await fail(), entries.has(hash)),
    get: async (hash) => (await fail(), entries.has(hash) ? Readable.from([entries.get(hash)!]) : undefined),
    put: async (hash, body) => {
      await fail();
      entries.set(hash, await text(body));
    },
  };
}

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(objects: CacheObjects) {
  const events: CacheEvent[] = [];
  const server = nxCacheServer(objects, { read: ['r-token'], write: ['w-token'] }, (e) => events.push(e));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/cache`;
  const call = (method: string, hash: string, token?: string, body?: string) =>
    fetch(`${base}/${hash}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body !== undefined ? { body } : {}),
    });
  return { events, call };
}

describe('nxCacheServer', () => {
  it('stores with a write token, never replaces, reads with either token, refuses writes with a read token', async () => {
    const objects = memoryObjects();
    const { call } = await serve(objects);
    expect((await call('PUT', 'abc', 'w-token', 'tar bytes')).status).toBe(200);
    expect((await call('PUT', 'abc', 'w-token', 'other')).status).toBe(409);
    expect(objects.entries.get('abc')).toBe('tar bytes');
    const hit = await call('GET', 'abc', 'r-token');
    expect([hit.status, await hit.text()]).toEqual([200, 'tar bytes']);
    expect((await call('GET', 'nope', 'r-token')).status).toBe(404);
    expect((await call('PUT', 'def', 'r-token', 'poison')).status).toBe(403);
    expect(objects.entries.has('def')).toBe(false);
    expect((await call('GET', 'abc')).status).toBe(401);
    expect((await call('GET', 'abc', 'guess')).status).toBe(401);
    expect((await call('DELETE', 'abc', 'w-token')).status).toBe(404);
  });

  it('storage that fails is a miss on GET and a refused write on PUT, with the problem in the log', async () => {
    const { call, events } = await serve(memoryObjects(true));
    expect((await call('GET', 'abc', 'w-token')).status).toBe(404);
    expect((await call('PUT', 'abc', 'w-token', 'x')).status).toBe(403);
    expect(events.filter((e) => e.problem)).toEqual([
      { method: 'GET', hash: 'abc', status: 404, problem: 'connect ECONNREFUSED' },
      { method: 'PUT', hash: 'abc', status: 403, problem: 'connect ECONNREFUSED' },
    ]);
  });
});
