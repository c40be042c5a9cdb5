import { DockyardError } from '@dockyard/errors';
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { streamToFileAtomic } from '@dockyard/files';
import {
  digestHex,
  locationContext,
  openSource,
  parseLocation,
  readImage,
  RegistryPool,
  type ContentStore,
  type Descriptor,
  type Layer,
} from '@dockyard/oci';

/** The rootfs of an openEuler base archive: the single layer of the docker-save image inside the `.tar.xz`. */
export interface BaseRootfs {
  /** The unpacked docker-save archive, a docker-archive location the OCI engine reads. */
  archive: string;
  layer: Descriptor;
  /** The layer tar as stored in the archive (no re-tar). */
  open(): Promise<Readable>;
}

function xzDecompress(path: string): Readable {
  const child = spawn('xz', ['--decompress', '--stdout', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('error', (err) => child.stdout.destroy(new Error(`xz: ${err.message} (install xz-utils)`)));
  child.on('close', (code) => {
    if (code !== 0) child.stdout.destroy(new Error(`xz --decompress ${path}: ${stderr.trim() || `exit ${code}`}`));
  });
  return child.stdout;
}

/**
 * Unpacks the stored `.tar.xz` (by its digest, once, into the store's `unpacked/` folder) and returns its rootfs layer.
 * The archive must hold exactly one image with one layer, as openEuler publishes them.
 */
export async function openBaseRootfs(store: ContentStore, xzDigest: string, where: string): Promise<BaseRootfs> {
  const archive = join(store.dir, 'unpacked', `sha256-${digestHex(xzDigest)}.tar`);
  if (
    !(await access(archive).then(
      () => true,
      () => false,
    ))
  ) {
    await streamToFileAtomic(archive, xzDecompress(store.path(xzDigest)));
  }
  let layers: readonly Layer[];
  try {
    const model = await readImage(
      openSource(parseLocation(`docker-archive:${archive}`), locationContext(new RegistryPool())),
    );
    if (model.kind !== 'image') throw new Error('it holds an index');
    layers = model.layers;
  } catch (err) {
    throw new DockyardError(`${where}: not a docker-save image archive (${(err as Error).message})`, {
      code: 'BASE_ARCHIVE',
      cause: err,
    });
  }
  if (layers.length !== 1)
    throw new Error(
      `${where}: the image has ${layers.length} layers; an openEuler base archive has exactly one, its rootfs`,
    );
  const layer = layers[0]!;
  return { archive, layer: layer.descriptor, open: () => layer.open(0) };
}
