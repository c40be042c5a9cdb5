import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import type { CheckCase } from '@dockyard/container';
import { versionAsTag } from '@dockyard/container';
import type { VmArch } from './arch';
import { copyPartitionOut } from './disk-image';
import { GuestFilesystem } from './guest-filesystem';
import { readPartitionTable, rootPartition } from './partitions';
import { runTool } from './tools';

const MARK = 'DOCKYARD-CHECK';

/** The NoCloud user-data: a script cloud-init runs once, printing what the check asserts to the serial console. */
export const CHECK_USER_DATA = `#!/bin/sh
echo "${MARK} user-data ran"
echo "${MARK} os-release $(grep '^VERSION=' /etc/os-release)"
echo "${MARK} machine-id $(cat /etc/machine-id)"
echo "${MARK} end"
`;

export interface BootCheckRequest {
  raw: string;
  arch: VmArch;
  version: string;
  suite: string;
  workDir: string;
  /** How long the guest may take to reach the end of the user-data; default 3 minutes (TCG is slow). */
  timeoutMs?: number;
}

/** What the console said: the DOCKYARD-CHECK lines by key. */
export function consoleFacts(console: string): Map<string, string> {
  const facts = new Map<string, string>();
  // Not anchored at the line's start: the console's escape sequences may precede the first line.
  for (const match of console.replace(/\r/g, '').matchAll(new RegExp(`${MARK} (\\S+)(?: (.*))?$`, 'gm')))
    facts.set(match[1]!, (match[2] ?? '').trim());
  return facts;
}

/** The kernel and initramfs the image boots: the newest `/boot/vmlinuz-*` of its root filesystem. */
async function bootFiles(rootImage: string, workDir: string): Promise<{ kernel: string; initrd: string }> {
  const guest = new GuestFilesystem(rootImage);
  const names = ((await guest.list('/boot')) ?? []).map((e) => e.name);
  const release = names
    .filter((n) => n.startsWith('vmlinuz-') && !n.includes('rescue'))
    .map((n) => n.slice('vmlinuz-'.length))
    .sort()
    .at(-1);
  const initrd = release && [`initramfs-${release}.img`, `initrd.img-${release}`].find((n) => names.includes(n));
  if (!release || !initrd)
    throw new DockyardError(`the image's root filesystem has no /boot/vmlinuz-* with its initramfs to boot`, {
      code: 'VM_NO_KERNEL',
    });
  const kernel = join(workDir, 'vmlinuz');
  await guest.dump(`/boot/vmlinuz-${release}`, kernel);
  await guest.dump(`/boot/${initrd}`, join(workDir, 'initrd'));
  return { kernel, initrd: join(workDir, 'initrd') };
}

/** A NoCloud seed: a FAT volume labelled CIDATA with user-data and meta-data (mtools: no mount). */
async function writeSeed(workDir: string): Promise<string> {
  const seed = join(workDir, 'seed.img');
  await writeFile(join(workDir, 'user-data'), CHECK_USER_DATA);
  await writeFile(join(workDir, 'meta-data'), 'instance-id: dockyard-check\nlocal-hostname: dockyard-check\n');
  await runTool('mformat', ['-C', '-i', seed, '-f', '1440', '-v', 'CIDATA', '::']);
  await runTool('mcopy', ['-i', seed, join(workDir, 'user-data'), join(workDir, 'meta-data'), '::']);
  return seed;
}

/**
 * How each arch boots under TCG with its kernel given directly (no firmware, no bootloader): the PC's serial port,
 * or arm64's `virt` machine (a Cortex-A57, the PL011 serial port).
 */
export const GUEST_MACHINES: Record<
  VmArch,
  { qemu: string; machine: string[]; console: string; debianPackage: string }
> = {
  amd64: { qemu: 'qemu-system-x86_64', machine: [], console: 'ttyS0', debianPackage: 'qemu-system-x86' },
  arm64: {
    qemu: 'qemu-system-aarch64',
    machine: ['-M', 'virt', '-cpu', 'cortex-a57'],
    console: 'ttyAMA0',
    debianPackage: 'qemu-system-arm',
  },
};

