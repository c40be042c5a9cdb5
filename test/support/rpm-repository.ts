import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTools } from './require-tool';
import { removeTempDir, tempDir } from './tmp';

const run = promisify(execFile);

export interface FixtureRpm {
  name: string;
  version: string;
  /** Packages it requires (installed with it by dnf). */
  requires?: string[];
  /** MiB of (compressible, non-zero) data in `/usr/share/<name>/fill`: a package too big for a small disk. */
  fillMiB?: number;
}

function specOf(rpm: FixtureRpm): string {
  return [
    `Name: ${rpm.name}`,
    `Version: ${rpm.version}`,
    'Release: 1.oe2203',
    `Summary: ${rpm.name}, a Dockyard test package`,
    'License: MIT',
    'BuildArch: noarch',
    'AutoReqProv: no',
    ...(rpm.requires ?? []).map((name) => `Requires: ${name}`),
    '%description',
    `${rpm.name} for the CloudImage tests.`,
    '%install',
    `mkdir -p %{buildroot}/usr/share/${rpm.name}`,
    `echo '${rpm.name} ${rpm.version}' > %{buildroot}/usr/share/${rpm.name}/VERSION`,
    ...(rpm.fillMiB ? [`yes dockyard | head -c ${rpm.fillMiB}M > %{buildroot}/usr/share/${rpm.name}/fill`] : []),
    '%files',
    `/usr/share/${rpm.name}/VERSION`,
    ...(rpm.fillMiB ? [`/usr/share/${rpm.name}/fill`] : []),
    '',
  ].join('\n');
}

/**
 * Builds noarch rpms (rpmbuild, build time from SOURCE_DATE_EPOCH) into `dir` and writes its `repodata/`
 * (createrepo_c): a repository dnf installs from, like an openEuler `everything` repository in small.
 */
export async function writeRpmRepository(dir: string, rpms: FixtureRpm[]): Promise<void> {
  await ensureTools(['rpmbuild', 'createrepo_c']);
  const top = await tempDir('rpmbuild');
  try {
    await mkdir(dir, { recursive: true });
    for (const rpm of rpms) {
      const spec = join(top, `${rpm.name}.spec`);
      await writeFile(spec, specOf(rpm));
      await run(
        'rpmbuild',
        [
          '-bb',
          '--define',
          `_topdir ${top}`,
          '--define',
          'use_source_date_epoch_as_buildtime 1',
          '--define',
          '_buildhost dockyard',
          spec,
        ],
        { env: { ...process.env, SOURCE_DATE_EPOCH: '1600000000', HOME: top } },
      );
    }
    const built = join(top, 'RPMS', 'noarch');
    for (const file of await readdir(built)) await copyFile(join(built, file), join(dir, file));
    await run('createrepo_c', ['-q', dir]);
  } finally {
    await removeTempDir(top);
  }
}
