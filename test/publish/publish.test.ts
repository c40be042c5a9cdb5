import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '@dockyard/oci';
import { resolveObjectStore, s3Client, uploadFile } from '@dockyard/publish';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startS3Server, type RunningS3Server } from '../support/s3-server';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, fetchManifest, pushImage, randomLayer } from '../support/test-images';
import { projectWorkspace } from '../bundle/workspace';

const BUCKET = 'infra-release';

/** Forwards to s3rver, flipping one byte in the bodies `corrupt` picks (an UploadPart, say). */
async function corruptingProxy(upstream: string, corrupt: (method: string, url: string, seen: number) => boolean) {
  const seen = new Map<string, number>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = `${req.method} ${req.url?.replace(/uploadId=[^&]+/, '')}`;
      requests.push(`${req.method} ${req.url}`);
      const count = seen.get(key) ?? 0;
      seen.set(key, count + 1);
      if (body.length > 1000 && corrupt(req.method!, req.url!, count)) body[500] = body[500]! ^ 0xff;
      const forward = http.request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    requests,
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('dockyard publish (s3rver and a registry)', () => {
  let s3: RunningS3Server;
  let registry: RunningRegistry;
  let work: string;
  let client: S3Client;
  const env = () => ({ PUB_KEY: s3.accessKeyId, PUB_SECRET: s3.secretAccessKey });

  /** A publish.objectStore entry for the s3rver, its credentials named PUB_KEY and PUB_SECRET. */
  const objectStore = (url: string) => ({
    url,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    pathStyle: true,
    credentials: { accessKeyIdEnv: 'PUB_KEY', secretAccessKeyEnv: 'PUB_SECRET' },
  });

  /** A resolved workspace of one Plugin publishing as `publish` says, its service image in the registry. */
  async function publishedPlugin(
    ws: string,
    name: string,
    version: string,
    port: number,
    publish: Record<string, unknown>,
  ): Promise<string> {
    const image = `${registry.host}/release/compass-plugins-${name}:${version}`;
    await pushImage(
      { base: registry.url },
      `release/compass-plugins-${name}`,
      version,
      buildImage({ layers: [randomLayer(50_000)] }),
    );
    return projectWorkspace(ws, [
      {
        folder: `plugins/${name}`,
        spec: {
          kind: 'Plugin',
          name,
          releaseRegistry: registry.host,
          spec: { version, service: { port, image } },
          publish,
        },
      },
    ]);
  }

  beforeAll(async () => {
    [s3, registry] = await Promise.all([startS3Server([BUCKET]), startRegistry()]);
    work = await tempDir('publish-e2e');
    client = s3Client(
      resolveObjectStore(
        {
          url: `s3://${BUCKET}`,
          endpoint: s3.endpoint,
          pathStyle: true,
          credentials: { accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' },
        },
        { K: s3.accessKeyId, S: s3.secretAccessKey },
        'test',
      ),
    );
  });
  afterAll(async () => {
    await Promise.all([s3?.stop(), registry?.stop()]);
    if (work) await removeTempDir(work);
  });

  it('uploads a plugin package where the seed puts it, skips it when unchanged, and round-trips it through a registry as an OCI artifact', async () => {
    const ws = join(work, 'ws');
    const plugin = await publishedPlugin(ws, 'demo', 'v0.1.0', 8091, {
      objectStore: [objectStore(`s3://${BUCKET}/platform/plugins`)],
      oci: [{ repository: `${registry.host}/bundles/demo` }],
    });
    expect((await dockyard(['bundle', plugin], { DOCKYARD_STORE: join(work, 'store') })).exitCode).toBe(0);
    const file = join(ws, 'dist', 'demo', 'bundle', 'compass-plugins-demo-v0.1.0.tar.gz');
    const bytes = await readFile(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');

    const refused = await dockyard(['publish', plugin]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('PUB_KEY and PUB_SECRET are not set');
    expect((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0).toBe(0);

    const dry = await dockyard(['publish', plugin, '--dry-run'], env());
    expect(dry.stdout).toContain(
      `s3://${BUCKET}/platform/plugins/compass-plugins-demo/compass-plugins-demo-v0.1.0.tar.gz`,
    );
    expect((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0).toBe(0);

    const first = await dockyard(['publish', plugin], env());
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(
      `uploaded s3://${BUCKET}/platform/plugins/compass-plugins-demo/compass-plugins-demo-v0.1.0.tar.gz`,
    );
    const key = 'platform/plugins/compass-plugins-demo/compass-plugins-demo-v0.1.0.tar.gz';
    const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    expect(stored.Metadata?.sha256).toBe(sha256);
    const firstDigest = /@(sha256:[a-f0-9]{64})/.exec(first.stdout)![1];

    const second = await dockyard(['publish', plugin], env());
    expect(second.stdout).toContain('unchanged s3://');
    expect(/@(sha256:[a-f0-9]{64})/.exec(second.stdout)![1]).toBe(firstDigest);
    expect((await fetchManifest({ base: registry.url }, 'bundles/demo', 'v0.1.0'))?.digest).toBe(firstDigest);

    const out = join(work, 'pulled');
    await mkdir(out);
    const pulled = await dockyard(['bundle', 'pull', `${registry.host}/bundles/demo:v0.1.0`, '--out', out]);
    expect(pulled.exitCode).toBe(0);
    expect((await readFile(join(out, 'compass-plugins-demo-v0.1.0.tar.gz'))).equals(bytes)).toBe(true);
  });

  it('checks every credential before uploading anything, names each missing one (dry run too), and shows progress', async () => {
    const creds = { username: 'publisher', password: 'reg-secret' };
    const authed = await startRegistry({ auth: creds });
    try {
      const ws = join(work, 'ws-strict');
      const plugin = await publishedPlugin(ws, 'strict', 'v0.2.0', 8092, {
        objectStore: [objectStore(`s3://${BUCKET}/strict`)],
        oci: [
          {
            repository: `${authed.host}/bundles/strict`,
            credentials: { usernameEnv: 'REG_USER', passwordEnv: 'REG_PASSWORD' },
          },
        ],
      });
      expect((await dockyard(['bundle', plugin], { DOCKYARD_STORE: join(work, 'store') })).exitCode).toBe(0);
      const uploaded = async () =>
        (await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'strict/' }))).KeyCount ?? 0;

      // The object store's variables are set, the registry's are not: nothing may reach S3 either.
      const refused = await dockyard(['publish', plugin], env());
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('publish.oci[0]: credentials for');
      expect(refused.stderr).toMatch(/REG_USER \(the username\) and REG_PASSWORD \(the password\) are not set/);
      expect(refused.stderr).toContain('nothing was uploaded');
      expect(await uploaded()).toBe(0);

      const dry = await dockyard(['publish', plugin, '--dry-run']);
      expect(dry.exitCode).toBe(0);
      expect(dry.stdout).toContain('PUB_KEY and PUB_SECRET are not set');
      expect(dry.stdout).toMatch(/REG_USER \(the username\) and REG_PASSWORD \(the password\) are not set/);

      const published = await dockyard(['publish', plugin], {
        ...env(),
        REG_USER: creds.username,
        REG_PASSWORD: creds.password,
      });
      expect(published.stderr).toBe('');
      expect(published.exitCode).toBe(0);
      expect(await uploaded()).toBe(1);
      // Not a terminal: plain progress lines, the last one when everything is sent (the bundle to S3 and to the registry).
      const size = (await readFile(join(ws, 'dist', 'strict', 'bundle', 'compass-plugins-strict-v0.2.0.tar.gz')))
        .length;
      const last = published.stdout
        .split('\n')
        .filter((line) => / sent \(/.test(line))
        .pop();
      expect(last).toMatch(
        new RegExp(`^${formatBytes(size * 2)} of ${formatBytes(size * 2)} sent \\([\\d.]+ [KMG]?B/s\\)$`),
      );
      expect(published.stdout).not.toContain(creds.password);
    } finally {
      await authed.stop();
    }
  });

  it('sends a part corrupted in flight again, and aborts the upload (no object visible) when it keeps arriving corrupt', async () => {
    const file = join(work, 'big.tar');
    const data = randomBytes(12 << 20);
    await writeFile(file, data);
    const isPart = (method: string, url: string) => method === 'PUT' && url.includes('partNumber=2');
    const once = await corruptingProxy(s3.endpoint, (method, url, seen) => isPart(method, url) && seen === 0);
    const always = await corruptingProxy(s3.endpoint, (method, url) => isPart(method, url));
    try {
      const via = (endpoint: string) =>
        s3Client(
          resolveObjectStore(
            {
              url: `s3://${BUCKET}`,
              endpoint,
              pathStyle: true,
              credentials: { accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' },
            },
            { K: s3.accessKeyId, S: s3.secretAccessKey },
            'test',
          ),
        );
      const result = await uploadFile(via(once.endpoint), BUCKET, 'retried/big.tar', file, { partSize: 5 << 20 });
      expect(result.parts).toBe(3);
      expect(result.partRetries).toBe(1);
      const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'retried/big.tar' }));
      expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(data)).toBe(true);

      await expect(
        uploadFile(via(always.endpoint), BUCKET, 'refused/big.tar', file, { partSize: 5 << 20 }),
      ).rejects.toThrow(/aborted, nothing was published: .*part 2\/3: the server stored different bytes/);
      await expect(
        client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'refused/big.tar' })),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      // s3rver answers neither ListMultipartUploads nor AbortMultipartUpload, so the abort is checked as sent.
      expect(
        always.requests.filter((r) => r.startsWith('DELETE /infra-release/refused/big.tar?uploadId=')),
      ).toHaveLength(1);
      expect(always.requests.some((r) => r.startsWith('POST /infra-release/refused/big.tar?uploadId='))).toBe(false);
    } finally {
      await Promise.all([once.stop(), always.stop()]);
    }
  }, 120_000);
});
