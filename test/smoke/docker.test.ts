import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBusyboxImage, startDockerEngine, type RunningDocker } from '../support/docker';
import { startRegistry } from '../support/registry';
import { runContainer } from '../support/run-container';

describe('startDockerEngine', () => {
  let engine: RunningDocker;
  beforeAll(async () => {
    engine = await startDockerEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('answers ping on its private socket', async () => {
    expect(engine.host).toBe(`unix://${engine.socket}`);
    expect((await engine.docker.ping()).toString()).toBe('OK');
    const info = await engine.docker.info();
    expect(info.Driver).toBe('vfs');
    expect(info.Images).toBe(0);
  });

  it('runs `echo hello` in a container of the busybox image the test built', async () => {
    await importBusyboxImage(engine, 'dockyard-smoke/busybox:test');
    const image = await engine.docker.getImage('dockyard-smoke/busybox:test').inspect();
    expect(image.Config.Cmd).toEqual(['sh']);

    const result = await runContainer(engine, 'dockyard-smoke/busybox:test', ['echo', 'hello']);
    expect(result).toEqual({ exitCode: 0, stdout: 'hello\n', stderr: '' });

    const failing = await runContainer(engine, 'dockyard-smoke/busybox:test', ['sh', '-c', 'echo oops >&2; exit 3']);
    expect(failing).toEqual({ exitCode: 3, stdout: '', stderr: 'oops\n' });
  });

  it('pushes an image to a harness registry on 127.0.0.1 (no TLS, no login)', async () => {
    const registry = await startRegistry();
    try {
      const ref = `${registry.host}/smoke/busybox:pushed`;
      await importBusyboxImage(engine, ref);
      // The engine insists on an X-Registry-Auth header, even an empty one, for a registry without auth.
      const progress = await engine.docker.getImage(ref).push({ authconfig: { serveraddress: registry.host } });
      const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
        engine.docker.modem.followProgress(progress, (error: Error | null, output: Array<{ error?: string }>) =>
          error ? reject(error) : resolve(output),
        ),
      );
      expect(events.filter((event) => event.error)).toEqual([]);

      const manifest = await fetch(`${registry.url}/v2/smoke/busybox/manifests/pushed`, {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      expect(manifest.status).toBe(200);
      const pushed = (await manifest.json()) as { layers: unknown[] };
      expect(pushed.layers).toHaveLength(1);
    } finally {
      await registry.stop();
    }
  });
});
