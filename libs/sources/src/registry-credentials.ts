import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RegistryCredentials } from '../../spec/src/types';
import { SourceError } from './source-error';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Reads credentials named in project.yaml (env vars, files, docker config.json); never from project.yaml itself. */
export async function loadRegistryCredentials(
  credentials: RegistryCredentials | undefined,
  registry: string,
  baseDir: string,
): Promise<BasicCredentials | undefined> {
  if (!credentials) return undefined;
  if ('usernameEnv' in credentials) {
    const username = process.env[credentials.usernameEnv];
    const password = process.env[credentials.passwordEnv];
    const missing = [username ? undefined : credentials.usernameEnv, password ? undefined : credentials.passwordEnv].filter(Boolean);
    if (missing.length > 0) throw new SourceError(`environment variable ${missing.join(' and ')} is not set (credentials for ${registry})`, `export ${missing.join(' and ')}`);
    return { username: username!, password: password! };
  }
  if ('passwordFile' in credentials) {
    const file = resolve(baseDir, credentials.passwordFile);
    const password = await readFile(file, 'utf8').catch(() => {
      throw new SourceError(`cannot read password file ${file} (credentials for ${registry})`, 'create the file or fix credentials.passwordFile');
    });
    return { username: credentials.username, password: password.trim() };
  }
  const file = resolve(baseDir, credentials.dockerConfig);
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new SourceError(`cannot read docker config ${file}`, 'fix credentials.dockerConfig');
  }
  const entry = Object.entries(config.auths ?? {}).find(([host]) => host.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === registry)?.[1];
  if (!entry) throw new SourceError(`${file} has no auths entry for ${registry}`, `run \`docker login ${registry}\` with that config`);
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  const decoded = Buffer.from(entry.auth ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new SourceError(`the auths entry for ${registry} in ${file} is not user:password`, 'log in again');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
