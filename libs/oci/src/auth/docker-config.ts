import { readFile } from 'node:fs/promises';
import { CredentialsError, type Credential } from './credential';

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Keys docker writes for one registry: `host`, `https://host`, and the legacy Hub URL. */
function candidateKeys(registry: string): string[] {
  const keys = [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
  if (registry === 'docker.io') keys.push('https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io');
  return keys;
}

async function fromHelper(helper: string, registry: string): Promise<Credential | undefined> {
  const program = `docker-credential-${helper}`;
  // Loaded only when a helper is configured: node:child_process is a measurable part of a no-op sync's start.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { timeout: 30_000 }, (err, stdout) => {
      if (err) {
        if (/credentials not found/i.test(stdout)) return resolve(undefined);
        return reject(
          new CredentialsError(
            `credential helper ${program} failed for ${registry}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'program not found on PATH' : `exit ${err.code}`}`,
            { cause: err },
          ),
        );
      }
      try {
        const { Username, Secret } = JSON.parse(stdout) as { Username: string; Secret: string };
        resolve(Username === '<token>' ? { identityToken: Secret } : { username: Username, password: Secret });
      } catch (err) {
        reject(
          new CredentialsError(`credential helper ${program} printed something that is not JSON for ${registry}`, {
            cause: err,
          }),
        );
      }
    });
    child.stdin?.end(registry);
  });
}

/** Looks one registry up in a docker config.json: credHelpers, then auths, then credsStore. */
export async function lookupDockerConfig(
  path: string,
  registry: string,
  options: { missingIsEmpty?: boolean } = {},
): Promise<Credential | undefined> {
  let config: DockerConfigFile;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DockerConfigFile;
  } catch (err) {
    if (options.missingIsEmpty && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialsError(
      `cannot read docker config ${path}: ${(err as NodeJS.ErrnoException).code ?? 'not valid JSON'}`,
      { cause: err },
    );
  }
  const keys = candidateKeys(registry);
  const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean);
  if (helper) return fromHelper(helper, registry);
  const entry = keys.map((k) => config.auths?.[k]).find(Boolean);
  if (entry?.identitytoken) return { identityToken: entry.identitytoken };
  if (entry?.username && entry.password) return { username: entry.username, password: entry.password };
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new CredentialsError(
        `docker config ${path}: the "auth" entry for ${registry} is not base64 of user:password`,
      );
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (config.credsStore) return fromHelper(config.credsStore, registry);
  return undefined;
}
