import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startOnFreePort } from './port-service';
import { spawnService } from './service-process';

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
/**
 * Starts s3rver (npm, objects on disk) on a free 127.0.0.1 port with `buckets` created, like
 * registry.ts starts docker-registry. Node 20's OpenSSL 3 needs the legacy provider for the MD5
 * s3rver uses in paginated listings.
 */
export async function startS3Server(buckets: string[]): Promise<RunningS3Server> {
  let dataDir = '';
  return startOnFreePort({
    runDirPrefix: 's3rver',
    async prepare(runDir) {
      dataDir = join(runDir, 'data');
      await mkdir(dataDir);
    },
    launch(port, runDir) {
      const service = spawnService({
        name: `s3rver on 127.0.0.1:${port}`,
        command: 'env',
        args: [
          'NODE_OPTIONS=--openssl-legacy-provider',
          process.execPath,
          s3rverBin,
          '-d',
          dataDir,
          '-a',
          '127.0.0.1',
          '-p',
          String(port),
          '--no-vhost-buckets',
          ...buckets.flatMap((b) => ['--configure-bucket', b]),
        ],
        logFile: join(runDir, `s3rver-${port}.log`),
      });
      const endpoint = `http://127.0.0.1:${port}`;
      return {
        service,
        isReady: async () =>
          (await fetch(endpoint, { signal: AbortSignal.timeout(2_000) }).then(
            (r) => r.status,
            () => 0,
          )) > 0,
      };
    },
    portTaken: /EADDRINUSE/,
    describe: (port) => ({
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      dataDir,
    }),
  });
}

/** An AWS SDK client of the running server, path-style, with its credentials. */
export function s3Client(s3: RunningS3Server): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}
