import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { repositoryArch, type VmArch } from './arch';
import { runTool } from './tools';

export interface RpmRepository {
  /** An http(s) URL or an absolute folder, holding `repodata/`. */
  url: string;
  /** The key the packages are signed with; without it packages are installed unchecked. */
  gpgkey?: string;
}

export interface InstallRpmsRequest {
  tree: string;
  arch: VmArch;
  /** dnf's `$releasever`, e.g. `22.03LTS_SP1`; only used by repository URLs that name it. */
  releasever: string;
  repositories: readonly RpmRepository[];
  packages: readonly string[];
  epoch: number;
  /** A scratch folder outside the tree (rpm's macros for this run). */
  workDir: string;
}

/** The rpm macros for the guest: its database where openEuler's rpm reads it (Debian's rpm keeps its own in ~). */
const GUEST_MACROS = '%_dbpath /var/lib/rpm\n%_db_backend sqlite\n';

export function dnfArguments(request: InstallRpmsRequest): string[] {
  const repoOptions = request.repositories.flatMap((repo, index) => {
    const id = `dockyard${index}`;
    const url = repo.url.startsWith('/') ? `file://${repo.url}` : repo.url;
    return [
      `--repofrompath=${id},${url}`,
      ...(repo.gpgkey
        ? [`--setopt=${id}.gpgcheck=1`, `--setopt=${id}.gpgkey=${repo.gpgkey}`]
        : [`--setopt=${id}.gpgcheck=0`]),
    ];
  });
  return [
    '-y',
    '-q',
    `--installroot=${request.tree}`,
    `--forcearch=${repositoryArch(request.arch)}`,
    `--releasever=${request.releasever}`,
    '--noplugins',
    '--setopt=reposdir=/dev/null',
    '--setopt=cachedir=/var/cache/dnf',
    '--setopt=install_weak_deps=False',
    '--setopt=keepcache=False',
    ...repoOptions,
    'install',
    ...[...new Set(request.packages)].sort(),
  ];
}

/**
 * Installs the packages into the tree with the host's dnf (`--installroot`: no chroot of the build's own, no
 * VM). rpm stamps every install time with SOURCE_DATE_EPOCH, so the guest's rpm database is the same bytes in
 * every build of the same package set.
 */
export async function installRpms(request: InstallRpmsRequest): Promise<void> {
  if (request.packages.length === 0) return;
  const home = join(request.workDir, 'rpm-home');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, '.rpmmacros'), GUEST_MACROS);
  const env = { ...process.env, HOME: home, SOURCE_DATE_EPOCH: String(request.epoch), LC_ALL: 'C' };
  try {
    await runTool('dnf', dnfArguments(request), { env });
  } catch (err) {
    throw new DockyardError(`installing ${request.packages.join(' ')} into the image failed`, {
      code: 'VM_RPM_INSTALL',
      hint: 'check that every package is in the repositories named (their repodata lists it) and that they can be reached',
      cause: err,
    });
  }
}

/** Every installed package as `name-version-release.arch`, sorted: `rpms.txt`. */
export async function installedPackages(tree: string, workDir: string): Promise<string[]> {
  const env = { ...process.env, HOME: join(workDir, 'rpm-home'), LC_ALL: 'C' };
  const out = await runTool(
    'rpm',
    ['--root', tree, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'],
    { env },
  );
  return out.split('\n').filter(Boolean).sort();
}
