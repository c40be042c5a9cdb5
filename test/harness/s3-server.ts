import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { onProcessExit } from './exit-cleanup';
import { freePort } from './ports';
import { spawnService, waitUntilReady } from './service-process';
import { removeTempDir, tempDir } from './tmp';

export interface RunningS3Server {
  /** "http://127.0.0.1:PORT", the endpoint for path-style requests. */
  endpoint: string;
  /** s3rver's fixed credentials. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Where objects are kept on disk. */
  dataDir: string;
  stop(): Promise<void>;
}

const s3rverBin = join(__dirname, '..', '..', 'node_modules', 's3rver', 'bin', 's3rver.js');
const startAttempts = 3;

/**
 * Starts s3rver (npm, objects on disk) on a free 127.0.0.1 port with `buckets` created, like
 * registry.ts starts docker-registry. Node 20's OpenSSL 3 needs the legacy provider for the MD5
 * s3rver uses in paginated listings.
 */
export async function startS3Server(buckets: string[]): Promise<RunningS3Server> {
  const runDir = await tempDir('s3rver');
  const forgetExitRemoval = onProcessExit(() => rmSync(runDir, { recursive: true, force: true, maxRetries: 3 }));
  const dataDir = join(runDir, 'data');
  await mkdir(dataDir);
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const service = spawnService({
        name: `s3rver on 127.0.0.1:${port}`,
        command: 'env',
        args: ['NODE_OPTIONS=--openssl-legacy-provider', process.execPath, s3rverBin, '-d', dataDir, '-a', '127.0.0.1', '-p', String(port), '--no-vhost-buckets', ...buckets.flatMap((b) => ['--configure-bucket', b])],
        logFile: join(runDir, `s3rver-${port}.log`),
      });
      const endpoint = `http://127.0.0.1:${port}`;
      try {
        await waitUntilReady(service, async () => (await fetch(endpoint, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0)) > 0, 30_000);
      } catch (error) {
        if (attempt < startAttempts && /EADDRINUSE/.test(service.logTail())) continue;
        throw error;
      }
      return {
        endpoint,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        dataDir,
        stop: async () => {
          await service.stop();
          await removeTempDir(runDir);
          forgetExitRemoval();
        },
      };
    }
  } catch (error) {
    await removeTempDir(runDir);
    forgetExitRemoval();
    throw error;
  }
}
