import { checkReference } from '../../oci/src/reference';
import type { BasicCredentials } from './registry-credentials';
import { SourceError } from './source-error';

export interface RegistryRepository {
  registry: string;
  repository: string;
  /** Plain HTTP; loopback registries always use it. */
  insecure?: boolean;
  credentials?: BasicCredentials;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** `host/path` → registry and repository, normalised like Docker (`nginx` → docker.io/library/nginx). */
export function parseRepository(text: string): { registry: string; repository: string } {
  const parsed = checkReference(text);
  if (!parsed.ok || parsed.ref.digest || text.lastIndexOf(':') > text.lastIndexOf('/')) {
    throw new SourceError(`"${text}" is not an image repository${parsed.ok ? ' (leave out the tag and digest)' : ` (${parsed.reason})`}`, 'write it as host/path, e.g. 127.0.0.1:5000/release/app');
  }
  return { registry: parsed.ref.registry, repository: parsed.ref.repository };
}

/** Every tag of a repository (`/v2/<name>/tags/list`, following `Link` pagination). */
export async function listRegistryTags(repo: RegistryRepository): Promise<string[]> {
  const tags: string[] = [];
  let path: string | undefined = `/v2/${repo.repository}/tags/list?n=1000`;
  const session = new RegistrySession(repo);
  while (path) {
    const response = await session.request('GET', path, {});
    const body = (await response.json()) as { tags?: string[] | null };
    tags.push(...(body.tags ?? []));
    const next = /<([^>]+)>;\s*rel="?next"?/.exec(response.headers.get('link') ?? '')?.[1];
    path = next ? new URL(next, session.base).pathname + new URL(next, session.base).search : undefined;
  }
  return tags;
}

/** The digest a tag points at (manifest or index), from `Docker-Content-Digest` of a HEAD request. */
export async function manifestDigest(repo: RegistryRepository, tag: string): Promise<string> {
  const session = new RegistrySession(repo);
  const response = await session.request('HEAD', `/v2/${repo.repository}/manifests/${tag}`, { accept: MANIFEST_TYPES });
  const digest = response.headers.get('docker-content-digest');
  if (!digest) throw new SourceError(`${repo.registry}/${repo.repository}:${tag} answered without a Docker-Content-Digest header`, 'use a registry that implements the OCI distribution spec');
  return digest;
}

/** Token handshake per the distribution spec: anonymous, then Basic or a Bearer token from the realm. */
class RegistrySession {
  readonly base: string;
  private authorization?: string;

  constructor(private readonly repo: RegistryRepository) {
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(repo.registry);
    const host = repo.registry === 'docker.io' ? 'registry-1.docker.io' : repo.registry;
    this.base = `${repo.insecure || loopback ? 'http' : 'https'}://${host}`;
  }

  async request(method: 'GET' | 'HEAD', path: string, headers: Record<string, string>): Promise<Response> {
    let response = await this.send(method, path, headers);
    if (response.status === 401) {
      await response.body?.cancel();
      this.authorization = await this.authorize(response.headers.get('www-authenticate') ?? '');
      response = await this.send(method, path, headers);
    }
    if (!response.ok) {
      await response.body?.cancel();
      const what = `${method} ${this.base}${path.replace(/\?.*$/, '')}`;
      if (response.status === 401 || response.status === 403) throw new SourceError(`${what} was refused (${response.status})`, 'set image.credentials to an account that can pull this repository');
      if (response.status === 404) throw new SourceError(`${what}: not found`, 'check image.repository');
      throw new SourceError(`${what} answered ${response.status}`, 'check the registry');
    }
    return response;
  }

  private async send(method: string, path: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { method, headers: { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}) } });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new SourceError(`cannot reach registry ${this.base}: ${cause}`, 'check the registry address, and image.insecure for plain-HTTP registries');
    }
  }

  private async authorize(challenge: string): Promise<string> {
    const basic = this.repo.credentials ? `Basic ${Buffer.from(`${this.repo.credentials.username}:${this.repo.credentials.password}`).toString('base64')}` : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new SourceError(`registry ${this.repo.registry} requires a login`, 'set image.credentials');
      return basic;
    }
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!/^bearer/i.test(challenge) || !params.realm) throw new SourceError(`registry ${this.repo.registry} asked for unsupported authentication "${challenge.split(' ')[0]}"`, 'use a registry with Basic or Bearer token auth');
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${this.repo.repository}:pull`);
    const response = await fetch(url, { headers: basic ? { authorization: basic } : {} }).catch((err: Error) => {
      throw new SourceError(`cannot reach token service ${url.origin}: ${err.message}`, 'check the registry');
    });
    if (!response.ok) throw new SourceError(`token service ${url.origin} refused (${response.status})`, 'set image.credentials to an account that can pull this repository');
    const body = (await response.json()) as { token?: string; access_token?: string };
    return `Bearer ${body.token ?? body.access_token ?? ''}`;
  }
}
