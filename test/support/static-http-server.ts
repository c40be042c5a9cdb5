import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';

export interface StaticServer {
  /** "http://127.0.0.1:PORT/" */
  url: string;
  /** Every request served: method, path, Range header, status. */
  requests: { path: string; range?: string; status: number }[];
  /** Closes the connection of the next GET of a path ending so, after `bytes` bytes (a broken download). */
  cutNextDownload(pathSuffix: string, bytes: number): void;
  stop(): Promise<void>;
}

/**
 * Serves `root` read-only on 127.0.0.1 like a mirror's web server: files (with `Range: bytes=N-`), and for a
 * folder an HTML listing of `<a href="name/">` links, as repo.openeuler.org's autoindex does.
 */
export async function serveFolder(root: string): Promise<StaticServer> {
  const requests: StaticServer['requests'] = [];
  let cut: { suffix: string; bytes: number } | undefined;
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(root, normalize(path));
    const record = (status: number) => requests.push({ path, range: req.headers.range, status });
    const info = await stat(file).catch(() => undefined);
    if (!info || !file.startsWith(root)) {
      record(404);
      res.writeHead(404).end('not found');
      return;
    }
    if (info.isDirectory()) {
      const names = await readdir(file, { withFileTypes: true });
      record(200);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<html><body><a href="../">../</a>\n${names.map((d) => `<a href="${d.name}${d.isDirectory() ? '/' : ''}">${d.name}</a>`).join('\n')}</body></html>`,
      );
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const status = start > 0 ? 206 : 200;
    record(status);
    res.writeHead(status, {
      'content-length': info.size - start,
      ...(status === 206 ? { 'content-range': `bytes ${start}-${info.size - 1}/${info.size}` } : {}),
    });
    if (cut && req.method === 'GET' && path.endsWith(cut.suffix)) {
      const { bytes } = cut;
      cut = undefined;
      createReadStream(file, { start, end: start + bytes - 1 })
        .on('end', () => res.socket?.destroy())
        .pipe(res, { end: false });
      return;
    }
    createReadStream(file, { start }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('serveFolder: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    cutNextDownload: (suffix, bytes) => (cut = { suffix, bytes }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
