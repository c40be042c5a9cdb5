import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectRegistry,
  headBlob,
  listRepositories,
  listTags,
  openBlob,
  sha256Digest,
  uploadBlobChunked,
  type RegistryConnection,
} from '@dockyard/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { buildImage, fetchBlob, pushImage, randomLayer } from '../support/test-images';

describe('registry client', () => {
  let registry: RunningRegistry;
  let conn: RegistryConnection;
  /** No faults: it only records what the client asked for and what the registry answered. */
  let recorder: FaultProxy;

  beforeAll(async () => {
    registry = await startRegistry();
    conn = await connectRegistry({ registry: registry.host });
    recorder = await startFaultProxy(registry.url);
  });
  afterAll(async () => {
    await recorder?.stop();
    await registry?.stop();
  });

  it('uploads in chunks, tracking the offset the registry confirms, then resumes a download by Range', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const digest = sha256Digest(data);
    async function* chunks() {
      for (let offset = 0; offset < data.length; offset += 1024 * 1024)
        yield data.subarray(offset, offset + 1024 * 1024);
    }
    await uploadBlobChunked(
      conn,
      'client/chunked',
      { mediaType: 'application/octet-stream', digest, size: data.length },
      chunks(),
    );
    expect((await fetchBlob({ base: registry.url }, 'client/chunked', digest))?.equals(data)).toBe(true);
    expect(await headBlob(conn, 'client/chunked', digest)).toBe(data.length);

    const parts: Buffer[] = [];
    const recorded = await connectRegistry({ registry: recorder.host });
    for await (const part of await openBlob(recorded, 'client/chunked', digest, 4_000_000)) parts.push(part as Buffer);
    expect(Buffer.concat(parts).equals(data.subarray(4_000_000))).toBe(true);
    // The registry served only the rest (206), not the whole blob with the start skipped.
    expect(recorder.requests.filter((r) => r.path.includes('/blobs/'))).toEqual([
      { method: 'GET', path: `/v2/client/chunked/blobs/${digest}`, range: 'bytes=4000000-', status: 206 },
    ]);
  });

  it('lists tags and repositories across pages', async () => {
    const image = buildImage({ layers: [randomLayer(1000)] });
    for (const tag of ['a', 'b', 'c', 'd', 'e']) await pushImage({ base: registry.url }, 'client/tags', tag, image);
    expect((await listTags(conn, 'client/tags', 2)).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await listRepositories(conn, 1)).toEqual(expect.arrayContaining(['client/chunked', 'client/tags']));
  });
});
