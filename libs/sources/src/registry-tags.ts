import { credentialProvider, CredentialsError } from '@dockyard/oci';
import { checkReference } from '@dockyard/oci';
import { listTags } from '@dockyard/oci';
import { RegistryError } from '@dockyard/oci';
import { headManifest } from '@dockyard/oci';
import { connectRegistry, type RegistryConnection } from '@dockyard/oci';
import type { Component } from '@dockyard/project-spec';
import { SourceError } from './source-error';

type ImageComponent = NonNullable<Component['image']>;

/** An image component's repository, connected (ping and auth done) through libs/oci's client. */
export interface ImageRepository {
  registry: string;
  repository: string;
  connection: RegistryConnection;
}

/** `host/path` → registry and repository, normalised like Docker (`nginx` → docker.io/library/nginx). */
function parseRepository(text: string): { registry: string; repository: string } {
  const parsed = checkReference(text);
  if (!parsed.ok || parsed.ref.digest || text.lastIndexOf(':') > text.lastIndexOf('/')) {
    throw new SourceError(
      `"${text}" is not an image repository${parsed.ok ? ' (leave out the tag and digest)' : ` (${parsed.reason})`}`,
      'write it as host/path, e.g. 127.0.0.1:5000/release/app',
    );
  }
  return { registry: parsed.ref.registry, repository: parsed.ref.repository };
}

/**
 * Connects to the component's registry with the credentials project.yaml names (env vars, a
 * password file, a docker config.json with credHelpers), else those of the user's docker config.
 */
export async function openImageRepository(image: ImageComponent, dir: string): Promise<ImageRepository> {
  const { registry, repository } = parseRepository(image.repository);
  const credentials = credentialProvider(image.credentials ? { [registry]: image.credentials } : {}, { baseDir: dir });
  const credential = await credentials(registry).catch((error: unknown) => {
    if (!(error instanceof CredentialsError)) throw error;
    if (image.credentials)
      throw new SourceError(error.message, 'fix image.credentials in project.yaml', ['image', 'credentials'], error);
    throw new SourceError(
      error.message,
      'fix your docker config (DOCKER_CONFIG or ~/.docker/config.json), or name credentials in image.credentials',
      undefined,
      error,
    );
  });
  const connection = await connectRegistry({ registry, insecure: image.insecure }, { credential }).catch(
    (error: Error) => {
      throw asSourceError(error);
    },
  );
  return { registry, repository, connection };
}

/** Every tag of the repository, following pagination. */
export async function listRegistryTags(repo: ImageRepository): Promise<string[]> {
  return listTags(repo.connection, repo.repository).catch((error: Error) => {
    throw asSourceError(error);
  });
}

/** The digest a tag points at (manifest or index), from a HEAD request. */
export async function manifestDigest(repo: ImageRepository, tag: string): Promise<string> {
  const head = await headManifest(repo.connection, repo.repository, tag).catch((error: Error) => {
    throw asSourceError(error);
  });
  if (!head) {
    throw new SourceError(
      `${repo.registry}/${repo.repository}:${tag}: the registry names no manifest digest for this tag (not found, or no Docker-Content-Digest header)`,
      'check image.repository; the registry must implement the OCI distribution spec',
    );
  }
  return head.digest;
}

function asSourceError(error: Error): SourceError {
  if (error instanceof RegistryError) {
    if (error.status === 401 || error.status === 403)
      return new SourceError(
        error.message,
        'set image.credentials to an account that can pull this repository',
        undefined,
        error,
      );
    if (error.status === 404) return new SourceError(error.message, 'check image.repository', undefined, error);
  }
  return new SourceError(
    error.message,
    'check the registry address, and image.insecure for plain-HTTP registries',
    undefined,
    error,
  );
}