/** Runs qemu until the console shows the end mark, the guest stops, or the time is up; returns the console. */
function runGuest(arch: VmArch, args: string[], timeoutMs: number): Promise<{ console: string; timedOut: boolean }> {
  const { qemu, debianPackage } = GUEST_MACHINES[arch];
  return new Promise((resolve, reject) => {
    const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let console = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const take = (chunk: Buffer) => {
      console += chunk.toString('latin1');
      if (console.includes(`${MARK} end`)) child.kill('SIGKILL');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(
        new DockyardError(`${qemu} is not installed`, {
          code: 'VM_TOOL_MISSING',
          hint: `install the Debian package ${debianPackage}`,
          cause: err,
        }),
      );
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ console, timedOut });
    });
  });
}

/** The console's escape sequences (ESC [ … letter), which make a message unreadable. */
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[a-zA-Z]`, 'g');

const tail = (text: string) => text.replace(ESCAPES, '').trim().split('\n').slice(-15).join('\n');

/**
 * Boots the image for real under qemu's TCG (no KVM), amd64 or arm64 — its own kernel and initramfs, root by UUID, the serial console
 * — on a copy-on-write overlay (the build stays as it is), with a NoCloud seed whose user-data reports back on the
 * console: that it ran (cloud-init works), the os-release version, the machine-id made at first boot.
 */
export async function bootCheckVmImage(request: BootCheckRequest): Promise<CheckCase[]> {
  const started = Date.now();
  const at = (name: string) => join(request.workDir, name);
  await mkdir(request.workDir, { recursive: true });
  const root = rootPartition(await readPartitionTable(request.raw), request.raw);
  await copyPartitionOut(request.raw, root, at('root.ext4'));
  const uuid = /^Filesystem UUID:\s*(\S+)/m.exec(await runTool('dumpe2fs', ['-h', at('root.ext4')]))?.[1];
  const { kernel, initrd } = await bootFiles(at('root.ext4'), request.workDir);
  await runTool('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', request.raw, at('overlay.qcow2')]);
  const seed = await writeSeed(request.workDir);
  const machine = GUEST_MACHINES[request.arch];
  const { console, timedOut } = await runGuest(
    request.arch,
    [
      ...machine.machine,
      '-accel',
      'tcg',
      '-m',
      '512',
      '-nographic',
      '-no-reboot',
      '-nic',
      'none',
      '-kernel',
      kernel,
      '-initrd',
      initrd,
      '-append',
      `root=UUID=${uuid} console=${machine.console} panic=-1 quiet`,
      '-drive',
      `file=${at('overlay.qcow2')},format=qcow2,if=virtio`,
      '-drive',
      `file=${seed},format=raw,if=virtio,readonly=on`,
    ],
    request.timeoutMs ?? 180_000,
  );
  const facts = consoleFacts(console);
  const seconds = (Date.now() - started) / 1000;
  const ran = facts.has('user-data');
  const notRun = timedOut
    ? `the user-data did not report within ${Math.round((request.timeoutMs ?? 180_000) / 1000)} s; the console's tail:\n${tail(console)}`
    : `the guest stopped without running the user-data (cloud-init did not run it); the console's tail:\n${tail(console)}`;
  const version = versionAsTag(/VERSION="?([^"]*)"?/.exec(facts.get('os-release') ?? '')?.[1] ?? '');
  const machineId = facts.get('machine-id') ?? '';
  const cases: [string, string | undefined][] = [
    ['boots, and cloud-init runs the NoCloud user-data', ran ? undefined : notRun],
    [
      'at boot, /etc/os-release names the version',
      !ran ? 'not reached' : version === request.version.toLowerCase() ? undefined : `VERSION says ${version}`,
    ],
    [
      'at boot, a machine-id is made',
      !ran ? 'not reached' : /^[0-9a-f]{32}$/.test(machineId) ? undefined : `machine-id is "${machineId}"`,
    ],
  ];
  return cases.map(([name, failure]) => ({ suite: request.suite, name, failure, seconds }));
}
