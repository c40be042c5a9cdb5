import { CredentialsError, resolveCredentials } from '@dockyard/oci';
import type { ObjectStoreTarget, OciPublishTarget } from '@dockyard/project-spec';
import { resolveObjectStore, type ResolvedObjectStore } from './object-store';

export interface PublishTargets {
  /** Every object store; one whose credentials are missing is resolved without them (enough to print a plan). */
  stores: ResolvedObjectStore[];
  /** Each credential that cannot be had (an unset variable, an unreadable password file), naming where it is named. */
  problems: string[];
}

/**
 * Resolves every destination's credentials before anything is uploaded, so that a missing one stops the run up
 * front and every missing one is named at once, not the first one met halfway through.
 */
export async function resolvePublishTargets(
  publish: { objectStore?: ObjectStoreTarget[]; oci?: OciPublishTarget[] } | undefined,
  env: NodeJS.ProcessEnv,
  file: string,
  baseDir: string,
): Promise<PublishTargets> {
  const problems: string[] = [];
  const stores = (publish?.objectStore ?? []).map((target, i) => {
    const where = `${file}:publish.objectStore[${i}]`;
    try {
      return resolveObjectStore(target, env, where);
    } catch (err) {
      // Resolved again without credentials: what is still wrong (the URL) is thrown as it is; else credentials were.
      const plan = resolveObjectStore({ ...target, credentials: undefined }, {}, where);
      problems.push((err as Error).message);
      return plan;
    }
  });
  for (const [i, target] of (publish?.oci ?? []).entries()) {
    if (!target.credentials) continue;
    await resolveCredentials(target.credentials, target.repository.split('/')[0]!, baseDir, env).catch(
      (err: unknown) => {
        if (!(err instanceof CredentialsError)) throw err;
        problems.push(`${file}:publish.oci[${i}]: ${err.message}`);
      },
    );
  }
  return { stores, problems };
}
