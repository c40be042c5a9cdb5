import { parseChallenge, type Challenge } from './challenge';
import { NetworkError } from './http';
import { discardBody, header, type Transport } from './types';

export interface PingResult {
  scheme: 'http:' | 'https:';
  /** Absent when the registry answers /v2/ without auth. */
  challenge?: Challenge;
}

export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

/**
 * GET /v2/ to learn the scheme and the auth challenge. HTTPS is tried first; plain HTTP only
 * when the registry is marked insecure or is on loopback.
 */
export async function ping(host: string, transport: Transport, allowHttp: boolean): Promise<PingResult> {
  const schemes: ('https:' | 'http:')[] = allowHttp ? ['https:', 'http:'] : ['https:'];
  let lastError: Error | undefined;
  for (const scheme of schemes) {
    try {
      const response = await transport({ method: 'GET', url: new URL(`${scheme}//${host}/v2/`) });
      discardBody(response);
      if (response.status === 200) return { scheme };
      if (response.status === 401) return { scheme, challenge: parseChallenge(header(response, 'www-authenticate')) };
      lastError = new Error(`${scheme}//${host}/v2/ answered HTTP ${response.status}; is this an OCI registry?`);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      lastError = err;
    }
  }
  const advice = allowHttp ? '' : ' (if it serves plain HTTP, mark it insecure)';
  throw new Error(`cannot reach registry ${host}: ${lastError?.message}${advice}`);
}
