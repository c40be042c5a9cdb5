import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin } from '@dockyard/project-spec';
import { formatLockFile, type LockFile } from './lock-file';
import { pinnedDigest, readPinnedLock } from './pinned-lock';
import { pluginShippedImages } from './shipped-images';

const plugin = {
  kind: 'Plugin',
  name: 'pl',
  releaseRegistry: 'reg.local',
  spec: { version: 'v1', service: { port: 1, image: 'reg.local/release/compass-plugins-pl:v1' } },
  images: ['docs.example.com/x:v1'],
} as Plugin;
const digest = `sha256:${'d'.repeat(64)}`;

describe('pinned images', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinned-lock-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('skips documentation-only hosts and pins the rest where they are named', () => {
    const shipped = pluginShippedImages(plugin, 'plugins/pl/project.yaml');
    expect(shipped.skipped.map((s) => s.image)).toEqual(['docs.example.com/x:v1']);
    const [service] = shipped.images;
    const lock: LockFile = {
      project: 'pl',
      components: {},
      images: { [service!.image]: { source: 'reg.local/release/compass-plugins-pl:v1', digest } },
    };
    expect(pinnedDigest(lock, service!, 'p.lock.yaml')).toBe(digest);
  });

  it('refuses an image the lock does not pin, or pinned where project.yaml no longer reads it, naming resolve', () => {
    const [service] = pluginShippedImages(plugin, 'plugins/pl/project.yaml').images;
    expect(() => pinnedDigest(undefined, service!, 'p.lock.yaml')).toThrow(
      'p.lock.yaml: image reg.local/release/compass-plugins-pl:v1 (plugins/pl/project.yaml:spec.service.image) is not locked: there is no project.lock.yaml (run `dockyard resolve` and commit the lock file)',
    );
    const moved: LockFile = {
      project: 'pl',
      components: {},
      images: { [service!.image]: { source: 'old.local/release/compass-plugins-pl:v1', digest } },
    };
    expect(() => pinnedDigest(moved, service!, 'p.lock.yaml')).toThrow(
      /was locked at old\.local\/release\/compass-plugins-pl:v1, but project\.yaml now reads it from reg\.local/,
    );
  });

  it('reads an old lock without a crash, and refuses one that no longer answers the components as collect does', async () => {
    await writeFile(join(dir, 'project.lock.yaml'), 'lockVersion: 1\nproject: pl\ncomponents: {}\n');
    expect(await readPinnedLock({ name: 'pl', dir, file: 'project.yaml' })).toMatchObject({ images: {} });
    await writeFile(
      join(dir, 'project.lock.yaml'),
      formatLockFile({ project: 'pl', components: { gone: { git: 'x', tag: 'v1', commit: 'a'.repeat(40) } } }),
    );
    await expect(readPinnedLock({ name: 'pl', dir, file: 'project.yaml' })).rejects.toThrow(
      /no longer matches project\.yaml: project\.lock\.yaml locks gone, which project\.yaml no longer lists/,
    );
  });
});
