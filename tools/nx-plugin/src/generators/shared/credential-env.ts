/**
 * Environment variable names derived from a host, e.g. docker.io -> DOCKER_IO, so each registry or bucket
 * gets its own pair of credential variables and none is ever written into project.yaml.
 */
export function envPrefix(host: string): string {
  const prefix = host
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(prefix) ? `REGISTRY_${prefix}` : prefix;
}
