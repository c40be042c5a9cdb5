import { DockyardError } from '@dockyard/errors';

/**
 * Docker-style image references, parsed and normalised the way `docker pull` reads them
 * (`nginx` → `docker.io/library/nginx:latest`), following the grammar of
 * github.com/distribution/reference.
 */
export interface ImageRef {
  /** Registry host with optional port, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export type ReferenceCheck = { ok: true; ref: ImageRef } | { ok: false; reason: string };

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

/** Parses `[host[:port]/]path[:tag][@digest]`, or says why it is not a reference; tag and digest are both kept when both are given. */
export function checkReference(input: string, defaults: { tag?: string } = {}): ReferenceCheck {
  let rest = input.trim();
  if (rest === '') return { ok: false, reason: 'empty reference' };
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      return {
        ok: false,
        reason: `invalid digest "${digest}" (write it as algorithm:hex, e.g. sha256:<64 hex digits>)`,
      };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      return { ok: false, reason: `invalid tag "${tag}" (up to 128 letters, digits, _ . -, not starting with . or -)` };
  }
  const { registry, repository } = splitRegistry(rest);
  if (!DOMAIN.test(registry)) return { ok: false, reason: `invalid registry "${registry}"` };
  if (repository === '' || repository.length > MAX_NAME_LENGTH)
    return { ok: false, reason: `invalid repository "${repository}" (1 to ${MAX_NAME_LENGTH} characters)` };
  const badComponent = repository.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (badComponent !== undefined) {
    return {
      ok: false,
      reason: `invalid repository "${repository}": component "${badComponent}" must be lower-case letters, digits and separators (. _ __ -)`,
    };
  }
  if (!tag && !digest) tag = defaults.tag ?? 'latest';
  return { ok: true, ref: { registry, repository, tag, digest } };
}

/** Like checkReference, but throws (code REFERENCE_INVALID) for text that is not a reference. */
export function parseReference(input: string, defaults: { tag?: string } = {}): ImageRef {
  const checked = checkReference(input, defaults);
  if (!checked.ok)
    throw new DockyardError(`invalid image reference "${input}": ${checked.reason}`, { code: 'REFERENCE_INVALID' });
  return checked.ref;
}

/** Docker's rule: the first path component is a registry host when it has a dot, a port, upper case, or is localhost. */
export function namesRegistry(name: string): boolean {
  const slash = name.indexOf('/');
  const first = name.slice(0, Math.max(slash, 0));
  return slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
}

/** Stands in for the registry while a registry-less name is parsed; never reaches a result. */
const NO_REGISTRY = 'registry.invalid';

/** `repository[:tag][@digest]` inside a registry not named here (a sync list path, a registry-storage name). */
export function parseRepositoryReference(input: string): Omit<ImageRef, 'registry'> {
  const { registry: _, ...rest } = parseReference(`${NO_REGISTRY}/${input}`);
  return rest;
}

/** A reference whose registry may be left out (`release/app:v1`): `registry` is then undefined, not Docker Hub. */
export function parseOptionalRegistryReference(input: string): Omit<ImageRef, 'registry'> & { registry?: string } {
  return namesRegistry(input) ? parseReference(input) : parseRepositoryReference(input);
}

function splitRegistry(name: string): { registry: string; repository: string } {
  const hasHost = namesRegistry(name);
  const slash = name.indexOf('/');
  let registry = hasHost ? name.slice(0, slash) : DOCKER_HUB;
  let repository = hasHost ? name.slice(slash + 1) : name;
  if (DOCKER_HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

/** The canonical text form, `host/repo:tag@digest` (parts that are absent are left out). */
export function formatReference(ref: ImageRef): string {
  return `${ref.registry}/${formatWithoutRegistry(ref)}`;
}

/** `repository[:tag][@digest]`, the registry host stripped (the `images_platform.list` form). */
export function formatWithoutRegistry(ref: ImageRef): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** What to ask a registry for: the digest when pinned (it is immutable), otherwise the tag. */
export function manifestReference(ref: Pick<ImageRef, 'tag' | 'digest'>): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Registry host for HTTP: Docker Hub's API lives on registry-1.docker.io. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
