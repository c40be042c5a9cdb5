import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { REPO_ROOT } from './nx-workspace';

export const READ_TOKEN = 'pr-read-only-7c1d';
export const WRITE_TOKEN = 'main-read-write-9a2e';

/** Starts `dockyard ci cache-server` on a free port over S3 at `endpoint`; its log lines go into `log`. */
export async function startCacheServer(
  endpoint: string,
  log: string[],
): Promise<{ server: ResultPromise; url: string }> {
  const server = execa(
    process.execPath,
    [
      join(REPO_ROOT, 'tools/cli/bin/dockyard.cjs'),
      'ci',
      'cache-server',
      '--store',
      's3://nx-cache/dockyard',
      '--listen',
      '127.0.0.1:0',
    ],
    {
      env: {
        DOCKYARD_CACHE_READ_TOKENS: READ_TOKEN,
        DOCKYARD_CACHE_WRITE_TOKENS: WRITE_TOKEN,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_ENDPOINT_URL: endpoint,
      },
      buffer: false,
      reject: false,
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        log.push(line);
        const started = /^Nx remote cache on (http:\/\/\S+)/.exec(line)?.[1];
        if (started) resolve(started);
      }
    });
    server.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    server.once('exit', () => reject(new Error(`the cache server exited:\n${log.join('\n')}`)));
  });
  return { server, url };
}
