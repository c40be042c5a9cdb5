import http from 'node:http';
import https from 'node:https';
import { DockyardError } from '@dockyard/errors';
import { InterruptedBodyError } from './errors';
import type { Transport } from './types';

export interface HttpOptions {
  /** Abort a request when its socket is idle this long (a stalled server); default 60 s. */
  stallTimeoutMs?: number;
  /** Skip TLS certificate verification (registries marked insecure only). */
  skipTlsVerify?: boolean;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string | Buffer;
  maxSocketsPerHost?: number;
}

/** A request that got no answer (refused, reset, DNS, TLS): asking again can succeed. */
export class NetworkError extends DockyardError {
  constructor(
    readonly url: URL,
    cause: Error,
  ) {
    super(`${url.origin}: ${cause.message}`, { code: 'NETWORK', cause });
  }
}

/** The innermost transport: one node:http(s) request with keep-alive sockets and a stall timeout. */
export function httpTransport(options: HttpOptions = {}): Transport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 32 };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent({ ...agentOptions, rejectUnauthorized: !options.skipTlsVerify, ca: options.ca });
  const stall = options.stallTimeoutMs ?? 60_000;

  return (request) =>
    new Promise((resolve, reject) => {
      const secure = request.url.protocol === 'https:';
      const headers: Record<string, string> = { ...request.headers };
      if (Buffer.isBuffer(request.body)) headers['content-length'] = String(request.body.length);
      const streamed = request.body !== undefined && !Buffer.isBuffer(request.body);
      const req = (secure ? https : http).request(request.url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
        signal: request.signal,
        // A streamed upload idles whenever its source stalls; that stall is the source's to detect and
        // resume (by Range), so this server is timed only once the whole body is sent.
        timeout: streamed ? undefined : stall,
      });
      req.on('timeout', () =>
        req.destroy(new InterruptedBodyError(`no data for ${Math.round(stall / 1000)}s (stalled connection)`)),
      );
      req.on('error', (err) => reject(new NetworkError(request.url, err)));
      req.on('response', (res) => {
        // The request's timeout keeps covering the body, so a stall mid-body fails the stream.
        resolve({ status: res.statusCode ?? 0, headers: res.headers, url: request.url, body: res });
      });
      const body = request.body;
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else {
        // A body that fails or closes before its end fails the request, even when that happened before
        // it was handed over (a source read that failed while the upload was being started).
        const abandon = () => req.destroy(body.errored ?? new Error('the request body closed before its end'));
        if (body.destroyed) return abandon();
        body.once('error', abandon);
        body.once('close', () => body.readableEnded || abandon());
        body.on('end', () => req.setTimeout(stall));
        body.pipe(req);
      }
    });
}
