import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../../test/support/tmp';
import { appVersions } from './app-versions';

describe('appVersions', () => {
  it('uses a version folder when there is one, else latest/, with build_arch restricting the arches', async () => {
    const dir = await tempDirFor(onTestFinished, 'app-versions');
    await mkdir(join(dir, '1.0.0'), { recursive: true });
    await mkdir(join(dir, 'latest'), { recursive: true });
    await writeFile(join(dir, 'latest', 'build_arch'), 'amd64\n');
    const versions = await appVersions(
      { kind: 'AppImage', name: 'app', versions: ['1.0.0', '2.0.0'], repository: 'r/app' },
      dir,
    );
    expect(versions).toEqual([
      { version: '1.0.0', folder: join(dir, '1.0.0'), arches: ['amd64', 'arm64'] },
      { version: '2.0.0', folder: join(dir, 'latest'), arches: ['amd64'] },
    ]);
    await expect(
      appVersions(
        { kind: 'AppImage', name: 'app', versions: ['2.0.0'], repository: 'r/app', latestFallback: false },
        dir,
      ),
    ).rejects.toThrow('app 2.0.0: neither 2.0.0/ nor latest/ exists');
    await expect(
      appVersions({ kind: 'AppImage', name: 'app', versions: ['2.0.0'], repository: 'r/app', arches: ['arm64'] }, dir),
    ).rejects.toThrow(/build_arch: allows amd64, none of arm64/);
  });
});
