import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';

export interface RegistryConfigInput {
  port: number;
  storageDir: string;
  readOnly: boolean;
  htpasswdFile?: string;
  tokenAuth?: RegistryTokenAuth;
}

/** distribution's `auth: token` settings: who issues tokens and the certificate that signs them. */
export interface RegistryTokenAuth {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the token signer's certificate. */
  rootCertBundle: string;
}

function authSection(input: RegistryConfigInput): object {
  if (input.tokenAuth) {
    const { realm, service, issuer, rootCertBundle } = input.tokenAuth;
    return { auth: { token: { realm, service, issuer, rootcertbundle: rootCertBundle } } };
  }
  if (input.htpasswdFile) return { auth: { htpasswd: { realm: 'dockyard-test', path: input.htpasswdFile } } };
  return {};
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
    ...authSection(input),
  };
  return stringify(config);
}
