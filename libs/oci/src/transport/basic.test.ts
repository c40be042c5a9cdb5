import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { basicAuth, basicAuthorization } from './basic';
import type { HttpRequest, Transport } from './types';

describe('basicAuth', () => {
  it('adds the Basic header for its own host only, and nothing without a username', async () => {
    const seen: (string | undefined)[] = [];
    const next: Transport = async (request: HttpRequest) => {
      seen.push(request.headers?.authorization);
      return { status: 200, headers: {}, url: request.url, body: Readable.from([]) };
    };
    const send = basicAuth('reg.example.com', { username: 'ci', password: 'p:w' })(next);
    await send({ method: 'GET', url: new URL('https://reg.example.com/v2/') });
    await send({ method: 'GET', url: new URL('https://cdn.example.com/blob') });
    expect(seen).toEqual([basicAuthorization({ username: 'ci', password: 'p:w' }), undefined]);
    expect(seen[0]).toBe(`Basic ${Buffer.from('ci:p:w').toString('base64')}`);
    expect(basicAuth('reg.example.com', { identityToken: 'x' })(next)).toBe(next);
  });
});
