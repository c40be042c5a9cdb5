import { randomBytes, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tarEntryHeader } from '@dockyard/oci';
import { paddingFor } from '@dockyard/oci';

/**
 * Test images pushed straight through the distribution API with fetch, independent of the
 * engine under test: random layers, shared base layers, images and multi-arch indexes.
 */
export interface Blob {
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

export interface Layer extends Blob {
  diffId: string;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A gzipped tar holding one file of random bytes: a real layer `docker load` accepts. */
export function randomLayer(size: number, fileName = `file-${randomBytes(4).toString('hex')}`, level = 1): Layer {
  const data = randomBytes(size);
  const tar = Buffer.concat([
    tarEntryHeader({ path: fileName, type: 'file', content: data }),
    data,
    Buffer.alloc(paddingFor(data.length)),
    Buffer.alloc(1024),
  ]);
  const bytes = gzipSync(tar, { level });
  return {
    bytes,
    digest: sha256(bytes),
    diffId: sha256(tar),
    mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  };
}

/** A layer from an existing uncompressed tar (e.g. a busybox rootfs). */
export function layerFromTar(tar: Buffer): Layer {
  const bytes = gzipSync(tar);
  return {
    bytes,
    digest: sha256(bytes),
    diffId: sha256(tar),
    mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  };
}

export interface ImageSpec {
  layers: Layer[];
  architecture?: string;
  os?: string;
  variant?: string;
  cmd?: string[];
}

export interface BuiltImage {
  manifest: Blob;
  config: Blob;
  layers: Layer[];
  platform: { os: string; architecture: string; variant?: string };
}

export function buildImage(spec: ImageSpec): BuiltImage {
  const platform = {
    os: spec.os ?? 'linux',
    architecture: spec.architecture ?? 'amd64',
    ...(spec.variant ? { variant: spec.variant } : {}),
  };
  const configJson = {
    ...platform,
    created: '2024-01-01T00:00:00Z',
    config: { Cmd: spec.cmd ?? ['sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: spec.layers.map((l) => l.diffId) },
    history: spec.layers.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'dockyard test' })),
  };
  const configBytes = Buffer.from(JSON.stringify(configJson));
  const config = {
    bytes: configBytes,
    digest: sha256(configBytes),
    mediaType: 'application/vnd.docker.container.image.v1+json',
  };
  const manifestJson = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: config.mediaType, size: configBytes.length, digest: config.digest },
    layers: spec.layers.map((l) => ({ mediaType: l.mediaType, size: l.bytes.length, digest: l.digest })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifestJson, null, 3));
  return {
    manifest: { bytes: manifestBytes, digest: sha256(manifestBytes), mediaType: manifestJson.mediaType },
    config,
    layers: spec.layers,
    platform,
  };
}

export function buildIndex(images: BuiltImage[], mediaType = 'application/vnd.oci.image.index.v1+json'): Blob {
  const json = {
    schemaVersion: 2,
    mediaType,
    manifests: images.map((i) => ({
      mediaType: i.manifest.mediaType,
      size: i.manifest.bytes.length,
      digest: i.manifest.digest,
      platform: i.platform,
    })),
  };
  const bytes = Buffer.from(JSON.stringify(json, null, 2));
  return { bytes, digest: sha256(bytes), mediaType };
}

async function check(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

export interface PushTarget {
  /** `http://127.0.0.1:5000` */
  base: string;
  authorization?: string;
}

function headers(target: PushTarget, extra: Record<string, string> = {}): Record<string, string> {
  return target.authorization ? { authorization: target.authorization, ...extra } : extra;
}

export async function pushBlob(target: PushTarget, repository: string, blob: Blob): Promise<void> {
  const head = await fetch(`${target.base}/v2/${repository}/blobs/${blob.digest}`, {
    method: 'HEAD',
    headers: headers(target),
  });
  if (head.ok) return;
  const start = await check(
    await fetch(`${target.base}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: headers(target) }),
    `start upload ${repository}`,
  );
  const location = new URL(start.headers.get('location')!, target.base);
  location.searchParams.set('digest', blob.digest);
  await check(
    await fetch(location, {
      method: 'PUT',
      headers: headers(target, { 'content-type': 'application/octet-stream' }),
      body: blob.bytes,
    }),
    `upload ${blob.digest}`,
  );
}

export async function pushManifest(
  target: PushTarget,
  repository: string,
  reference: string,
  manifest: Blob,
): Promise<void> {
  await check(
    await fetch(`${target.base}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: headers(target, { 'content-type': manifest.mediaType }),
      body: manifest.bytes,
    }),
    `put manifest ${repository}:${reference}`,
  );
}

export async function pushImage(
  target: PushTarget,
  repository: string,
  tag: string,
  image: BuiltImage,
): Promise<string> {
  for (const blob of [image.config, ...image.layers]) await pushBlob(target, repository, blob);
  await pushManifest(target, repository, tag, image.manifest);
  return image.manifest.digest;
}

export async function pushIndex(
  target: PushTarget,
  repository: string,
  tag: string,
  images: BuiltImage[],
  mediaType?: string,
): Promise<Blob> {
  for (const image of images) await pushImage(target, repository, image.manifest.digest, image);
  const index = buildIndex(images, mediaType);
  await pushManifest(target, repository, tag, index);
  return index;
}

/** Reads what a registry serves for a manifest: digest header and exact bytes. */
export async function fetchManifest(
  target: PushTarget,
  repository: string,
  reference: string,
): Promise<{ digest: string; bytes: Buffer } | undefined> {
  const accept = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
  ].join(', ');
  const response = await fetch(`${target.base}/v2/${repository}/manifests/${reference}`, {
    headers: headers(target, { accept }),
  });
  if (response.status === 404) return undefined;
  await check(response, `get manifest ${repository}:${reference}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { digest: sha256(bytes), bytes };
}

export async function fetchBlob(target: PushTarget, repository: string, digest: string): Promise<Buffer | undefined> {
  const response = await fetch(`${target.base}/v2/${repository}/blobs/${digest}`, { headers: headers(target) });
  if (response.status === 404) return undefined;
  await check(response, `get blob ${repository}@${digest}`);
  return Buffer.from(await response.arrayBuffer());
}
