import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execa, type ResultPromise } from 'execa';
import { REPO_ROOT } from './nx-workspace';
import { s3Client, type RunningS3Server } from './s3-server';

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

/**
 * Member names of every entry the cache server started above keeps in `s3` (Nx stores each task's outputs as one
 * tar); each entry is read through a file in `work`.
 */
export async function cachedMembers(s3: RunningS3Server, work: string): Promise<string[]> {
  const client = s3Client(s3);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'nx-cache', Prefix: 'dockyard/' }));
  const members: string[] = [];
  for (const { Key } of listed.Contents ?? []) {
    const object = await client.send(new GetObjectCommand({ Bucket: 'nx-cache', Key }));
    const entry = join(work, 'entry.tar');
    await writeFile(entry, await object.Body!.transformToByteArray());
    members.push(...(await execa('tar', ['-tf', entry])).stdout.split('\n'));
  }
  return members;
}
