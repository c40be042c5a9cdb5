/**
 * Docker-style image references: parse, normalise (`nginx` → `docker.io/library/nginx:latest`)
 * and format. Follows github.com/distribution/reference (the grammar dockerd uses).
 * Kept here until libs/oci's ImageRef lands; the two should merge.
 */
export interface ImageReference {
  /** Registry host with optional port, e.g. `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path without the registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const DEFAULT_TAG = 'latest';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

export type ParseResult = { ok: true; ref: ImageReference } | { ok: false; reason: string };

/** Parses and normalises a reference the way `docker pull` would read it. */
export function parseReference(input: string): ParseResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty reference' };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, reason: `invalid digest "${digest}"` };
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return { ok: false, reason: `invalid tag "${tag}"` };
  }
  const { registry, path } = splitDomain(rest);
  if (!DOMAIN.test(registry)) return { ok: false, reason: `invalid registry "${registry}"` };
  if (path === '' || path.length > MAX_NAME_LENGTH) return { ok: false, reason: `invalid repository "${path}"` };
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      return { ok: false, reason: `invalid repository "${path}" (components are lower-case letters, digits and . _ -)` };
    }
  }
  if (!tag && !digest) tag = DEFAULT_TAG;
  return { ok: true, ref: { registry, repository: path, tag, digest } };
}

function splitDomain(name: string): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const looksLikeDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let registry = looksLikeDomain ? first : DEFAULT_REGISTRY;
  let path = looksLikeDomain ? name.slice(slash + 1) : name;
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) path = `library/${path}`;
  return { registry, path };
}

/** `registry/repository[:tag][@digest]` — the canonical form used as identity. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${formatWithoutRegistry(ref)}`;
}

/** `repository[:tag][@digest]` — the `images_platform.list` form, registry host stripped. */
export function formatWithoutRegistry(ref: ImageReference): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
