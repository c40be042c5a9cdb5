import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { DockyardError } from '@dockyard/errors';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer can be re-sent on retry; a stream cannot, so the caller retries those itself. */
  body?: Buffer | Readable;
  /** Token scopes the request needs, e.g. `repository:app/web:pull,push` (bearer auth only). */
  scopes?: string[];
  /**
   * Part of a larger operation that retries as a whole (a blob transfer: its reads resume by Range, its
   * upload starts over): the retry middleware sends it once, so attempts are counted in one place.
   */
  retriedByCaller?: boolean;
  /** Cancels the request (a ping that lost its race). */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  url: URL;
  /** Must be consumed or destroyed by the caller. */
  body: Readable;
}

/** One request/response step; middleware wraps the next transport (ping, auth, retry, …). */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;
export type Middleware = (next: Transport) => Transport;

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function isReplayable(request: HttpRequest): boolean {
  return request.body === undefined || Buffer.isBuffer(request.body);
}

export async function readBody(response: HttpResponse, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      response.body.destroy();
      throw new DockyardError(`${response.url.origin}${response.url.pathname}: response larger than ${limit} bytes`, {
        code: 'RESPONSE_TOO_LARGE',
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function discardBody(response: HttpResponse): void {
  response.body.resume();
}
