/** An image reference parsed the way Docker does: `nginx` → `docker.io/library/nginx:latest`. */
export interface ImageRef {
  /** Registry host with optional port, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export class ReferenceError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid image reference "${input}": ${reason}`);
  }
}

function looksLikeHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost' || part !== part.toLowerCase();
}

/** Parses `[host[:port]/]path[:tag][@digest]`; tag and digest are both kept when both are given. */
export function parseReference(input: string, defaults: { tag?: string } = {}): ImageRef {
  let rest = input.trim();
  if (rest === '') throw new ReferenceError(input, 'empty');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ReferenceError(input, `"${digest}" is not a digest (algorithm:hex)`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ReferenceError(input, `"${tag}" is not a valid tag`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && looksLikeHost(parts[0]!)) registry = parts.shift()!;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) throw new ReferenceError(input, `repository path component "${part}" must be lower-case letters, digits and separators`);
  }
  if (!tag && !digest) tag = defaults.tag ?? 'latest';
  return { registry, repository: parts.join('/'), tag, digest };
}

/** The canonical text form, `host/repo:tag@digest` (parts that are absent are left out). */
export function formatReference(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** What to ask a registry for: the digest when pinned (it is immutable), otherwise the tag. */
export function manifestReference(ref: Pick<ImageRef, 'tag' | 'digest'>): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Registry host for HTTP: Docker Hub's API lives on registry-1.docker.io. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
