import { DockyardError } from '@dockyard/errors';
import type { RegistryCredentials } from '@dockyard/project-spec';

/** A secret resolved for one registry: what the Basic header or the token service receives. */
export type Credential = { username: string; password: string } | { identityToken: string };

/**
 * How a project names credentials (env var names, a password file, or a docker config.json — never the
 * secret itself). project.yaml's shape, so libs/project-spec's schema types own it; a type-only import, no runtime edge.
 */
export type CredentialsSpec = RegistryCredentials;

/** Credentials a project names cannot be had (a variable unset, a file or helper failing): callers word where to fix them. */
export class CredentialsError extends DockyardError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { code: 'CREDENTIALS_UNAVAILABLE', ...options });
  }
}
