import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockyard } from '../support/cli';
import { startReferrersRegistry, type ReferrersRegistry } from '../support/referrers-registry';
import { buildImage, pushImage, randomLayer } from '../support/test-images';
import { removeTempDir, tempDir } from '../support/tmp';

const run = promisify(execFile);

/**
 * The referrers-API path of image signing. docker-registry 2.8 (the real registry the other tests use) has no
 * referrers API, so this runs against an in-process registry that implements it and refuses what OCI
 * distribution-spec 1.1 would not accept (test/support/referrers-registry.ts).
 */
describe('image SBOM and signature through the referrers API', () => {
  let registry: ReferrersRegistry;
  let work: string;
  let digest: string;

  beforeAll(async () => {
    registry = await startReferrersRegistry();
    work = await tempDir('referrers');
    digest = await pushImage({ base: registry.url }, 'app/web', 'v2', buildImage({ layers: [randomLayer(2_000)] }));
    await run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'k.key'], { cwd: work });
    await run('openssl', ['pkey', '-in', 'k.key', '-pubout', '-out', 'k.pub'], { cwd: work });
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('attaches both as referrers the registry indexes, writes no fallback tag, and verifies through the API', async () => {
    const image = `docker://${registry.host}/app/web:v2`;
    const signed = await dockyard(['sign', image, '--key', join(work, 'k.key')]);
    expect(signed.stderr).toBe('');
    expect(signed.exitCode).toBe(0);
    expect(signed.stdout).toContain(`signed ${registry.host}/app/web:v2 (${digest})`);
    expect(signed.stdout).toMatch(/sbom: sha256:[0-9a-f]{64} \(referrers-api\)/);
    expect(signed.stdout).toMatch(/signature: sha256:[0-9a-f]{64} \(referrers-api\)/);
    expect(registry.refused).toEqual([]);
    expect([...registry.tags.get('app/web')!]).toEqual(['v2']);

    const verified = await dockyard(['verify', '--key', join(work, 'k.pub'), image]);
    expect(verified.stderr).toBe('');
    expect(verified.exitCode).toBe(0);
    expect(verified.stdout).toContain(
      `${registry.host}/app/web:v2 (referrers: referrers-api, with an SBOM): signature OK`,
    );
  });
});
