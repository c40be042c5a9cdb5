import { readFile } from 'node:fs/promises';
import { lookupDockerConfig } from './docker-config';

export type Credential = { username: string; password: string } | { identityToken: string };

/** How a project names credentials: env var names, a password file, or a docker config.json — never the secret itself. */
export type CredentialsSpec =
  | { usernameEnv: string; passwordEnv: string }
  | { username: string; passwordFile: string }
  | { dockerConfig: string };

export type CredentialProvider = (registry: string) => Promise<Credential | undefined>;

export class CredentialsError extends Error {}

/** Resolves a spec for one registry; `baseDir` anchors relative file paths (the project dir). */
export async function resolveCredentials(spec: CredentialsSpec, registry: string, baseDir = process.cwd(), env = process.env): Promise<Credential | undefined> {
  if ('usernameEnv' in spec) {
    const username = env[spec.usernameEnv];
    const password = env[spec.passwordEnv];
    const missing = [!username && spec.usernameEnv, !password && spec.passwordEnv].filter(Boolean);
    if (missing.length) throw new CredentialsError(`credentials for ${registry}: environment variable ${missing.join(' and ')} is not set`);
    return { username: username!, password: password! };
  }
  if ('passwordFile' in spec) {
    const path = resolvePath(baseDir, spec.passwordFile);
    try {
      return { username: spec.username, password: (await readFile(path, 'utf8')).replace(/\r?\n$/, '') };
    } catch (err) {
      throw new CredentialsError(`credentials for ${registry}: cannot read password file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return lookupDockerConfig(resolvePath(baseDir, spec.dockerConfig), registry);
}

function resolvePath(baseDir: string, path: string): string {
  return path.startsWith('/') ? path : `${baseDir}/${path}`;
}

/** Explicit per-registry specs first, then the user's docker config (DOCKER_CONFIG or ~/.docker). */
export function credentialProvider(specs: Record<string, CredentialsSpec>, options: { baseDir?: string; defaultDockerConfig?: string | false } = {}): CredentialProvider {
  return async (registry) => {
    const spec = specs[registry];
    if (spec) return resolveCredentials(spec, registry, options.baseDir);
    if (options.defaultDockerConfig === false) return undefined;
    const path = options.defaultDockerConfig ?? `${process.env.DOCKER_CONFIG ?? `${process.env.HOME ?? ''}/.docker`}/config.json`;
    return lookupDockerConfig(path, registry, { missingIsEmpty: true });
  };
}

/** `HOST=USER_VAR:PASS_VAR` (a command-line flag) → a spec naming two environment variables. */
export function parseCredentialsEnvFlag(value: string): [string, CredentialsSpec] {
  const match = /^([^=]+)=([A-Za-z_][A-Za-z0-9_]*):([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (!match) throw new CredentialsError(`"${value}" is not HOST=USER_VAR:PASSWORD_VAR (names of environment variables, not the secrets)`);
  return [match[1]!, { usernameEnv: match[2]!, passwordEnv: match[3]! }];
}
