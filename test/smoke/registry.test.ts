import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { tempDirFor } from '../support/tmp';
import { basicAuth, pullBlob, pushBlob, sha256Digest } from './blob-api';

const started: RunningRegistry[] = [];
async function registry(...args: Parameters<typeof startRegistry>): Promise<RunningRegistry> {
  const running = await startRegistry(...args);
  started.push(running);
  return running;
}
afterAll(async () => {
  await Promise.all(started.map((running) => running.stop()));
});

describe('startRegistry', () => {
  it('stores a blob pushed with a monolithic upload and serves it back by digest', async () => {
    const plain = await registry();
    expect(plain.url).toBe(`http://${plain.host}`);
    const bytes = randomBytes(4096);
    const digest = sha256Digest(bytes);

    const put = await pushBlob(plain.url, 'smoke/plain', bytes);
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(digest);

    const get = await pullBlob(plain.url, 'smoke/plain', digest);
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('requires the htpasswd user and rejects a wrong password with 401', async () => {
    const credentials = { username: 'smoke', password: 'right-password' };
    const secured = await registry({ auth: credentials });
    const bytes = randomBytes(1024);

    const anonymous = await fetch(`${secured.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);

    const wrong = await pushBlob(secured.url, 'smoke/secured', bytes, basicAuth('smoke', 'wrong-password'));
    expect(wrong.status).toBe(401);

    const put = await pushBlob(
      secured.url,
      'smoke/secured',
      bytes,
      basicAuth(credentials.username, credentials.password),
    );
    expect(put.status).toBe(201);
    const get = await pullBlob(
      secured.url,
      'smoke/secured',
      sha256Digest(bytes),
      basicAuth(credentials.username, credentials.password),
    );
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await pullBlob(secured.url, 'smoke/secured', sha256Digest(bytes))).status).toBe(401);
  });

  it('serves an existing storage dir read-only from a second registry', async () => {
    const writer = await registry();
    const bytes = randomBytes(2048);
    const digest = sha256Digest(bytes);
    expect((await pushBlob(writer.url, 'smoke/shared', bytes)).status).toBe(201);

    const reader = await registry({ storageDir: writer.storageDir, readOnly: true });
    expect(reader.storageDir).toBe(writer.storageDir);
    expect(reader.host).not.toBe(writer.host);
    const get = await pullBlob(reader.url, 'smoke/shared', digest);
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);

    const refused = await pushBlob(reader.url, 'smoke/shared', randomBytes(16));
    expect(refused.status).toBe(405);
  });

  it('stop() ends the server, removes storage it created and keeps storage it was given', async () => {
    const ownStorage = await startRegistry();
    await ownStorage.stop();
    expect(existsSync(ownStorage.storageDir)).toBe(false);
    await expect(fetch(`${ownStorage.url}/v2/`)).rejects.toThrow();

    const given = await tempDirFor(onTestFinished, 'given-storage');
    const borrowed = await startRegistry({ storageDir: given });
    await borrowed.stop();
    expect(existsSync(given)).toBe(true);
  });
});
