import { DockyardError } from '@dockyard/errors';
import { sha256Digest } from './digest';
import { isImageManifestType, isIndexType } from './media-types';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** A manifest exactly as the source served it: the bytes are never re-serialized. */
export interface ManifestBlob {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

interface ParsedManifestJson {
  mediaType?: string;
  schemaVersion?: number;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

function manifestError(message: string): DockyardError {
  return new DockyardError(message, { code: 'MANIFEST_INVALID' });
}

function parseJson(blob: Pick<ManifestBlob, 'bytes' | 'digest'>): ParsedManifestJson {
  try {
    return JSON.parse(blob.bytes.toString('utf8')) as ParsedManifestJson;
  } catch {
    throw manifestError(`manifest ${blob.digest} is not valid JSON`);
  }
}

/** Media type from the JSON body when the server's Content-Type is missing or generic. */
export function manifestMediaType(bytes: Buffer, contentType: string | undefined): string {
  const type = contentType?.split(';')[0]?.trim();
  if (type && (isIndexType(type) || isImageManifestType(type))) return type;
  const json = parseJson({ bytes, digest: 'manifest' });
  if (json.mediaType) return json.mediaType;
  return json.manifests ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
}

export function manifestBlob(bytes: Buffer, mediaType: string): ManifestBlob {
  return { bytes, mediaType, digest: sha256Digest(bytes) };
}

/** Child manifests of an index (empty for an image manifest). */
export function indexChildren(blob: ManifestBlob): Descriptor[] {
  if (!isIndexType(blob.mediaType)) return [];
  return parseJson(blob).manifests ?? [];
}

/** Config and layers of an image manifest; artifacts with any config media type are fine. */
export function imageBlobs(blob: ManifestBlob): { config: Descriptor; layers: Descriptor[] } {
  const json = parseJson(blob);
  if (json.schemaVersion === 1)
    throw manifestError(
      `manifest ${blob.digest} is Docker schema 1, which registries no longer serve; re-push the image with a current client`,
    );
  if (!json.config) throw manifestError(`manifest ${blob.digest} has no config descriptor`);
  return { config: json.config, layers: json.layers ?? [] };
}

export function platformString(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** `linux/arm64` matches `linux/arm64/v8`; `linux/arm/v7` needs the variant. */
export function platformMatches(p: Platform | undefined, wanted: string): boolean {
  if (!p) return false;
  const [os, arch, variant] = wanted.split('/');
  return p.os === os && p.architecture === arch && (!variant || p.variant === variant);
}
