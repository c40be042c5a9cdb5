import { hasCode } from '@dockyard/errors';
import { describe, expect, it } from 'vitest';
import { buildIndex, scratchImage } from '../image/mutate';
import { indexChildren, platformString } from '../manifest';
import { DOCKER_ARCHIVE_PLATFORM, onePlatform, selectPlatforms, SOURCE_INDEX_ANNOTATION } from './platform-filter';

const amd64 = scratchImage({ os: 'linux', architecture: 'amd64' });
const arm64 = scratchImage({ os: 'linux', architecture: 'arm64', variant: 'v8' });

describe('platform filter', () => {
  it('narrows an index to the wanted platforms and records the source index it came from', async () => {
    const index = await buildIndex([amd64, arm64]);
    expect(await selectPlatforms(index, undefined)).toBe(index);
    expect(await selectPlatforms(index, ['linux/amd64', 'linux/arm64'])).toBe(index);
    const narrowed = await selectPlatforms(index, ['linux/arm64']);
    expect(narrowed.kind).toBe('index');
    expect(indexChildren(narrowed.manifest).map((c) => platformString(c.platform))).toEqual(['linux/arm64/v8']);
    expect(JSON.parse(narrowed.manifest.bytes.toString()).annotations[SOURCE_INDEX_ANNOTATION]).toBe(
      index.manifest.digest,
    );
  });

  it('refuses a platform an index or a single image does not have, naming what it has', async () => {
    const index = await buildIndex([amd64]);
    await expect(selectPlatforms(index, ['linux/s390x'])).rejects.toThrow(
      /has no manifest for linux\/s390x \(it offers linux\/amd64\)/,
    );
    await expect(selectPlatforms(arm64, ['linux/amd64'])).rejects.toThrow(
      /is linux\/arm64\/v8 only; it has no linux\/amd64 image/,
    );
    const refused = await selectPlatforms(arm64, ['linux/amd64']).catch((e: unknown) => e);
    expect(hasCode(refused, 'PLATFORM_NOT_FOUND')).toBe(true);
  });

  it('keeps one image of an index for a docker archive: the one asked for, else linux/amd64 on any machine', async () => {
    const index = await buildIndex([arm64, amd64]);
    expect(DOCKER_ARCHIVE_PLATFORM).toBe('linux/amd64');
    expect((await onePlatform(index, undefined)).manifest.digest).toBe(amd64.manifest.digest);
    expect((await onePlatform(index, ['linux/arm64'])).manifest.digest).toBe(arm64.manifest.digest);
    expect(await onePlatform(arm64, undefined)).toBe(arm64);
    await expect(onePlatform(await buildIndex([arm64]), undefined)).rejects.toThrow(
      /has no linux\/amd64 image \(it offers linux\/arm64\/v8\); a docker archive holds one platform per image/,
    );
  });
});
