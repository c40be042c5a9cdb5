import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppImage } from '@dockyard/project-spec';
import { tempDirFor } from '../../../../test/support/tmp';
import { appVersions } from './app-versions';
import { onlyVersions, type AppImageProject } from './project';
import { publishPlan } from './publish';

describe('onlyVersions', () => {
  it('narrows what the build and the push take to the versions asked for, and names an unknown one', async () => {
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
    expect(project.spec.versions).toEqual(['1.0.0', '2.0.0']);
    expect(() => onlyVersions(project, ['2.0.0', '3.0.0'])).toThrow(
      'apps/web/project.yaml: web has no version 3.0.0 (its versions: 1.0.0, 2.0.0)',
    );
  });
});
