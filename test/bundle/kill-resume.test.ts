import { access, readdir, stat } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, pushImage, randomLayer, type BuiltImage } from '../support/test-images';
import { releaseWorkspace } from './workspace';

const cli = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');

/** A proxy in front of the registry that sends blob bodies slowly while `slow` is set, and records Range headers. */
async function throttlingProxy(upstream: string) {
  const ranges: string[] = [];
  const state = { slow: true };
  const server = http.createServer((req, res) => {
    if (req.headers.range) ranges.push(req.headers.range);
    const forward = http.request(
      `${upstream}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!state.slow || !req.url?.includes('/blobs/')) return answer.pipe(res);
        answer.on('data', (chunk: Buffer) => {
          answer.pause();
          res.write(chunk, () => setTimeout(() => answer.resume(), 20));
        });
        answer.on('end', () => res.end());
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    ranges,
    state,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a bundle killed with SIGKILL', () => {
  let registry: RunningRegistry;
  let work: string;
  let image: BuiltImage;

  beforeAll(async () => {
    registry = await startRegistry();
    work = await tempDir('bundle-kill');
    image = buildImage({ layers: [randomLayer(6_000_000, 'big.bin', 0)] });
    await pushImage({ base: registry.url }, 'app/big', 'v1', image);
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('leaves nothing at the final path, and the next run resumes the partial download and completes', async () => {
    const proxy = await throttlingProxy(registry.url);
    try {
      const store = join(work, 'store');
      const project = await releaseWorkspace(join(work, 'ws'), {
        name: 'big',
        version: 'v1',
        images: { extra: ['app/big:v1'] },
        sync: { from: { registry: proxy.host }, to: [{ registry: proxy.host }] },
        bundle: { images: { format: 'registry-dir', file: 'images.tar' } },
      });
      const final = join(work, 'ws', 'dist', 'big', 'bundle', 'big-v1.tar.gz');
      const blobDir = join(store, 'blobs', 'sha256');
      const child = execa('node', [cli, 'bundle', project], { env: { DOCKYARD_STORE: store }, reject: false });
      let partial: string | undefined;
      for (let i = 0; i < 600 && !partial; i++) {
        await sleep(50);
        const names = await readdir(blobDir).catch(() => [] as string[]);
        const candidate = names.find((n) => n.includes('.partial.'));
        if (candidate && (await stat(join(blobDir, candidate))).size > 500_000) partial = candidate;
      }
      expect(partial).toBeDefined();
      child.kill('SIGKILL');
      await child;
      expect(
        await access(final).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
      const kept = (await stat(join(blobDir, partial!))).size;
      expect(kept).toBeLessThan(image.layers[0]!.bytes.length);

      proxy.state.slow = false;
      const again = await dockyard(['bundle', project], { DOCKYARD_STORE: store });
      expect(again.stderr).toBe('');
      expect(again.exitCode).toBe(0);
      expect(
        proxy.ranges.some((r) => r.startsWith(`bytes=${kept}-`) || Number(/bytes=(\d+)-/.exec(r)?.[1]) >= 500_000),
      ).toBe(true);
      expect(
        await access(final).then(
          () => true,
          () => false,
        ),
      ).toBe(true);
      expect((await readdir(blobDir)).filter((n) => n.includes('.partial.'))).toEqual([]);
      expect((await dockyard(['bundle', 'verify', final])).exitCode).toBe(0);
    } finally {
      await proxy.stop();
    }
  }, 120_000);
});
