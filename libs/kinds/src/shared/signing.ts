import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  imagePackages,
  loadSigningKey,
  signImage,
  type InstalledPackage,
  type SignedImage,
  type SigningKey,
} from '@dockyard/attest';
import { DockyardError } from '@dockyard/errors';
import type { RegistryPool, ImageSource, ImageOrIndex } from '@dockyard/oci';
import { readImage } from '@dockyard/oci';
import type { OpenedProject, SigningSpec } from '@dockyard/project-spec';
import { fieldLocation } from './field-location';
import { PreflightError } from './preflight';

type SigningProject = Pick<OpenedProject, 'file' | 'loaded' | 'dir'> & { spec: { sign?: SigningSpec } };

/**
 * The key a project's `sign:` section names (its keyFile relative to the project folder), read before anything is
 * pushed: a variable that is not set names its project.yaml line. Undefined when the project does not sign.
 */
export async function projectSigningKey(
  project: SigningProject,
  env: NodeJS.ProcessEnv,
): Promise<SigningKey | undefined> {
  const sign = project.spec.sign;
  if (!sign) return undefined;
  const unset = (field: string, name: string, what: string) =>
    new PreflightError([
      `${fieldLocation(project, ['sign', field])}: the environment variable ${name} (${what}) is not set; nothing was pushed`,
    ]);
  const passphrase = sign.passphraseEnv ? env[sign.passphraseEnv] : undefined;
  if (sign.passphraseEnv && !passphrase) throw unset('passphraseEnv', sign.passphraseEnv, 'the key passphrase');
  if (sign.keyEnv) {
    const pem = env[sign.keyEnv];
    if (!pem) throw unset('keyEnv', sign.keyEnv, 'the signing key');
    return loadSigningKey(pem, `the environment variable ${sign.keyEnv}`, passphrase);
  }
  const path = resolve(project.dir, sign.keyFile!);
  const pem = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new DockyardError(`${fieldLocation(project, ['sign', 'keyFile'])}: cannot read ${path} (${err.code})`, {
      code: 'attest.key-missing',
      hint: 'nothing was pushed; give the path of the PEM private key, relative to the project folder',
      cause: err,
    });
  });
  return loadSigningKey(pem, path, passphrase);
}

/** What the databases of every platform image of a built image list (an index: each child's). */
export async function builtImagePackages(source: ImageSource): Promise<InstalledPackage[]> {
  const packages: InstalledPackage[] = [];
  const visit = async (model: ImageOrIndex): Promise<void> => {
    if (model.kind === 'image') packages.push(...(await imagePackages(model)).packages);
    else for (const child of model.children) await visit(await child.load());
  };
  await visit(await readImage(source));
  return packages;
}

/** Signs a pushed manifest digest, attaching its SBOM (with `packages`) and provenance as referrers. */
export async function signPushed(
  pool: RegistryPool,
  pushed: { registry: string; repository: string; digest: string },
  key: SigningKey,
  packages: InstalledPackage[],
): Promise<SignedImage> {
  const conn = await pool.connect(pushed.registry);
  return signImage({ conn, repository: pushed.repository, reference: pushed.digest }, key, { packages });
}
