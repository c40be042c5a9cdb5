import { statSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { credentialProvider, DEFAULT_RETRY, RegistryPool, type CredentialsSpec } from '@dockyard/oci';
import type { RegistryAccess } from '@dockyard/project-spec';
import { UsageError, type ParsedArgs } from './command';
import type { OptionHelp } from './help';

// The options every verb that talks to registries shares, parsed and listed in one place.

type Options = NonNullable<ParseArgsConfig['options']>;

const shared: { name: string; config: Options[string]; help: OptionHelp }[] = [
  {
    name: 'insecure',
    config: { type: 'string', multiple: true },
    help: ['--insecure HOST', 'allow plain HTTP / unverified TLS for HOST (repeatable; loopback is always allowed)'],
  },
  {
    name: 'authfile',
    config: { type: 'string' },
    help: [
      '--authfile FILE',
      'docker config.json for credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json; auths, credHelpers and credsStore are honoured)',
    ],
  },
  {
    name: 'creds-env',
    config: { type: 'string', multiple: true },
    help: [
      '--creds-env HOST=USER_VAR:PASSWORD_VAR',
      "read HOST's username and password from these environment variables (repeatable)",
    ],
  },
  {
    name: 'concurrency',
    config: { type: 'string' },
    help: ['--concurrency N', 'parallel transfers per registry or directory (default 16)'],
  },
  {
    name: 'platform',
    config: { type: 'string', multiple: true },
    help: [
      '--platform OS/ARCH',
      'copy only these platforms of a multi-arch index (repeatable); a filtered index is written and annotated with the source index digest',
    ],
  },
  {
    name: 'retries',
    config: { type: 'string' },
    help: ['--retries N', 'attempts per request and blob before giving up (default 6)'],
  },
  {
    name: 'stall-timeout',
    config: { type: 'string' },
    help: ['--stall-timeout SEC', 'abort and resume a transfer that received no data for SEC seconds (default 60)'],
  },
  {
    name: 'debug',
    config: { type: 'boolean' },
    help: ['--debug', 'log every registry request (method, URL path, status; never credentials) to stderr'],
  },
];

/** Options a verb leaves out because they do nothing for it (`platform` for a bundle upload or a registry listing). */
type Without = readonly ('concurrency' | 'platform' | 'retries' | 'stall-timeout')[];

/** The shared registry options, for a verb's `options`. */
export function registryOptions(without: Without = []): Options {
  return Object.fromEntries(
    shared.filter((o) => !(without as readonly string[]).includes(o.name)).map((o) => [o.name, o.config]),
  );
}

/** The shared registry options, for a verb's help table. */
export function registryHelp(without: Without = []): OptionHelp[] {
  return shared.filter((o) => !(without as readonly string[]).includes(o.name)).map((o) => o.help);
}

/**
 * `--creds-env HOST=USER_VAR:PASSWORD_VAR` → a spec naming two environment variables. Names must be upper case, so
 * `host=alice:hunter2` is refused; the refusal names only the host, since the rest may be the secret.
 */
function credsEnv(value: string): [string, CredentialsSpec] {
  const match = /^([^=]+)=([A-Z_][A-Z0-9_]*):([A-Z_][A-Z0-9_]*)$/.exec(value);
  if (!match) {
    const host = /^[A-Za-z0-9.-]+(:[0-9]+)?(?==)/.exec(value)?.[0];
    throw new UsageError(
      `--creds-env${host ? ` for ${host}` : ''} is not HOST=USER_VAR:PASSWORD_VAR (upper-case names of environment variables, not the secrets)`,
    );
  }
  return [match[1]!, { usernameEnv: match[2]!, passwordEnv: match[3]! }];
}

export function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive whole number, got "${value}"`);
  return n;
}

export interface RegistrySettings {
  pool: RegistryPool;
  concurrency?: number;
  platforms?: string[];
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
}

/**
 * The registry pool of one run: the flags, on top of what a project names for its registries (credentials and
 * insecure hosts by host, from openProject; its credential files are read relative to `baseDir`).
 */
export function registrySettings(
  values: ParsedArgs['values'],
  project: { registries?: RegistryAccess; dir?: string } = {},
): RegistrySettings {
  const specs: Record<string, CredentialsSpec> = { ...project.registries?.credentials };
  for (const flag of (values['creds-env'] as string[] | undefined) ?? []) {
    const [host, spec] = credsEnv(flag);
    specs[host] = spec;
  }
  const authfile = values.authfile as string | undefined;
  if (authfile && !statSync(authfile, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(`--authfile ${authfile}: no such file (a docker config.json, as \`docker login\` writes it)`);
  const attempts = positiveInt(values.retries, 'retries') ?? DEFAULT_RETRY.attempts;
  const stall = positiveInt(values['stall-timeout'], 'stall-timeout');
  const retry = { ...DEFAULT_RETRY, attempts };
  const pool = new RegistryPool({
    insecure: [...((values.insecure as string[] | undefined) ?? []), ...(project.registries?.insecure ?? [])],
    credentials: credentialProvider(specs, { baseDir: project.dir, defaultDockerConfig: authfile }),
    retry,
    stallTimeoutMs: stall ? stall * 1000 : undefined,
    log: values.debug ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined,
    userAgent: 'dockyard',
  });
  return {
    pool,
    concurrency: positiveInt(values.concurrency, 'concurrency'),
    platforms: values.platform as string[] | undefined,
    retry,
  };
}
