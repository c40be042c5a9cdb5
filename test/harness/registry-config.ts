import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';

export interface RegistryConfigInput {
  port: number;
  storageDir: string;
  readOnly: boolean;
  htpasswdFile?: string;
}

/** The YAML config for `docker-registry serve` (distribution 2.8) listening on 127.0.0.1 only. */
export function registryConfigYaml(input: RegistryConfigInput): string {
  const config = {
    version: 0.1,
    log: { level: 'info', formatter: 'text' },
    storage: {
      filesystem: { rootdirectory: input.storageDir },
      delete: { enabled: true },
      maintenance: {
        uploadpurging: { enabled: false },
        readonly: { enabled: input.readOnly },
      },
    },
    http: {
      addr: `127.0.0.1:${input.port}`,
      secret: randomBytes(16).toString('hex'),
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
    ...(input.htpasswdFile ? { auth: { htpasswd: { realm: 'dockyard-test', path: input.htpasswdFile } } } : {}),
  };
  return stringify(config);
}
