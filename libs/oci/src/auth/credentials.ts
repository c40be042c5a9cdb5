import { readFile } from 'node:fs/promises';
import { CredentialsError, type Credential, type CredentialsSpec } from './credential';
import { lookupDockerConfig } from './docker-config';

export { CredentialsError, type Credential, type CredentialsSpec } from './credential';

export type CredentialProvider = (registry: string) => Promise<Credential | undefined>;

/** Resolves a spec for one registry; `baseDir` anchors relative file paths (the project dir). */
export async function resolveCredentials(
  spec: CredentialsSpec,
  registry: string,
  baseDir = process.cwd(),
  env = process.env,
): Promise<Credential | undefined> {
  if ('usernameEnv' in spec) {
    const username = env[spec.usernameEnv];
    const password = env[spec.passwordEnv];
    const missing = [
      !username && describeVariable('username', spec.usernameEnv),
      !password && describeVariable('password', spec.passwordEnv),
    ].filter(Boolean);
    if (missing.length) {
      throw new CredentialsError(
        `credentials for ${registry}: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
        { hint: 'export it, or fix usernameEnv/passwordEnv' },
      );
    }
    return { username: username!, password: password! };
  }
  if ('passwordFile' in spec) {
    const path = resolvePath(baseDir, spec.passwordFile);
    try {
      return { username: spec.username, password: (await readFile(path, 'utf8')).replace(/\r?\n$/, '') };
    } catch (err) {
      throw new CredentialsError(
        `credentials for ${registry}: cannot read password file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
  }
  return lookupDockerConfig(resolvePath(baseDir, spec.dockerConfig), registry);
}

/**
 * Names a conventional variable (HARBOR_PASSWORD) so the user knows what to export; anything else by its
 * role only, since a "name" that is not one is usually the secret itself pasted in by mistake.
 */
function describeVariable(role: string, name: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(name) ? `${name} (the ${role})` : `the environment variable named for the ${role}`;
}

function resolvePath(baseDir: string, path: string): string {
  return path.startsWith('/') ? path : `${baseDir}/${path}`;
}

/** Explicit per-registry specs first, then the user's docker config (DOCKER_CONFIG or ~/.docker). */
export function credentialProvider(
  specs: Record<string, CredentialsSpec>,
  options: { baseDir?: string; defaultDockerConfig?: string | false } = {},
): CredentialProvider {
  return async (registry) => {
    const spec = specs[registry];
    if (spec) return resolveCredentials(spec, registry, options.baseDir);
    if (options.defaultDockerConfig === false) return undefined;
    // A config file someone named must exist; only the conventional place may be absent.
    if (options.defaultDockerConfig) return lookupDockerConfig(options.defaultDockerConfig, registry);
    return lookupDockerConfig(
      `${process.env.DOCKER_CONFIG ?? `${process.env.HOME ?? ''}/.docker`}/config.json`,
      registry,
      { missingIsEmpty: true },
    );
  };
}
