import type { ProjectSpec, RegistryCredentials } from './types';

/** How a project reaches its registries: credentials and plain-HTTP permission, by registry host. */
export interface RegistryAccess {
  credentials: Record<string, RegistryCredentials>;
  insecure: string[];
}

const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);

/**
 * The registry host of a repository (`HOST/PATH[:TAG]`), by Docker's rule: the first component is a host when it has
 * a dot or a port, upper case, or is localhost; otherwise the repository is on Docker Hub.
 */
export function repositoryHost(repository: string): string {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
  return !isHost || DOCKER_HUB_ALIASES.has(first) ? 'docker.io' : first;
}

/** The host of a registry endpoint written `HOST[/PREFIX]`. */
function endpointHost(registry: string): string {
  return registry.replace(/^docker:\/\//, '').split('/')[0]!;
}

interface Endpoint {
  host: string;
  credentials?: RegistryCredentials;
  insecure?: boolean;
}

function endpointsOf(spec: ProjectSpec): Endpoint[] {
  switch (spec.kind) {
    case 'Release':
    case 'Plugin': {
      const sync = spec.sync
        ? [spec.sync.from, ...spec.sync.to].map((e) => ({ ...e, host: endpointHost(e.registry) }))
        : [];
      const oci = (spec.publish?.oci ?? []).map((t) => ({ ...t, host: repositoryHost(t.repository) }));
      const build =
        spec.kind === 'Release' && spec.build ? [{ ...spec.build, host: repositoryHost(spec.build.image) }] : [];
      return [...sync, ...build, ...oci];
    }
    case 'AppImage':
      return [spec, ...(spec.publish?.registries ?? [])].map((r) => ({ ...r, host: repositoryHost(r.repository) }));
    case 'ContainerImage':
      return spec.registries.map((r) => ({ ...r, host: endpointHost(r.registry) }));
    default:
      return [];
  }
}

/**
 * Every registry project.yaml names (sync endpoints, build and publish targets), merged by host: the first entry
 * that gives a host credentials is the one used, and a host any entry marks insecure is insecure.
 */
export function registryAccess(spec: ProjectSpec): RegistryAccess {
  const credentials: Record<string, RegistryCredentials> = {};
  const insecure = new Set<string>();
  for (const endpoint of endpointsOf(spec)) {
    const { host } = endpoint;
    if (endpoint.credentials && !credentials[host]) credentials[host] = endpoint.credentials;
    if (endpoint.insecure) insecure.add(host);
  }
  return { credentials, insecure: [...insecure] };
}
