import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { debianCloudKernel } from './debian-kernel';
import { busyboxFor } from './foreign-arch';
import { ensureTools } from './require-tool';
import { removeTempDir, tempDir } from './tmp';

const run = promisify(execFile);
const MiB = 1 << 20;
/** Fixed, so two fixtures written apart are the same bytes (the base's identity the build must keep). */
export const BASE_ROOT_UUID = '5f1c6c1e-0b7a-4d0e-9a51-3c2d1e0f9a88';
export const BASE_HASH_SEED = '0d6f3a9e-1c2b-4a5d-8e7f-6a5b4c3d2e1f';

/**
 * A root filesystem shaped like an openEuler cloud image where the build and its checks look: static busybox,
 * `/etc/os-release` in openEuler's words, a root password hash in `/etc/shadow`, a machine-id, ssh host keys and an
 * sshd_config allowing root and passwords, a log, a random seed: everything a cloud image must not ship.
 */
async function writeRootTree(root: string, version: string, arch: GuestArch, options: BaseImageOptions): Promise<void> {
  for (const dir of ['bin', 'etc/ssh', 'root', 'tmp', 'proc', 'sys', 'dev', 'var/log', 'var/lib/systemd', 'var/tmp'])
    await mkdir(join(root, dir), { recursive: true });
  await copyFile(await busyboxFor(arch), join(root, 'bin', 'busybox'));
  // The host's busybox lists the applets: Debian builds both arches from one configuration.
  const { stdout } = await run('/bin/busybox', ['--list']);
  for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox'))
    await symlink('busybox', join(root, 'bin', applet));
  await mkdir(join(root, 'sbin'));
  await writeFile(join(root, 'sbin', 'init'), IMAGE_INIT, { mode: 0o755 });
  await writeBoot(join(root, 'boot'), arch);
  const [number, ...rest] = version.split('-');
  const pretty = rest.length ? `${number} (${rest.join('-')})` : number;
  await writeFile(
    join(root, 'etc/os-release'),
    `NAME="openEuler"\nVERSION="${pretty}"\nID="openEuler"\nVERSION_ID="${number}"\nPRETTY_NAME="openEuler ${pretty}"\n`,
  );
  await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(root, 'etc/shadow'), 'root:$6$salt$hashedpassword:19000:0:99999:7:::\n');
  await chmod(join(root, 'etc/shadow'), 0o000);
  await writeFile(join(root, 'etc/machine-id'), '8f3b1c2d4e5f60718293a4b5c6d7e8f9\n');
  await writeFile(
    join(root, 'etc/ssh/sshd_config'),
    'PermitRootLogin yes\n#PasswordAuthentication yes\nSubsystem sftp /usr/libexec/openssh/sftp-server\n',
  );
  await writeFile(join(root, 'etc/ssh/ssh_host_ed25519_key'), 'build machine private key\n', { mode: 0o600 });
  await writeFile(join(root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'ssh-ed25519 AAAA build\n');
  await writeFile(join(root, 'var/log/messages'), 'a log line from the image build\n');
  await writeFile(join(root, 'var/lib/systemd/random-seed'), 'not random at all\n');
  if (options.guestTools) {
    await writeFile(join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
    await copyHostRpm(root);
  }
}

export interface BaseImageOptions {
  /**
   * What a tool working inside the guest (the bench's virt-customize) needs: `/etc/hosts`, which libguestfs's
   * inspection looks for to call a filesystem a Linux root, and the host's rpm (Debian's, with the libraries ldd
   * names and /usr/lib/rpm), so the guest installs rpms itself: `rpm --dbpath /var/lib/rpm -U …`.
   */
  guestTools?: boolean;
}

async function copyHostRpm(root: string): Promise<void> {
  await ensureTools(['rpm']);
  const { stdout } = await run('ldd', ['/usr/bin/rpm']);
  const files = ['/usr/bin/rpm', ...[...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!)];
  for (const file of files) {
    await mkdir(join(root, dirname(file)), { recursive: true });
    await copyFile(await realpath(file), join(root, file));
  }
  await mkdir(join(root, 'usr/lib'), { recursive: true });
  await run('cp', ['-a', '/usr/lib/rpm', join(root, 'usr/lib/')]);
  await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
}

/**
 * The image's init, standing in for systemd and cloud-init as far as the boot check looks: a machine-id made at
 * first boot when /etc/machine-id is empty, and cloud-init's NoCloud job — only when a cloud.cfg.d file lists
 * NoCloud among the datasources, the `cidata` volume's user-data run as a script — then power off.
 */
const IMAGE_INIT = `#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
mount -o remount,rw /
[ -s /etc/machine-id ] || cat /proc/sys/kernel/random/uuid | tr -d - > /etc/machine-id
if grep -qs 'datasource_list:.*NoCloud' /etc/cloud/cloud.cfg.d/*.cfg; then
  seed=$(findfs LABEL=CIDATA || findfs LABEL=cidata)
  mkdir -p /run/seed && mount -t vfat -o ro "$seed" /run/seed && sh /run/seed/user-data
fi
poweroff -f
`;

/** The initramfs's init: the virtio and vfat modules of Debian's cloud kernel, then the root= filesystem. */
const INITRAMFS_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko; done
for arg in $(cat /proc/cmdline); do case "$arg" in root=*) root="\${arg#root=}" ;; esac; done
for i in 1 2 3 4 5 6 7 8 9 10; do dev=$(findfs "$root") && break; sleep 0.3; done
mkdir -p /newroot && mount -o ro "$dev" /newroot && exec switch_root /newroot /sbin/init
echo "initramfs: cannot mount root=$root from: $(cat /proc/cmdline)"; poweroff -f
`;

/** The modules the initramfs loads, in order; arm64's `virt` machine puts virtio devices on MMIO as well as PCI. */
const MODULES = (arch: GuestArch) => [
  'drivers/virtio/virtio_ring.ko',
  'drivers/virtio/virtio.ko',
  ...(arch === 'arm64' ? ['drivers/virtio/virtio_mmio.ko'] : []),
  'drivers/virtio/virtio_pci_modern_dev.ko',
  'drivers/virtio/virtio_pci_legacy_dev.ko',
  'drivers/virtio/virtio_pci.ko',
  'drivers/block/virtio_blk.ko',
  'fs/fat/fat.ko',
  'fs/fat/vfat.ko',
  'fs/nls/nls_cp437.ko',
  'fs/nls/nls_ascii.ko',
];

type GuestArch = 'amd64' | 'arm64';
const GUEST_ARCH: Record<string, GuestArch> = { x86_64: 'amd64', aarch64: 'arm64' };

async function writeBoot(boot: string, arch: GuestArch): Promise<void> {
  const kernel = await debianCloudKernel(arch);
  await mkdir(boot, { recursive: true });
  await copyFile(kernel.vmlinuz, join(boot, `vmlinuz-${kernel.release}`));
  const initramfs = await tempDir('initramfs');
  try {
    for (const dir of ['bin', 'proc', 'sys', 'dev', 'newroot']) await mkdir(join(initramfs, dir), { recursive: true });
    await mkdir(join(initramfs, 'lib', 'modules'), { recursive: true });
    await copyFile(await busyboxFor(arch), join(initramfs, 'bin', 'busybox'));
    const modules = MODULES(arch);
    for (const module of modules)
      await copyFile(join(kernel.modules, module), join(initramfs, 'lib', 'modules', basename(module)));
    await writeFile(
      join(initramfs, 'lib', 'modules', 'order'),
      modules.map((m) => basename(m, '.ko')).join('\n') + '\n',
    );
    await writeFile(join(initramfs, 'init'), INITRAMFS_INIT, { mode: 0o755 });
    const image = join(boot, `initramfs-${kernel.release}.img`);
    await run('sh', [
      '-c',
      `cd "${initramfs}" && find . | sort | busybox cpio -o -H newc 2>/dev/null | gzip -n > "${image}"`,
    ]);
  } finally {
    await removeTempDir(initramfs);
  }
}

const mke2fs = (args: string[]) =>
  run('mke2fs', ['-q', '-F', '-t', 'ext4', '-O', '^metadata_csum_seed,^orphan_file', ...args], {
    env: { ...process.env, E2FSPROGS_FAKE_TIME: '1600000000' },
  });

/**
 * Writes `openEuler-<V>-<arch>.qcow2.xz` and its `.sha256sum` into `dir`: a 64 MiB disk with an MBR, a small `/boot`
 * partition (which the build must leave as it is) and the root partition. Returns the `.qcow2.xz`'s sha256 hex.
 */
export async function writeVmBaseImage(
  dir: string,
  version: string,
  repoArch: string,
  options: BaseImageOptions = {},
): Promise<string> {
  await ensureTools(['mke2fs', 'sfdisk', 'qemu-img', 'xz']);
  const work = await tempDir('vm-base');
  try {
    const tree = join(work, 'root');
    const arch = GUEST_ARCH[repoArch];
    if (!arch) throw new Error(`writeVmBaseImage: no guest arch for ${repoArch} (x86_64 or aarch64)`);
    await writeRootTree(tree, version, arch, options);
    const disk = join(work, 'disk.raw');
    await writeFile(disk, '');
    await run('truncate', ['-s', `${64 * MiB}`, disk]);
    const layout = `label: dos\nlabel-id: 0x0e0e0e0e\nstart=2048, size=8192, type=83\nstart=10240, type=83\n`;
    await new Promise<void>((resolve, reject) => {
      const child = execFile('sfdisk', ['-q', disk], (err) => (err ? reject(err) : resolve()));
      child.stdin?.end(layout);
    });
    const boot = join(work, 'boot.ext4');
    const root = join(work, 'root.ext4');
    await run('truncate', ['-s', `${4 * MiB}`, boot]);
    await mke2fs([
      '-L',
      'boot',
      '-U',
      '11111111-1111-4111-8111-111111111111',
      '-E',
      `hash_seed=${BASE_HASH_SEED}`,
      boot,
    ]);
    await run('truncate', ['-s', `${64 * MiB - 10240 * 512}`, root]);
    await mke2fs([
      '-L',
      'rootfs',
      '-U',
      BASE_ROOT_UUID,
      '-E',
      `hash_seed=${BASE_HASH_SEED},root_owner=0:0`,
      '-d',
      tree,
      root,
    ]);
    await run('dd', [`if=${boot}`, `of=${disk}`, 'bs=512', 'seek=2048', 'conv=notrunc', 'status=none']);
    await run('dd', [`if=${root}`, `of=${disk}`, 'bs=512', 'seek=10240', 'conv=notrunc', 'status=none']);
    await mkdir(dir, { recursive: true });
    const file = `openEuler-${version.toUpperCase()}-${repoArch}.qcow2`;
    await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', disk, join(dir, file)]);
    await rm(join(dir, `${file}.xz`), { force: true });
    await run('xz', ['-0', join(dir, file)]);
    const hex = createHash('sha256')
      .update(await readFile(join(dir, `${file}.xz`)))
      .digest('hex');
    await writeFile(join(dir, `${file}.xz.sha256sum`), `${hex}  ${file}.xz\n`);
    return hex;
  } finally {
    await removeTempDir(work);
  }
}

/** `<root>/openEuler-<V>/virtual_machine_img/<arch>/…` for each arch, as repo.openeuler.org lays it out. */
export async function writeVmRepositoryTree(
  root: string,
  version: string,
  repoArches: string[],
  options: BaseImageOptions = {},
): Promise<void> {
  for (const arch of repoArches)
    await writeVmBaseImage(
      join(root, `openEuler-${version.toUpperCase()}`, 'virtual_machine_img', arch),
      version,
      arch,
      options,
    );
}
