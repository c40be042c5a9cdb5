import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppImage } from '@dockyard/project-spec';
import { tempDirFor } from '../../../../test/support/tmp';
import { appVersions } from './app-versions';
import { onlyVersions } from '../shared/versions';
import type { AppImageProject } from './project';
import { publishPlan } from './publish';

describe('an AppImage narrowed to some versions', () => {
  it('is built and pushed only at those versions', async () => {
    const dir = await tempDirFor(onTestFinished, 'only-versions');
    const spec: AppImage = { kind: 'AppImage', name: 'web', versions: ['1.0.0', '2.0.0'], repository: 'r/web' };
    for (const version of spec.versions) {
      await mkdir(join(dir, 'dist', version), { recursive: true });
      await writeFile(join(dir, 'dist', version, 'build.json'), JSON.stringify({ arches: [{ arch: 'amd64' }] }));
    }
    await mkdir(join(dir, 'latest'), { recursive: true });
    const project = { spec, name: 'web', file: 'apps/web/project.yaml', dir } as AppImageProject;

    const narrowed = onlyVersions(project, ['2.0.0']);
    expect((await appVersions(narrowed.spec, dir)).map((v) => v.version)).toEqual(['2.0.0']);
    expect((await publishPlan(narrowed.spec, join(dir, 'dist'))).map((s) => s.to)).toEqual([
      'docker://r/web:2.0.0-amd64',
      'docker://r/web:2.0.0',
    ]);
  });
});
