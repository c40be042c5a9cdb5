import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { dockyard } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { seedImages, type SeededImages } from '../support/seed';

/** Retries are counted where they land: the requests a real registry behind the fault proxy receives. */
describe('retry budget per blob', () => {
  let source: RunningRegistry;
  let target: RunningRegistry;
  let sourceProxy: FaultProxy;
  let targetProxy: FaultProxy;
  let seeded: SeededImages;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    seeded = await seedImages(source.url);
    [sourceProxy, targetProxy] = await Promise.all([startFaultProxy(source.url), startFaultProxy(target.url)]);
  });
  afterAll(async () => {
    await Promise.all([sourceProxy?.stop(), targetProxy?.stop()]);
    await Promise.all([source?.stop(), target?.stop()]);
  });

  const layerPath = () => `/v2/app/single/blobs/${seeded.single.layers[1]!.digest}`;
  const blobGets = (proxy: FaultProxy, path: string) =>
    proxy.requests.filter((r) => r.method === 'GET' && r.path === path);

  it("reads a blob that answers 404 exactly once and fails with the registry's answer", async () => {
    sourceProxy.requests.length = 0;
    sourceProxy.setFaults((request) => (request.path === layerPath() ? { kind: 'status', status: 404 } : undefined));
    const result = await dockyard([
      'copy',
      `docker://${sourceProxy.host}/app/single:v1`,
      `docker://${target.host}/r404/single:v1`,
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('failed with HTTP 404');
    expect(blobGets(sourceProxy, layerPath())).toHaveLength(1);
  });

  it('reads a blob that keeps answering 503 exactly --retries times', async () => {
    sourceProxy.requests.length = 0;
    sourceProxy.setFaults((request) => (request.path === layerPath() ? { kind: 'status', status: 503 } : undefined));
    const result = await dockyard([
      'copy',
      '--retries',
      '3',
      `docker://${sourceProxy.host}/app/single:v1`,
      `docker://${target.host}/r503/single:v1`,
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('gave up after 3 attempts');
    expect(blobGets(sourceProxy, layerPath())).toHaveLength(3);
  });

  it('starts an upload the target keeps refusing with 503 exactly --retries times, reading the source as often', async () => {
    sourceProxy.setFaults(() => undefined);
    sourceProxy.requests.length = 0;
    targetProxy.requests.length = 0;
    targetProxy.setFaults((request) =>
      request.method === 'POST' && request.path === '/v2/w503/single/blobs/uploads/'
        ? { kind: 'status', status: 503 }
        : undefined,
    );
    const result = await dockyard([
      'copy',
      '--retries',
      '2',
      `docker://${sourceProxy.host}/app/single:v1`,
      `docker://${targetProxy.host}/w503/single:v1`,
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('failed with HTTP 503');
    const blobs = [seeded.single.config, ...seeded.single.layers];
    // Every blob of the image was tried: two upload starts and two reads each, never more.
    expect(
      targetProxy.requests.filter((r) => r.method === 'POST' && r.path === '/v2/w503/single/blobs/uploads/'),
    ).toHaveLength(2 * blobs.length);
    for (const blob of blobs) expect(blobGets(sourceProxy, `/v2/app/single/blobs/${blob.digest}`)).toHaveLength(2);
  });
});
