import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRegistry, headManifest } from '@dockyard/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { seedImages, type SeededImages } from '../support/seed';

/**
 * A port in front of a real registry that swallows TLS handshakes (accepts, never answers) and passes
 * plain HTTP through: the shape of a TLS endpoint that never answers, on a host where HTTP is allowed.
 */
async function swallowTls(
  upstreamPort: number,
): Promise<{ host: string; swallowed: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let swallowed = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (first) => {
      if (first[0] === 0x16) {
        swallowed++;
        return;
      }
      const upstream = net.connect(upstreamPort, '127.0.0.1', () => {
        upstream.write(first);
        socket.pipe(upstream).pipe(socket);
      });
      sockets.add(upstream);
      upstream.on('error', () => socket.destroy());
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    swallowed: () => swallowed,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('ping', () => {
  let registry: RunningRegistry;
  let seeded: SeededImages;
  let front: Awaited<ReturnType<typeof swallowTls>>;

  beforeAll(async () => {
    registry = await startRegistry();
    seeded = await seedImages(registry.url);
    front = await swallowTls(Number(new URL(registry.url).port));
  });
  afterAll(async () => {
    await front?.stop();
    await registry?.stop();
  });

  // Before, HTTPS was asked first and alone: the swallowed handshake held the connection for the whole
  // stall timeout (here ten minutes, past this test's limit) before plain HTTP was tried.
  it(
    'does not wait for a TLS handshake that never completes when plain HTTP is allowed',
    { timeout: 30_000 },
    async () => {
      const conn = await connectRegistry({ registry: front.host }, { stallTimeoutMs: 600_000 });
      expect(front.swallowed()).toBe(1);
      expect(conn.base.protocol).toBe('http:');
      expect((await headManifest(conn, 'app/single', 'v1'))?.digest).toBe(seeded.single.manifest.digest);
    },
  );
});
