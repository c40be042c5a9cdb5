import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudImageSbom, parseRpmList, SBOM_FILE } from '@dockyard/attest';
import { replaceDirectory } from '@dockyard/files';
import type { ContentStore } from '@dockyard/oci';
import type { VmArch } from './arch';
import { applyCloudSetup } from './cloud-setup';
import { copyFilesystemTree, copyPartitionIn, copyPartitionOut, qcow2ToRaw, rawToCompressedQcow2 } from './disk-image';
import { resizeDisk } from './disk-size';
import { parseExt4Parameters } from './ext4-parameters';
import { writeExt4 } from './ext4-writer';
import { readPartitionTable, rootPartition } from './partitions';
import { unpackedBaseImage, type PreparedBaseImage } from './prepare-base';
import { installedPackages, installRpms, type RpmRepository } from './rpm-install';
import { runTool } from './tools';
import { writeWslRootfs } from './wsl-rootfs';

export interface BuildVmImageRequest {
  /** File names start with it: `<name>-<version>-<arch>.qcow2`. */
  name: string;
  base: PreparedBaseImage;
  store: ContentStore;
  repositories: readonly RpmRepository[];
  packages: readonly string[];
  /** dnf's `$releasever`; default the version. */
  releasever?: string;
  cloudConfig?: string;
  /**
   * The disk's size in bytes (a whole number of MiB): the root partition, which must be the disk's last, is grown or
   * shrunk to end at the disk's end and the root filesystem fills it. Default: the base image's size.
   */
  diskSize?: number;
  /** SOURCE_DATE_EPOCH: every time written into the image. */
  epoch: number;
  /** `dist/<name>/<version>/<arch>`: replaced whole, only when the build succeeds. */
  outDir: string;
}

export interface VmImageOutputs {
  qcow2: string;
  raw: string;
  /** The root filesystem as one tar for `wsl --import`. */
  wsl: string;
  rpms: string;
  /** CycloneDX SBOM: the base image and every rpm of rpms.txt. */
  sbom: string;
  buildJson: string;
  sha256sums: string;
}

export interface VmImageBuild {
  version: string;
  arch: VmArch;
  outDir: string;
  files: VmImageOutputs;
  /** sha256 hex of the qcow2, raw image and rpms.txt, by file name. */
  sha256: Record<string, string>;
  packages: string[];
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function outputNames(name: string, version: string, arch: VmArch): Record<keyof VmImageOutputs, string> {
  const stem = `${name}-${version}-${arch}`;
  return {
    qcow2: `${stem}.qcow2`,
    raw: `${stem}.raw`,
    wsl: `${stem}.wsl.tar.gz`,
    rpms: 'rpms.txt',
    sbom: SBOM_FILE,
    buildJson: 'build.json',
    sha256sums: 'sha256sums.txt',
  };
}

/**
 * One customised image: the base's root filesystem copied out as a tree, the rpm list installed into it with
 * dnf, cloud-init and sshd set, what every cloud requires cleared, the disk resized when asked (the root partition
 * ending at its end), the tree written back as a new filesystem of the partition's size and the base's identity into
 * a copy of the base disk (its bootloader and other partitions untouched), then the
 * raw disk (for AWS), a compressed qcow2 and the root filesystem as a WSL tar. The same base, packages, settings and epoch give the same bytes.
 */
export async function buildVmImage(request: BuildVmImageRequest): Promise<VmImageBuild> {
  const { base } = request;
  const names = outputNames(request.name, base.version, base.arch);
  return replaceDirectory(request.outDir, async (temp) => {
    const work = join(temp, '.work');
    await mkdir(work);
    const raw = join(work, 'disk.raw');
    await qcow2ToRaw(await unpackedBaseImage(request.store, base.digest), raw);
    const baseRoot = rootPartition(await readPartitionTable(raw), base.url);
    const rootImage = join(work, 'root.ext4');
    await copyPartitionOut(raw, baseRoot, rootImage);
    const parameters = parseExt4Parameters(await runTool('dumpe2fs', ['-h', rootImage]), `${base.url} (root)`);
    // Before the install, so a size the disk's layout cannot take fails at once.
    const root =
      request.diskSize === undefined ? baseRoot : await resizeDisk(raw, baseRoot, request.diskSize, base.url);
    const tree = join(work, 'tree');
    await copyFilesystemTree(rootImage, tree);
    await installRpms({
      tree,
      arch: base.arch,
      releasever: request.releasever ?? base.version,
      repositories: request.repositories,
      packages: request.packages,
      epoch: request.epoch,
      workDir: work,
    });
    const packages = await installedPackages(tree, work);
    await applyCloudSetup(tree, { cloudConfig: request.cloudConfig });
    await writeExt4({ tree, out: rootImage, size: root.size, parameters, epoch: request.epoch });
    await copyPartitionIn(raw, root, rootImage);
    // After writeExt4, which clamped the tree's times: the archive holds what the filesystem holds.
    await writeWslRootfs(tree, join(temp, names.wsl), request.epoch);

    const at = (file: string) => join(temp, file);
    await rename(raw, at(names.raw));
    await rawToCompressedQcow2(at(names.raw), at(names.qcow2));
    const rpmList = packages.map((p) => `${p}\n`).join('');
    await writeFile(at(names.rpms), rpmList);
    await writeFile(
      at(names.sbom),
      cloudImageSbom({
        name: `${request.name}-${base.version}-${base.arch}`,
        version: base.version,
        base: { url: base.url, sha256: base.digest },
        packages: parseRpmList(rpmList, names.rpms),
      }),
    );
    await rm(work, { recursive: true, force: true });

    const sha256: Record<string, string> = {};
    for (const file of [names.qcow2, names.raw, names.wsl, names.rpms]) sha256[file] = await sha256OfFile(at(file));
    await writeFile(
      at(names.sha256sums),
      Object.entries(sha256)
        .map(([file, hex]) => `${hex}  ${file}\n`)
        .join(''),
    );
    const record = {
      name: request.name,
      version: base.version,
      arch: base.arch,
      sourceDateEpoch: request.epoch,
      base: { url: base.url, digest: base.digest },
      repositories: request.repositories.map((r) => r.url),
      requested: [...new Set(request.packages)].sort(),
      diskSize: (await stat(at(names.raw))).size,
      rootFilesystem: { uuid: parameters.uuid, partition: root.number, size: root.size },
      outputs: sha256,
    };
    await writeFile(at(names.buildJson), `${JSON.stringify(record, null, 2)}\n`);
    const files = Object.fromEntries(
      Object.entries(names).map(([key, file]) => [key, join(request.outDir, file)]),
    ) as unknown as VmImageOutputs;
    return { version: base.version, arch: base.arch, outDir: request.outDir, files, sha256, packages };
  });
}

/** A build written earlier into `outDir`, as its build.json records it; undefined when there is none. */
export async function readVmImageBuild(outDir: string): Promise<VmImageBuild | undefined> {
  const text = await readFile(join(outDir, 'build.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const record = JSON.parse(text) as { name: string; version: string; arch: VmArch; outputs: Record<string, string> };
  const names = outputNames(record.name, record.version, record.arch);
  const files = Object.fromEntries(
    Object.entries(names).map(([key, file]) => [key, join(outDir, file)]),
  ) as unknown as VmImageOutputs;
  const packages = (await readFile(files.rpms, 'utf8')).split('\n').filter(Boolean);
  return { version: record.version, arch: record.arch, outDir, files, sha256: record.outputs, packages };
}
