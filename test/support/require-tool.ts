import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Debian package that provides each tool the suites use. */
const packageOfTool: Readonly<Record<string, string>> = {
  'docker-registry': 'docker-registry',
  dockerd: 'docker.io',
  docker: 'docker.io',
  containerd: 'containerd',
  runc: 'runc',
  skopeo: 'skopeo',
  // The image made by importBusyboxImage needs the static build (no shared libraries in the rootfs).
  busybox: 'busybox-static',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
  git: 'git',
  rpm: 'rpm',
  rpmbuild: 'rpm',
  createrepo_c: 'createrepo-c',
  dnf: 'dnf',
  'qemu-img': 'qemu-utils',
  sfdisk: 'fdisk',
  mke2fs: 'e2fsprogs',
  xz: 'xz-utils',
  mformat: 'mtools',
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-system-aarch64': 'qemu-system-arm',
};

/** Makes sure each tool's Debian package is installed (see ensurePackages). */
export async function ensureTools(tools: readonly string[]): Promise<void> {
  const unknown = tools.filter((tool) => !(tool in packageOfTool));
  if (unknown.length > 0) {
    throw new Error(
      `ensureTools: no Debian package known for ${unknown.join(', ')}; ` +
        `add it to packageOfTool in test/support/require-tool.ts (known: ${Object.keys(packageOfTool).join(', ')})`,
    );
  }
  await ensurePackages([...new Set(tools.map((tool) => packageOfTool[tool]!))]);
}

async function missingPackages(packages: readonly string[]): Promise<string[]> {
  // dpkg-query exits 1 when any package is unknown, but still prints the known ones.
  const result = await run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...packages]).catch(
    (error: { stdout?: string; code?: unknown }) => {
      if (error.code === 'ENOENT')
        throw new Error('ensurePackages: dpkg-query not found; these suites need a Debian-based machine');
      return { stdout: error.stdout ?? '' };
    },
  );
  const installed = new Set(
    result.stdout
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0]),
  );
  return packages.filter((name) => !installed.has(name));
}

let aptListsUpdated = false;
const knownInstalled = new Set<string>();

/**
 * Installs the Debian packages that are not installed yet. Cheap when all are present
 * (one dpkg-query). Needs root; otherwise fails with the command a person should run.
 */
export async function ensurePackages(packages: readonly string[]): Promise<void> {
  const unchecked = packages.filter((name) => !knownInstalled.has(name));
  if (unchecked.length === 0) return;
  const missing = await missingPackages(unchecked);
  for (const name of unchecked) if (!missing.includes(name)) knownInstalled.add(name);
  if (missing.length === 0) return;
  const installCommand = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(', ')}. Install them as root: sudo sh -c '${installCommand}'`,
    );
  }
  const apt = async (args: string[]): Promise<void> => {
    try {
      await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-15).join('\n') ?? String(error);
      throw new Error(`apt-get ${args.join(' ')} failed:\n${detail}\nTry by hand: ${installCommand}`, { cause: error });
    }
  };
  if (!aptListsUpdated) {
    await apt(['update']);
    aptListsUpdated = true;
  }
  await apt(['install', '-y', '--no-install-recommends', ...missing]);
  const stillMissing = await missingPackages(missing);
  if (stillMissing.length > 0) {
    throw new Error(`apt-get reported success but these packages are still not installed: ${stillMissing.join(', ')}`);
  }
  for (const name of missing) knownInstalled.add(name);
}
