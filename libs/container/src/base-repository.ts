import { DockyardError } from '@dockyard/errors';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';

/** Read access to an openEuler repository tree: over HTTP(S), or a local folder with the same layout. */
export interface BaseRepository {
  /** The URL or file path of `path`, for messages. */
  where(path: string): string;
  text(path: string): Promise<string>;
  /** The file's length in bytes. */
  size(path: string): Promise<number>;
  /** An HTTP directory listing as served, or a folder's entry names. */
  listing(path: string): Promise<string | string[]>;
  /** The file from `offset`; `offset` in the result is 0 when the server ignored the range. */
  open(path: string, offset: number): Promise<{ body: Readable; offset: number }>;
}

function httpRepository(root: string): BaseRepository {
  const base = root.endsWith('/') ? root : `${root}/`;
  const where = (path: string) => new URL(path, base).toString();
  const head = (path: string) => get(path, {}, 'HEAD');
  async function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(where(path), { method, headers, redirect: 'follow' });
    } catch (err) {
      throw new DockyardError(
        `${where(path)}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`,
        { code: 'BASE_REPOSITORY', cause: err },
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DockyardError(
        `${where(path)}: HTTP ${response.status}${response.status === 404 ? ' (no such file: check base.repo, the version and base.index)' : ''}`,
        { code: 'BASE_REPOSITORY' },
      );
    }
    return response;
  }
  return {
    where,
    text: async (path) => (await get(path)).text(),
    async size(path) {
      const length = Number((await head(path)).headers.get('content-length'));
      if (!Number.isFinite(length))
        throw new DockyardError(`${where(path)}: the server sends no Content-Length`, { code: 'BASE_REPOSITORY' });
      return length;
    },
    listing: async (path) => (await get(path)).text(),
    async open(path, offset) {
      const response = await get(path, offset > 0 ? { range: `bytes=${offset}-` } : {});
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
      return { body, offset: response.status === 206 ? offset : 0 };
    },
  };
}

function folderRepository(root: string): BaseRepository {
  const where = (path: string) => join(root, path);
  async function guard<T>(path: string, job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DockyardError(
        `${where(path)}: ${code === 'ENOENT' ? 'no such file (check base.repo, the version and base.index)' : (err as Error).message}`,
        { code: 'BASE_REPOSITORY', cause: err },
      );
    }
  }
  return {
    where,
    text: (path) => guard(path, () => readFile(where(path), 'utf8')),
    size: (path) => guard(path, async () => (await stat(where(path))).size),
    listing: (path) => guard(path, () => readdir(where(path))),
    open: (path, offset) =>
      guard(path, async () => {
        await stat(where(path));
        return { body: createReadStream(where(path), { start: offset }), offset };
      }),
  };
}

/** `base.repo`: an http(s) URL, or a folder (relative to the project folder). */
export function openBaseRepository(repo: string, projectDir: string): BaseRepository {
  if (/^https?:\/\//.test(repo)) return httpRepository(repo);
  return folderRepository(isAbsolute(repo) ? repo : resolve(projectDir, repo));
}
