import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { timingSafeEqual } from 'node:crypto';
import type { CacheObjects } from './cache-objects';

/**
 * Bearer tokens of Nx's self-hosted remote cache: `read` tokens only read (pull requests), `write` tokens read
 * and write (main). A pull request can then never write an entry main would read: the CREEP cache poisoning
 * (CVE-2025-36852) needs exactly that.
 */
export interface CacheTokens {
  read: string[];
  write: string[];
}

/** What the service did, for its log: never a token. */
export type CacheEvent = { method: string; hash?: string; status: number; problem?: string };

const HASH = /^\/v1\/cache\/([A-Za-z0-9._-]{1,200})$/;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function access(req: IncomingMessage, tokens: CacheTokens): 'write' | 'read' | undefined {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return undefined;
  if (tokens.write.some((t) => same(t, token))) return 'write';
  if (tokens.read.some((t) => same(t, token))) return 'read';
  return undefined;
}

/**
 * Nx's self-hosted remote cache protocol (`NX_SELF_HOSTED_REMOTE_CACHE_SERVER`, nx.dev's OpenAPI spec):
 * `GET /v1/cache/{hash}` answers 200 with the entry's tar or 404; `PUT /v1/cache/{hash}` with a Content-Length
 * stores it (200), 409 when the entry exists (entries are never replaced), 403 for a read-only token; 401
 * without a known token. Storage that cannot be reached is a miss on GET and a refused write on PUT, never an
 * error that fails the run.
 */
export function nxCacheServer(objects: CacheObjects, tokens: CacheTokens, log: (event: CacheEvent) => void): Server {
  return createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log({ method: req.method ?? '?', status: 500 });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${objects.key}: ${err.message}\n`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? '?';
    const hash = HASH.exec((req.url ?? '').split('?')[0]!)?.[1];
    const answer = (status: number, text = '') => {
      log({ method, ...(hash ? { hash } : {}), status });
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    if (!hash || (method !== 'GET' && method !== 'PUT')) return answer(404, 'not found\n');
    const granted = access(req, tokens);
    if (!granted) return answer(401, 'a known bearer token is required\n');
    if (method === 'GET') {
      // Storage that cannot be reached is a miss: the task runs instead of failing.
      const body = await objects.get(hash).catch((err: Error) => {
        log({ method, hash, status: 404, problem: err.message });
        return undefined;
      });
      if (!body) return answer(404, 'no such entry\n');
      log({ method, hash, status: 200 });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      await pipeline(body, res);
      return;
    }
    if (granted !== 'write') return answer(403, 'this token may only read\n');
    const size = Number(req.headers['content-length']);
    if (!Number.isSafeInteger(size) || size < 0) return answer(411, 'a Content-Length is required\n');
    try {
      if (await objects.has(hash)) return answer(409, 'the entry exists and is never replaced\n');
      await objects.put(hash, req, size);
    } catch (err) {
      // Nx 24 ends the whole run on a 5xx ("Misconfigured remote cache endpoint") but carries on after a 403, so
      // storage that cannot be reached refuses the write like a read-only token: the task's own result stands.
      log({ method, hash, status: 403, problem: (err as Error).message });
      return answer(403, 'the cache storage cannot be reached; nothing was stored\n');
    }
    answer(200);
  }
}
