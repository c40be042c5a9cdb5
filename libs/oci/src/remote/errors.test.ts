import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isTemporary } from '../transport/retry';
import { registryError } from './errors';

function response(status: number, body: string) {
  return {
    status,
    headers: {},
    url: new URL('https://reg.example.com/v2/app/manifests/v1?x=secret'),
    body: Readable.from([Buffer.from(body)]),
  };
}

describe('registryError', () => {
  it('names the endpoint without its query, the registry codes, and advice for the status', async () => {
    const body = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    const err = await registryError(response(404, body), 'GET manifest');
    expect(err.message).toBe(
      'https://reg.example.com/v2/app/manifests/v1: GET manifest failed with HTTP 404 (MANIFEST_UNKNOWN: manifest unknown) — not found in the registry (check the repository name and tag)',
    );
    expect(err).toMatchObject({ status: 404, codes: ['MANIFEST_UNKNOWN'], code: 'REGISTRY_ANSWER' });
    expect(isTemporary(err)).toBe(false);
  });

  it('tells a request without credentials to configure them, one with credentials to check them', async () => {
    expect((await registryError(response(401, ''), 'HEAD', true)).message).toMatch(
      /no credentials are configured for reg\.example\.com/,
    );
    expect((await registryError(response(401, 'not json'), 'HEAD', false)).message).toMatch(
      /authentication failed for reg\.example\.com; check the username and password/,
    );
  });

  it('makes a damaged upload and a busy registry worth trying again', async () => {
    const digestInvalid = JSON.stringify({ errors: [{ code: 'DIGEST_INVALID', message: 'bad' }] });
    expect(isTemporary(await registryError(response(400, digestInvalid), 'PUT blob'))).toBe(true);
    expect(isTemporary(await registryError(response(503, ''), 'PUT blob'))).toBe(true);
    expect(isTemporary(await registryError(response(403, ''), 'PUT blob'))).toBe(false);
  });
});
