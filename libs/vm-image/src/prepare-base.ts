import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchChecked, openBaseRepository } from '@dockyard/container';
import { digestHex, type ContentStore } from '@dockyard/oci';
import { streamToFileAtomic } from '@dockyard/files';
import { spawn } from 'node:child_process';
import type { VmArch } from './arch';
import { baseImageLocation } from './base-location';
import { DockyardError } from '@dockyard/errors';

export interface PrepareBaseRequest {
  /** The repository root: an http(s) URL, or a folder (relative to `projectDir`) of the same layout. */
  repo: string;
  versions: readonly string[];
  arches: readonly VmArch[];
  projectDir: string;
  store: ContentStore;
}

export interface PreparedBaseImage {
  version: string;
  arch: VmArch;
  url: string;
  /** The sha256 of the `.qcow2.xz`, as its `.sha256sum` states it. */
  digest: string;
  /** The stored `.qcow2.xz`. */
  path: string;
  /** False when an earlier prepare had stored it already. */
  fetched: boolean;
}

/**
 * Puts every version × arch base image into the content store under the digest its `.sha256sum` states,
 * with the ContainerImage downloader: nothing fetched twice, an interrupted download resumed, a mismatch stored
 * nowhere.
 */
export async function prepareBaseImages(request: PrepareBaseRequest): Promise<PreparedBaseImage[]> {
  const repository = openBaseRepository(request.repo, request.projectDir);
  const jobs = request.versions.flatMap((version) =>
    request.arches.map(async (arch): Promise<PreparedBaseImage> => {
      const location = baseImageLocation(version, arch);
      const image = await fetchChecked(
        repository,
        { path: location.imagePath, checksumPath: location.checksumPath },
        request.store,
      );
      return { version, arch, ...image };
    }),
  );
  return Promise.all(jobs);
}

/**
 * The stored image decompressed (once per digest, into the store's `unpacked/`): the base's qcow2 as openEuler
 * built it, which qemu-img reads.
 */
export async function unpackedBaseImage(store: ContentStore, xzDigest: string): Promise<string> {
  const qcow2 = join(store.dir, 'unpacked', `sha256-${digestHex(xzDigest)}.qcow2`);
  const present = await access(qcow2).then(
    () => true,
    () => false,
  );
  if (!present) await streamToFileAtomic(qcow2, xzDecompress(store.path(xzDigest)));
  return qcow2;
}

function xzDecompress(path: string): NodeJS.ReadableStream & import('node:stream').Readable {
  const child = spawn('xz', ['--decompress', '--stdout', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('error', (err) =>
    child.stdout.destroy(
      new DockyardError('xz is not installed', { code: 'VM_TOOL_MISSING', hint: 'install xz-utils', cause: err }),
    ),
  );
  child.on('close', (code) => {
    if (code !== 0)
      child.stdout.destroy(
        new DockyardError(`xz --decompress ${path}: ${stderr.trim() || `exit ${code}`}`, { code: 'VM_BASE_UNPACK' }),
      );
  });
  return child.stdout;
}
