import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { streamToFileAtomic } from '@dockyard/files';
import {
  bundleFileDescriptor,
  getManifest,
  headBlob,
  imageBlobs,
  manifestBlob,
  openBlob,
  putManifest,
  uploadBlob,
  VerifyingStream,
  type Descriptor,
  type RegistryConnection,
} from '@dockyard/oci';
import { DockyardError } from '@dockyard/errors';

export const BUNDLE_ARTIFACT_TYPE = 'application/vnd.dockyard.bundle.v1';
const EMPTY_CONFIG = { mediaType: 'application/vnd.oci.empty.v1+json', bytes: Buffer.from('{}') };
async function fileDescriptor(file: string): Promise<Descriptor> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return bundleFileDescriptor(file, `sha256:${hash.digest('hex')}`, (await stat(file)).size);
}

/**
 * The manifest of a bundle as an OCI artifact: empty config, the bundle file as its one layer,
 * name and version annotations, and no timestamp, so a byte-identical bundle always gets the same
 * manifest digest, however often it is published.
 */
export function artifactManifest(layer: Descriptor, name: string, version: string): Buffer {
  const config: Descriptor = {
    mediaType: EMPTY_CONFIG.mediaType,
    digest: `sha256:${createHash('sha256').update(EMPTY_CONFIG.bytes).digest('hex')}`,
    size: EMPTY_CONFIG.bytes.length,
  };
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: BUNDLE_ARTIFACT_TYPE,
      config,
      layers: [layer],
      annotations: { 'org.opencontainers.image.title': name, 'org.opencontainers.image.version': version },
    }),
  );
}

/**
 * Pushes `file` as an OCI artifact to `repository:tag`; blobs the registry has are not sent again. `onBytes` is told
 * of the bundle's bytes as they are read for sending.
 */
export async function pushBundleArtifact(
  conn: RegistryConnection,
  repository: string,
  tag: string,
  file: string,
  name: string,
  version: string,
  onBytes?: (count: number) => void,
): Promise<{ digest: string; uploaded: boolean }> {
  const layer = await fileDescriptor(file);
  const manifest = manifestBlob(artifactManifest(layer, name, version), 'application/vnd.oci.image.manifest.v1+json');
  const { config } = imageBlobs(manifest);
  let uploaded = false;
  if ((await headBlob(conn, repository, config.digest)) === undefined)
    await uploadBlob(conn, repository, config, new VerifyingStream(config, 'empty config').end(EMPTY_CONFIG.bytes));
  if ((await headBlob(conn, repository, layer.digest)) === undefined) {
    const body = createReadStream(file);
    if (onBytes) body.on('data', (chunk) => onBytes(chunk.length));
    await uploadBlob(conn, repository, layer, body.pipe(new VerifyingStream(layer, file)));
    uploaded = true;
  }
  await putManifest(conn, repository, tag, manifest);
  return { digest: manifest.digest, uploaded };
}

/** Downloads the bundle an artifact carries into `dir` (named by its title annotation), verified against its digest. */
export async function pullBundleArtifact(
  conn: RegistryConnection,
  repository: string,
  reference: string,
  dir: string,
): Promise<{ file: string; digest: string }> {
  const manifest = await getManifest(conn, repository, reference);
  const json = JSON.parse(manifest.bytes.toString('utf8')) as { artifactType?: string; layers?: Descriptor[] };
  const layer = json.layers?.[0];
  if (json.artifactType !== BUNDLE_ARTIFACT_TYPE || !layer)
    throw new DockyardError(
      `${conn.registry}/${repository}:${reference} is not a dockyard bundle (artifactType ${json.artifactType ?? 'none'})`,
      { code: 'NOT_A_BUNDLE_ARTIFACT' },
    );
  const title = basename(layer.annotations?.['org.opencontainers.image.title'] ?? `${layer.digest.slice(7)}.tar`);
  const file = join(dir, title);
  await streamToFileAtomic(
    file,
    (await openBlob(conn, repository, layer.digest)).pipe(new VerifyingStream(layer, `${repository}@${layer.digest}`)),
  );
  return { file, digest: manifest.digest };
}
