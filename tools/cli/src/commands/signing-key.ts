import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  loadSigningKey,
  loadVerificationKey,
  type ImageAt,
  type SigningKey,
  type VerificationKey,
} from '@dockyard/attest';
import { parseReference } from '@dockyard/oci';
import type { SigningSpec } from '@dockyard/project-spec';
import { UsageError, type ParsedArgs } from '../command';
import type { OptionHelp } from '../help';
import { registryHelp, registryOptions, registrySettings } from '../registry-options';

export const signingKeyOptions = {
  key: { type: 'string' },
  'key-env': { type: 'string' },
  'passphrase-env': { type: 'string' },
} as const;

export const signingKeyHelp: OptionHelp[] = [
  ['--key FILE', "the private key (PEM: ECDSA P-256 or Ed25519), instead of project.yaml's sign:"],
  ['--key-env NAME', 'the environment variable holding it'],
  ['--passphrase-env NAME', "the environment variable holding an encrypted key's passphrase"],
];

function fromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the environment variable ${name} (${what}) is not set`);
  return value;
}

async function readKeyFile(file: string, what: string): Promise<Buffer> {
  return readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${what} ${file} (${err.code ?? err.message})`);
  });
}

/**
 * The signing key the command line names, else the project's `sign:` section (its keyFile relative to the project
 * folder). Messages name where the key is, never what it holds.
 */
export async function signingKey(
  values: ParsedArgs['values'],
  project?: { dir: string; file: string; sign?: SigningSpec },
): Promise<SigningKey> {
  const file = values.key as string | undefined;
  const env = values['key-env'] as string | undefined;
  if (file && env) throw new UsageError('--key and --key-env name the same key; give one');
  const passphraseEnv =
    (values['passphrase-env'] as string | undefined) ?? (file || env ? undefined : project?.sign?.passphraseEnv);
  const passphrase = passphraseEnv ? fromEnv(passphraseEnv, 'the key passphrase') : undefined;
  if (file) return loadSigningKey(await readKeyFile(resolve(file), 'the key file'), file, passphrase);
  if (env) return loadSigningKey(fromEnv(env, '--key-env'), `the environment variable ${env}`, passphrase);
  const spec = project?.sign;
  if (spec?.keyFile) {
    const path = resolve(project!.dir, spec.keyFile);
    return loadSigningKey(await readKeyFile(path, `sign.keyFile of ${project!.file}`), path, passphrase);
  }
  if (spec?.keyEnv)
    return loadSigningKey(
      fromEnv(spec.keyEnv, `sign.keyEnv of ${project!.file}`),
      `the environment variable ${spec.keyEnv}`,
      passphrase,
    );
  throw new UsageError(
    project
      ? `${project.file} has no sign: section; give the key with --key FILE or --key-env NAME`
      : 'give the signing key with --key FILE or --key-env NAME',
  );
}

/** The public key a verifying verb is given with --key FILE. */
export async function verificationKey(file: string | undefined): Promise<VerificationKey> {
  if (!file) throw new UsageError('give the public key to verify with: --key FILE (PEM)');
  return loadVerificationKey(await readKeyFile(resolve(file), 'the public key'), file);
}

/** The registry options a verb on one image (`docker://HOST/REPO:TAG`) takes: no transfer limits or platforms. */
const imageOnly = ['concurrency', 'platform', 'retries', 'stall-timeout'] as const;
export const imageRegistryOptions = registryOptions(imageOnly);
export const imageRegistryHelp: OptionHelp[] = registryHelp(imageOnly);

/** `docker://HOST/REPO:TAG` (or `@sha256:…`) connected to, or undefined when the argument names no image. */
export async function imageArgument(
  arg: string | undefined,
  values: ParsedArgs['values'],
): Promise<ImageAt | undefined> {
  if (!arg?.startsWith('docker://')) return undefined;
  const ref = parseReference(arg.slice('docker://'.length));
  const settings = registrySettings(values);
  return {
    conn: await settings.pool.connect(ref.registry),
    repository: ref.repository,
    reference: ref.digest ?? ref.tag ?? 'latest',
  };
}
