import { statSync } from 'node:fs';
import {
  copyImages,
  CopyScheduler,
  credentialProvider,
  DEFAULT_RETRY,
  locationContext,
  locationName,
  locationSyntaxHelp,
  openSource,
  openTarget,
  parseCredentialsEnvFlag,
  parseLocation,
  RegistryPool,
  type CredentialsSpec,
} from '@dockyard/oci';
import { UsageError, type Command, type ParsedArgs } from '../command';

/** Flags shared by `copy` and `sync`: where plain HTTP is allowed, credentials, limits, retries. */
export const registryOptions = {
  insecure: { type: 'string', multiple: true },
  authfile: { type: 'string' },
  'creds-env': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  platform: { type: 'string', multiple: true },
  retries: { type: 'string' },
  'stall-timeout': { type: 'string' },
  debug: { type: 'boolean' },
} as const;

export const registryOptionsHelp = `  --insecure HOST         allow plain HTTP / unverified TLS for HOST (repeatable; loopback is always allowed)
  --authfile FILE         docker config.json for credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json;
                          auths, credHelpers and credsStore are honoured)
  --creds-env HOST=USER_VAR:PASSWORD_VAR
                          read HOST's username and password from these environment variables (repeatable)
  --concurrency N         parallel transfers per registry or directory (default 16)
  --platform OS/ARCH      copy only these platforms of a multi-arch index (repeatable); a filtered index is
                          written and annotated with the source index digest
  --retries N             attempts per request and blob before giving up (default 6)
  --stall-timeout SEC     abort and resume a transfer that received no data for SEC seconds (default 60)
  --debug                 log every registry request (method, URL path, status; never credentials) to stderr`;

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

/** Builds the shared registry pool from flags plus extra insecure hosts and credential specs (from a project). */
export function registrySettings(
  values: ParsedArgs['values'],
  extra: { insecure?: string[]; credentials?: Record<string, CredentialsSpec>; baseDir?: string } = {},
): RegistrySettings {
  const specs: Record<string, CredentialsSpec> = { ...extra.credentials };
  for (const flag of (values['creds-env'] as string[] | undefined) ?? []) {
    try {
      const [host, spec] = parseCredentialsEnvFlag(flag);
      specs[host] = spec;
    } catch (err) {
      throw new UsageError(`--creds-env: ${(err as Error).message}`);
    }
  }
  const authfile = values.authfile as string | undefined;
  if (authfile && !statSync(authfile, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(`--authfile ${authfile}: no such file (a docker config.json, as \`docker login\` writes it)`);
  const attempts = positiveInt(values.retries, 'retries') ?? DEFAULT_RETRY.attempts;
  const stall = positiveInt(values['stall-timeout'], 'stall-timeout');
  const retry = { ...DEFAULT_RETRY, attempts };
  const pool = new RegistryPool({
    insecure: [...((values.insecure as string[] | undefined) ?? []), ...(extra.insecure ?? [])],
    credentials: credentialProvider(specs, { baseDir: extra.baseDir, defaultDockerConfig: authfile }),
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

const usage = `Usage: dockyard copy SOURCE... DESTINATION [options]

Copies images or multi-arch indexes between any two locations, digests preserved.
Blobs already at the destination are skipped, blobs in another repository of the same
registry are mounted, downloads resume after broken connections, and every blob is
verified against its digest before it is stored. Several sources go into one
destination together: one docker archive holds them all, each shared blob once.

Locations (skopeo's transport names):
${locationSyntaxHelp()}
A destination without REF/REPO:TAG takes each source's name.

Options:
${registryOptionsHelp}

Example:
  dockyard copy docker://127.0.0.1:5000/release/app:v1 docker-archive:app.tar:release/app:v1`;

export const copyCommand: Command = {
  name: 'copy',
  usage,
  options: { ...registryOptions },
  async run({ values, positionals }) {
    if (positionals.length < 2)
      throw new UsageError(`expected SOURCE... and DESTINATION, got ${positionals.length} argument(s)\n\n${usage}`);
    let sources, to;
    try {
      sources = positionals.slice(0, -1).map(parseLocation);
      to = parseLocation(positionals[positionals.length - 1]!);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (sources.length > 1 && Object.values(locationName(to)).some(Boolean)) {
      throw new UsageError(
        `${positionals[positionals.length - 1]} names one image, but ${sources.length} sources were given; name none and each image keeps its source's name`,
      );
    }
    const settings = registrySettings(values);
    const scheduler = new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry });
    try {
      const context = locationContext(settings.pool);
      const pairs = sources.map((from) => ({
        source: openSource(from, context),
        target: openTarget(to, context, from),
      }));
      const results = await copyImages(scheduler, pairs, { platforms: settings.platforms });
      for (const result of results)
        console.log(`${result.status} ${result.source} → ${result.target} ${result.digest}`);
      const { bytes, blobsCopied, blobsSkipped, blobsMounted } = scheduler.stats;
      console.log(`${blobsCopied} blobs copied, ${bytes} bytes; ${blobsSkipped} present; ${blobsMounted} mounted`);
      return 0;
    } catch (err) {
      console.error(`dockyard copy: ${(err as Error).message}`);
      return 1;
    }
  },
};
