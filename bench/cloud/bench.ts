import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkVmImage, DEFAULT_CLOUD_CONFIG, SSHD_SETTINGS } from '@dockyard/vm-image';
import { CLOUD_VERSION, everythingPath, serveCloudMirror } from '../../test/support/cloud-mirror';
import { ensurePackages } from '../../test/support/require-tool';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { sh } from '../shell';

const root = join(__dirname, '..', '..');
const dockyardBin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');
const RPMS = ['oe-tools'];
/** What every CloudImage installs, then the list: the packages both ways must end up with. */
const REQUESTED = ['cloud-init', 'cloud-utils-growpart', ...RPMS];
const BASE_FILE = `openEuler-${CLOUD_VERSION.toUpperCase()}-x86_64.qcow2.xz`;

async function timed(what: string, job: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await job();
  const seconds = (performance.now() - started) / 1000;
  console.error(`${what}: ${seconds.toFixed(2)} s`);
  return seconds;
}

interface Setup {
  work: string;
  mirror: string;
  project: string;
  workspace: string;
}

interface Outcome {
  seconds: number;
  raw: string;
}

/** dockyard: `dockyard build` (the base already prepared into a fresh content store before the clock). */
async function dockyardWay(setup: Setup, label: string): Promise<Outcome> {
  const env = { ...process.env, DOCKYARD_STORE: join(setup.work, `store-${label}`), SOURCE_DATE_EPOCH: '1700000000' };
  await sh('node', [dockyardBin, 'prepare', setup.project], env, setup.workspace);
  await rm(join(setup.workspace, 'dist'), { recursive: true, force: true });
  const seconds = await timed(`dockyard build (${label})`, () =>
    sh('node', [dockyardBin, 'build', setup.project], env, setup.workspace),
  );
  const raw = join(
    setup.workspace,
    'dist',
    'bench-cloud',
    CLOUD_VERSION,
    'amd64',
    `bench-cloud-${CLOUD_VERSION}-amd64.raw`,
  );
  const kept = join(setup.work, `dockyard-${label}.raw`);
  await copyFile(raw, kept);
  return { seconds, raw: kept };
}

/** The cleanup dockyard's cloud-setup.ts does, as one shell script run in the guest. */
const GUEST_CLEANUP = [
  `sed -i -E '/^[[:space:]]*#?[[:space:]]*(${SSHD_SETTINGS.map(([k]) => k).join('|')})([[:space:]]|$)/d' /etc/ssh/sshd_config`,
  `printf '${SSHD_SETTINGS.map(([k, v]) => `${k} ${v}\\n`).join('')}' | cat - /etc/ssh/sshd_config > /etc/ssh/sshd_config.new`,
  'mv /etc/ssh/sshd_config.new /etc/ssh/sshd_config',
  'rm -rf /var/cache/dnf /var/cache/yum /var/lib/dnf/history.sqlite* /var/lib/rpm/rpmdb.sqlite-shm /var/lib/rpm/rpmdb.sqlite-wal',
  'rm -rf /var/lib/systemd/random-seed /var/lib/random-seed /var/lib/dbus/machine-id /var/lib/cloud /root/.bash_history',
  'find /var/log -type f -exec rm -f {} +',
  'rm -rf /tmp/* /var/tmp/*',
].join(' && ');

/**
 * The peer: what EulerPublisher's cloudimg does, with libguestfs instead of qemu-nbd + chroot — `virt-customize`
 * under TCG on the base qcow2 (decompressed inside the clock, as dockyard's build does), the same rpms installed by
 * the guest's own rpm, the same cloud-init drop-in, sshd settings and cleanup, then the raw image and the compressed
 * qcow2 written with qemu-img. `--install` cannot be used: it runs the guest's dnf, which the test base image has
 * not (see bench/README.md).
 */
