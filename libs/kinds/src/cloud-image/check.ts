import { join } from 'node:path';
import { junitXml, type CheckCase } from '@dockyard/container';
import { replaceDirectory } from '@dockyard/files';
import { rm, writeFile } from 'node:fs/promises';
import { bootCheckVmImage, checkVmImage } from '@dockyard/vm-image';
import { builtImages } from './built';
import { packagesOf, stepDir, type CloudImageProject } from './project';

export interface CheckResult {
  cases: CheckCase[];
  failed: number;
  /** The JUnit report: `dist/<name>/check/junit.xml`. */
  report: string;
}

/**
 * Checks every built image offline (its root filesystem read with debugfs) and boots each under qemu TCG (amd64, arm64)
 * with a NoCloud seed; JUnit in dist/<name>/check.
 */
export async function checkProject(project: CloudImageProject): Promise<CheckResult> {
  const builds = await builtImages(project);
  const dir = stepDir(project, 'check');
  const cases = await replaceDirectory(dir, async (temp) => {
    const all: CheckCase[] = [];
    for (const build of builds) {
      const suite = `${project.spec.name} ${build.version} ${build.arch}`;
      const workDir = join(temp, '.work', `${build.version}-${build.arch}`);
      all.push(
        ...(await checkVmImage({
          raw: build.files.raw,
          version: build.version,
          packages: packagesOf(project),
          suite,
          workDir,
        })),
      );
      all.push(
        ...(await bootCheckVmImage({
          raw: build.files.raw,
          arch: build.arch,
          version: build.version,
          suite,
          workDir: join(workDir, 'boot'),
        })),
      );
    }
    await writeFile(join(temp, 'junit.xml'), junitXml(all));
    await rm(join(temp, '.work'), { recursive: true, force: true });
    return all;
  });
  return { cases, failed: cases.filter((c) => c.failure !== undefined).length, report: join(dir, 'junit.xml') };
}
