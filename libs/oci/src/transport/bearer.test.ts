import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bearerAuth } from './bearer';
import type { HttpRequest, HttpResponse, Transport } from './types';

const HOST = 'reg.example.com';
const challenge = { scheme: 'bearer' as const, params: { realm: 'https://auth.example.com/token', service: 'reg' } };

function respond(request: HttpRequest, status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, url: request.url, body: Readable.from([Buffer.from(body)]) };
}

/** A token service handing out `t1`, `t2`, … and recording the scopes and authorization it was asked with. */
function tokenService() {
  const asked: { scopes: string[]; authorization?: string }[] = [];
  const transport: Transport = async (request) => {
    asked.push({ scopes: request.url.searchParams.getAll('scope'), authorization: request.headers?.authorization });
    return respond(request, 200, JSON.stringify({ token: `t${asked.length}`, expires_in: 300 }));
  };
  return { asked, transport };
}

describe('bearerAuth', () => {
  it('asks once for scopes spelled two ways, and sends the token to this registry only', async () => {
    const service = tokenService();
    const seen: (string | undefined)[] = [];
    const registry: Transport = async (request) => {
      seen.push(request.headers?.authorization);
      return respond(request, 200);
    };
    const send = bearerAuth(HOST, challenge, { username: 'ci', password: 'pw' }, service.transport)(registry);
    await send({
      method: 'GET',
      url: new URL(`https://${HOST}/v2/app/tags/list`),
      scopes: ['repository:app:push,pull'],
    });
    await send({
      method: 'GET',
      url: new URL(`https://${HOST}/v2/app/tags/list`),
      scopes: ['repository:app:pull', 'repository:app:push'],
    });
    await send({ method: 'GET', url: new URL('https://elsewhere.example.com/blob') });
    expect(service.asked).toEqual([
      { scopes: ['repository:app:pull,push'], authorization: `Basic ${Buffer.from('ci:pw').toString('base64')}` },
    ]);
    expect(seen).toEqual(['Bearer t1', 'Bearer t1', undefined]);
  });

  it('renews a token the registry rejects, widening it to the scope the new challenge asks for', async () => {
    const service = tokenService();
    const seen: (string | undefined)[] = [];
    const registry: Transport = async (request) => {
      seen.push(request.headers?.authorization);
      if (request.headers?.authorization === 'Bearer t1')
        return respond(request, 401, '', {
          'www-authenticate':
            'Bearer realm="https://auth.example.com/token",service="reg",scope="repository:base:pull"',
        });
      return respond(request, 201);
    };
    const send = bearerAuth(HOST, challenge, undefined, service.transport)(registry);
    const response = await send({
      method: 'POST',
      url: new URL(`https://${HOST}/v2/app/blobs/uploads/`),
      scopes: ['repository:app:pull,push'],
    });
    expect(response.status).toBe(201);
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
    expect(service.asked[1]!.scopes).toEqual(['repository:app:pull,push', 'repository:base:pull']);
  });

  it('says how to configure credentials when the token service refuses an anonymous request', async () => {
    const refusing: Transport = async (request) => respond(request, 401);
    const send = bearerAuth(HOST, challenge, undefined, refusing)(async (request) => respond(request, 200));
    await expect(send({ method: 'GET', url: new URL(`https://${HOST}/v2/`) })).rejects.toThrow(
      /https:\/\/auth\.example\.com\/token: token service refused the request \(HTTP 401\) — no credentials are configured for reg\.example\.com/,
    );
  });
});
