import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DockyardError } from '@dockyard/errors';
import {
  getManifest,
  headBlob,
  manifestBlob,
  openBlob,
  pullScope,
  pushScope,
  putManifest,
  registryError,
  repoUrl,
  sha256Digest,
  uploadBlob,
  type RegistryConnection,
} from '@dockyard/oci';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** The OCI 1.1 empty config `{}`: an artifact manifest carries its content as a layer. */
const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', bytes: Buffer.from('{}') };

export interface SubjectDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface ReferrerDescriptor extends SubjectDescriptor {
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface Artifact {
  artifactType: string;
  /** The one layer's media type and bytes (the SBOM, the Sigstore bundle). */
  mediaType: string;
  bytes: Buffer;
  annotations?: Record<string, string>;
}

/** How a referrer was made findable: the registry's referrers API, or the `sha256-<hex>` tag schema fallback. */
export type ReferrersPath = 'referrers-api' | 'tag-schema';

/** The tag the referrers tag schema keeps a subject's referrers under: `sha256-<hex>`. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

async function ensureBlob(conn: RegistryConnection, repository: string, bytes: Buffer, mediaType: string) {
  const descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
  if ((await headBlob(conn, repository, descriptor.digest)) === undefined)
    await uploadBlob(conn, repository, descriptor, Readable.from([bytes]));
  return descriptor;
}

function indexOf(descriptors: ReferrerDescriptor[]): Buffer {
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: descriptors }));
}

/** The referrers listed under the fallback tag, or none when the tag does not exist. */
async function taggedReferrers(conn: RegistryConnection, repository: string, digest: string) {
  try {
    const index = await getManifest(conn, repository, referrersTag(digest));
    return ((JSON.parse(index.bytes.toString('utf8')) as { manifests?: ReferrerDescriptor[] }).manifests ?? []).slice();
  } catch (err) {
    if ((err as { status?: number }).status === 404) return [];
    throw err;
  }
}

/**
 * Pushes `artifact` as an OCI 1.1 artifact manifest whose `subject` is the image: config the empty descriptor, one
 * layer, `artifactType` set. A registry that processes `subject` says so with the `OCI-Subject` header and lists it
 * at its referrers API; otherwise the client keeps the list itself as an image index under the `sha256-<hex>` tag
 * (distribution-spec 1.1, "referrers tag schema"), adding this manifest's descriptor to what is there.
 */
export async function attachArtifact(
  conn: RegistryConnection,
  repository: string,
  subject: SubjectDescriptor,
  artifact: Artifact,
): Promise<{ digest: string; path: ReferrersPath }> {
  const config = await ensureBlob(conn, repository, EMPTY.bytes, EMPTY.mediaType);
  const layer = await ensureBlob(conn, repository, artifact.bytes, artifact.mediaType);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: artifact.artifactType,
      config,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      ...(artifact.annotations ? { annotations: artifact.annotations } : {}),
    }),
  );
  const digest = sha256Digest(manifest);
  const response = await conn.transport({
    method: 'PUT',
    url: repoUrl(conn, repository, `manifests/${digest}`),
    headers: { 'content-type': OCI_MANIFEST },
    body: manifest,
    scopes: [pushScope(repository)],
  });
  if (response.status !== 201 && response.status !== 200)
    throw await registryError(response, `PUT manifest ${repository}@${digest}`, conn.anonymous);
  response.body.resume();
  if (response.headers['oci-subject'] === subject.digest) return { digest, path: 'referrers-api' };
  const listed = await taggedReferrers(conn, repository, subject.digest);
  if (!listed.some((d) => d.digest === digest)) {
    listed.push({
      mediaType: OCI_MANIFEST,
      digest,
      size: manifest.length,
      artifactType: artifact.artifactType,
      ...(artifact.annotations ? { annotations: artifact.annotations } : {}),
    });
    await putManifest(conn, repository, referrersTag(subject.digest), manifestBlob(indexOf(listed), OCI_INDEX));
  }
  return { digest, path: 'tag-schema' };
}

/** The image's referrers of one artifact type: from the referrers API where the registry has one, else the tag schema. */
export async function listReferrers(
  conn: RegistryConnection,
  repository: string,
  digest: string,
  artifactType: string,
): Promise<{ referrers: ReferrerDescriptor[]; path: ReferrersPath }> {
  const url = repoUrl(conn, repository, `referrers/${digest}`);
  url.searchParams.set('artifactType', artifactType);
  const response = await conn.transport({ method: 'GET', url, scopes: [pullScope(repository)] });
  if (response.status === 200) {
    const index = JSON.parse((await buffer(response.body)).toString('utf8')) as { manifests?: ReferrerDescriptor[] };
    // A registry may ignore the filter (it then omits the OCI-Filters-Applied header): filter here either way.
    const referrers = (index.manifests ?? []).filter((d) => d.artifactType === artifactType);
    return { referrers, path: 'referrers-api' };
  }
  response.body.resume();
  if (response.status !== 404)
    throw await registryError(response, `GET referrers ${repository}@${digest}`, conn.anonymous);
  const referrers = (await taggedReferrers(conn, repository, digest)).filter((d) => d.artifactType === artifactType);
  return { referrers, path: 'tag-schema' };
}

/** The one layer of an artifact manifest, digest-checked. */
export async function fetchArtifact(conn: RegistryConnection, repository: string, digest: string): Promise<Buffer> {
  const manifest = await getManifest(conn, repository, digest);
  const layer = (JSON.parse(manifest.bytes.toString('utf8')) as { layers?: SubjectDescriptor[] }).layers?.[0];
  if (!layer)
    throw new DockyardError(`${repository}@${digest} is not an artifact manifest with a layer`, {
      code: 'attest.referrer-unreadable',
    });
  const bytes = await buffer(await openBlob(conn, repository, layer.digest));
  if (sha256Digest(bytes) !== layer.digest)
    throw new DockyardError(`${repository}@${digest}: its layer does not hash to ${layer.digest}`, {
      code: 'attest.referrer-unreadable',
    });
  return bytes;
}