async function virtCustomizeWay(setup: Setup, label: string): Promise<Outcome> {
  const dir = join(setup.work, `virt-${label}`);
  const rpms = join(dir, 'rpms');
  await mkdir(rpms, { recursive: true });
  // The "prepare" part, before the clock as for dockyard: the checked download is the same either way.
  const repo = join(setup.mirror, `openEuler-${CLOUD_VERSION.toUpperCase()}`, 'virtual_machine_img', 'x86_64');
  await copyFile(join(repo, BASE_FILE), join(dir, BASE_FILE));
  const everything = join(setup.mirror, everythingPath('x86_64'));
  // The set dnf resolves for REQUESTED (oe-tools requires oe-hello): every rpm of the fixture repository.
  for (const file of (await readdir(everything)).filter((f) => f.endsWith('.rpm')))
    await copyFile(join(everything, file), join(rpms, file));
  await writeFile(join(dir, '90-dockyard.cfg'), DEFAULT_CLOUD_CONFIG);
  const env = { ...process.env, LIBGUESTFS_BACKEND: 'direct', LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg' };
  const qcow2 = join(dir, 'base.qcow2');
  const raw = join(setup.work, `virt-${label}.raw`);
  const seconds = await timed(`virt-customize way (${label})`, async () => {
    await timed('  xz -d', () => sh('sh', ['-c', `xz -dc '${join(dir, BASE_FILE)}' > '${qcow2}'`]));
    await timed('  virt-customize', () =>
      sh(
        'virt-customize',
        [
          '-q',
          '--no-network',
          '--format',
          'qcow2',
          '-a',
          qcow2,
          '--copy-in',
          `${rpms}:/tmp`,
          '--run-command',
          '/usr/bin/rpm --dbpath /var/lib/rpm -U /tmp/rpms/*.rpm',
          '--mkdir',
          '/etc/cloud/cloud.cfg.d',
          '--upload',
          `${join(dir, '90-dockyard.cfg')}:/etc/cloud/cloud.cfg.d/90-dockyard.cfg`,
          '--delete',
          '/etc/ssh/ssh_host_*',
          '--root-password',
          'disabled',
          '--run-command',
          GUEST_CLEANUP,
          '--truncate',
          '/etc/machine-id',
        ],
        env,
      ),
    );
    await timed('  qemu-img convert (raw, compressed qcow2)', async () => {
      await sh('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', qcow2, raw]);
      await sh('qemu-img', ['convert', '-f', 'qcow2', '-O', 'qcow2', '-c', qcow2, join(dir, 'out.qcow2')]);
    });
  });
  await rm(dir, { recursive: true, force: true });
  return { seconds, raw };
}

/** The offline checks of `dockyard check` on an image: what both ways must produce. */
async function offlineChecks(raw: string, work: string): Promise<string> {
  const cases = await checkVmImage({ raw, version: CLOUD_VERSION, packages: REQUESTED, suite: 'bench', workDir: work });
  const failed = cases.filter((c) => c.failure);
  return `${cases.length - failed.length}/${cases.length} pass${failed.map((c) => `; FAIL ${c.name}: ${c.failure}`).join('')}`;
}

export async function main(args: string[]): Promise<number> {
  const rounds = Number(args[0] ?? process.env.BENCH_ROUNDS ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`usage: node bench/cloud/run.cjs [ROUNDS]   (a whole number from 1; default 3), not "${args[0]}"`);
    return 2;
  }
  // libguestfs builds its appliance from the host's kernel in /boot.
  await ensurePackages([
    'libguestfs-tools',
    'linux-image-cloud-amd64',
    'qemu-system-x86',
    'dnf',
    'rpm',
    'createrepo-c',
  ]);
  const work = await tempDir('bench-cloud');
  const mirror = join(work, 'mirror');
  // The base image carries Debian's rpm so the guest can install rpms itself (the peer needs it; dockyard does not).
  const server = await serveCloudMirror(mirror, ['x86_64'], { guestTools: true });
  const workspace = join(work, 'ws');
  const project = join(workspace, 'releases', 'cloud', 'bench-cloud');
  await mkdir(project, { recursive: true });
  await writeFile(join(workspace, 'nx.json'), '{}\n');
  await writeFile(
    join(project, 'project.yaml'),
    [
      'kind: CloudImage',
      'name: bench-cloud',
      `versions: ["${CLOUD_VERSION}"]`,
      'arches: [amd64]',
      `source: { repo: "${server.url}" }`,
      `rpms: [${RPMS.join(', ')}]`,
      '',
    ].join('\n'),
  );
  const setup: Setup = { work, mirror, project, workspace };
  const rows: { tool: string; seconds: number }[] = [];
  try {
    // Not timed: libguestfs builds and caches its appliance (supermin) on first use.
    await timed('libguestfs appliance warm-up', () =>
      sh('guestfish', ['-a', '/dev/null', 'run'], {
        ...process.env,
        LIBGUESTFS_BACKEND: 'direct',
        LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg',
      }),
    );
    for (let round = 1; round <= rounds; round++) {
      for (const [tool, way] of [
        ['dockyard', dockyardWay],
        ['virt-customize', virtCustomizeWay],
      ] as const) {
        const outcome = await way(setup, `${tool}-${round}`);
        rows.push({ tool, seconds: outcome.seconds });
        if (round === 1)
          console.error(
            `offline checks on ${tool}'s image: ${await offlineChecks(outcome.raw, join(work, `check-${tool}`))}`,
          );
        await rm(outcome.raw, { force: true });
      }
    }
  } finally {
    await server.stop();
    await removeTempDir(work);
  }
  const median = (tool: string) => {
    const values = rows
      .filter((r) => r.tool === tool)
      .map((r) => r.seconds)
      .sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  const peer = median('virt-customize');
  const ours = median('dockyard');
  console.log('| scenario | virt-customize (TCG) s | dockyard s | ratio |\n| --- | ---: | ---: | ---: |');
  console.log(
    `| build: ${REQUESTED.join(' + ')} into the amd64 base, cleaned, raw + compressed qcow2 | ${peer.toFixed(2)} | ${ours.toFixed(2)} | ${(peer / ours).toFixed(1)}x |`,
  );
  console.log(`(medians of ${rounds} interleaved round(s); phases on stderr)`);
  return 0;
}
