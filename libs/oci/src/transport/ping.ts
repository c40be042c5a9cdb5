import { parseChallenge, type Challenge } from './challenge';
import { discardBody, header, type Transport } from './types';
import { DockyardError } from '@dockyard/errors';

export interface PingResult {
  scheme: 'http:' | 'https:';
  /** Absent when the registry answers /v2/ without auth. */
  challenge?: Challenge;
}

export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

/** One GET /v2/ over one scheme: the registry's answer, or why there was none. */
async function pingOnce(
  host: string,
  scheme: 'https:' | 'http:',
  transport: Transport,
  signal?: AbortSignal,
): Promise<PingResult> {
  const response = await transport({ method: 'GET', url: new URL(`${scheme}//${host}/v2/`), signal });
  discardBody(response);
  if (response.status === 200) return { scheme };
  if (response.status === 401) return { scheme, challenge: parseChallenge(header(response, 'www-authenticate')) };
  throw new DockyardError(`${scheme}//${host}/v2/ answered HTTP ${response.status}; is this an OCI registry?`, {
    code: 'NOT_A_REGISTRY',
  });
}

/**
 * GET /v2/ to learn the scheme and the auth challenge. Only HTTPS, unless the registry is marked
 * insecure or is on loopback: then HTTPS and HTTP are asked at once and the first registry answer
 * wins (one port speaks one of them), so a port that swallows a TLS handshake costs no stall timeout.
 */
export async function ping(host: string, transport: Transport, allowHttp: boolean): Promise<PingResult> {
  const advice = allowHttp ? '' : ' (if it serves plain HTTP, mark it insecure)';
  const unreachable = (err: unknown) =>
    new DockyardError(`cannot reach registry ${host}: ${(err as Error).message}${advice}`, {
      code: 'REGISTRY_UNREACHABLE',
      cause: err,
    });
  if (!allowHttp) return pingOnce(host, 'https:', transport).catch((err: unknown) => Promise.reject(unreachable(err)));
  const abort = new AbortController();
  const schemes = ['https:', 'http:'] as const;
  try {
    return await Promise.any(schemes.map((scheme) => pingOnce(host, scheme, transport, abort.signal)));
  } catch (err) {
    // Both failed: HTTPS's reason first, it is the one a user fixes (certificates, ports).
    const [httpsError] = (err as AggregateError).errors;
    throw unreachable(httpsError);
  } finally {
    abort.abort();
  }
}
