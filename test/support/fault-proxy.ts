import http from 'node:http';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'reset-mid-body' }
  | { kind: 'stall-mid-body' }
  | { kind: 'corrupt' };

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The Range header the client sent, if any. */
  range?: string;
  status?: number;
}

export interface FaultProxy {
  host: string;
  url: string;
  requests: ProxiedRequest[];
  /** Chooses a fault for a request; `seen` counts earlier requests with the same method and path. */
  setFaults(decide: (request: ProxiedRequest, seen: number) => Fault | undefined): void;
  stop(): Promise<void>;
}

/**
 * A reverse proxy in front of a real registry that injects faults: error statuses (5xx, 429
 * with Retry-After), connections reset or stalled halfway through a body, and bodies with one
 * byte flipped. It records every request so tests can assert what a client did.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const counts = new Map<string, number>();
  const stalled = new Set<http.ServerResponse>();
  let decide: (request: ProxiedRequest, seen: number) => Fault | undefined = () => undefined;

  const server = http.createServer((req, res) => {
    const record: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      range: req.headers.range,
    };
    requests.push(record);
    const key = `${record.method} ${record.path}`;
    const seen = counts.get(key) ?? 0;
    counts.set(key, seen + 1);
    const fault = decide(record, seen);
    if (fault?.kind === 'status') {
      req.resume();
      record.status = fault.status;
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
      return;
    }
    const upstreamReq = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        record.status = upstreamRes.statusCode;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        const length = Number(upstreamRes.headers['content-length'] ?? 0);
        if (!fault || req.method === 'HEAD' || length < 2) {
          upstreamRes.pipe(res);
          return;
        }
        let sent = 0;
        const half = Math.floor(length / 2);
        upstreamRes.on('data', (chunk: Buffer) => {
          if (fault.kind === 'corrupt') {
            const copy = Buffer.from(chunk);
            if (sent <= half && half < sent + copy.length) copy[half - sent]! ^= 0xff;
            sent += chunk.length;
            res.write(copy);
            return;
          }
          if (sent + chunk.length < half) {
            sent += chunk.length;
            res.write(chunk);
            return;
          }
          const rest = chunk.subarray(0, half - sent);
          sent = half;
          upstreamRes.destroy();
          // Reset only once the first half has reached the client, so it has bytes to resume from.
          if (fault.kind === 'reset-mid-body') res.write(rest, () => res.socket?.destroy());
          else {
            res.write(rest);
            stalled.add(res);
          }
        });
        upstreamRes.on('end', () => {
          if (fault.kind === 'corrupt') res.end();
        });
      },
    );
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    setFaults(next) {
      decide = next;
      counts.clear();
    },
    async stop() {
      for (const res of stalled) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
