import type { Credential } from '../auth/credential';
import { basicAuth } from '../transport/basic';
import { bearerAuth } from '../transport/bearer';
import { httpTransport, type HttpOptions } from '../transport/http';
import { logger, type DebugLog } from '../transport/logger';
import { isLoopback, ping } from '../transport/ping';
import { DEFAULT_RETRY, retry, type RetryPolicy } from '../transport/retry';
import { schemer } from '../transport/schemer';
import type { Middleware, Transport } from '../transport/types';
import { userAgent } from '../transport/useragent';
import { apiHost } from '../reference';

export interface RegistryEndpoint {
  /** `host[:port]` as written in image references. */
  registry: string;
  /** Allow plain HTTP and skip TLS verification; loopback registries may use HTTP regardless. */
  insecure?: boolean;
}

/** A registry after ping: base URL plus the composed middleware chain every request goes through. */
export interface RegistryConnection {
  registry: string;
  host: string;
  base: URL;
  transport: Transport;
  /** No credential is configured for this registry: a 401 then means "configure one", not "check it". */
  anonymous: boolean;
}

export interface ConnectOptions extends HttpOptions {
  credential?: Credential;
  retry?: RetryPolicy;
  log?: DebugLog;
  userAgent?: string;
}

function compose(inner: Transport, ...outerToInner: Middleware[]): Transport {
  return outerToInner.reduceRight((next, middleware) => middleware(next), inner);
}

export async function connectRegistry(
  endpoint: RegistryEndpoint,
  options: ConnectOptions = {},
): Promise<RegistryConnection> {
  const host = apiHost(endpoint.registry);
  const base = httpTransport({ ...options, skipTlsVerify: options.skipTlsVerify ?? endpoint.insecure });
  const allowHttp = Boolean(endpoint.insecure) || isLoopback(host);
  const pinged = await ping(host, compose(base, logger(options.log)), allowHttp);
  const retried = compose(base, retry(options.retry ?? DEFAULT_RETRY), logger(options.log));
  const auth: Middleware =
    pinged.challenge?.scheme === 'bearer'
      ? bearerAuth(host, pinged.challenge, options.credential, retried)
      : pinged.challenge?.scheme === 'basic'
        ? basicAuth(host, options.credential)
        : (next) => next;
  const transport = compose(
    base,
    userAgent(options.userAgent ?? 'dockyard'),
    auth,
    retry(options.retry ?? DEFAULT_RETRY),
    logger(options.log),
    schemer(host, pinged.scheme),
  );
  return {
    registry: endpoint.registry,
    host,
    base: new URL(`${pinged.scheme}//${host}/v2/`),
    transport,
    anonymous: !options.credential,
  };
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

export function repoUrl(conn: RegistryConnection, repository: string, suffix: string): URL {
  return new URL(`${repository}/${suffix}`, conn.base);
}
