import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { sameFile, writeFileAtomic } from '@dockyard/files';
import { bundleFileDescriptor, type ContentStore, type Descriptor } from '@dockyard/oci';
import { BUNDLE_DESCRIPTOR } from '@dockyard/project-spec/output-paths';
import type { WrittenBundle } from './write-bundle';

/** The descriptor beside a bundle file. */
export function descriptorBeside(output: string): string {
  return join(dirname(output), BUNDLE_DESCRIPTOR);
}

/**
 * Keeps a bundle just written (hashed as it was written) in the content store by its digest, pushed to the store's
 * shared tier, and writes its descriptor beside it: with a shared tier, the descriptor is what a cache keeps of the
 * bundle, and any machine gets the archive back by its digest.
 */
export async function keepBundle(written: WrittenBundle, store: ContentStore): Promise<Descriptor> {
  if (!written.digest) throw new Error(`${written.file} was written without its digest`);
  const descriptor = bundleFileDescriptor(written.file, written.digest, written.size);
  await store.adopt(written.file, descriptor);
  await writeFileAtomic(descriptorBeside(written.file), `${JSON.stringify(descriptor, null, 2)}\n`);
  return descriptor;
}

/**
 * The bundle file `output`, as the descriptor beside it says it is: when only the descriptor is there (a cache restored
 * it on a machine that never wrote the bundle) or the file there is another one (left by an older run), the archive is
 * fetched by digest from the content store or its shared tier, checked, and linked into place. Without a descriptor
 * (no shared tier), `output` is taken as it is.
 */
export async function describedBundle(output: string, store: ContentStore): Promise<string> {
  const file = descriptorBeside(output);
  const descriptor = await readDescriptor(file);
  if (!descriptor || descriptor.annotations?.['org.opencontainers.image.title'] !== basename(output)) return output;
  if (await sameFile(output, store.path(descriptor.digest))) return output;
  await store.placeAt(descriptor, output, () => new BundleNotStoredError(output, file, descriptor.digest, store));
  return output;
}

/** A bundle's descriptor names an archive that neither the local store nor its shared tier holds. */
export class BundleNotStoredError extends DockyardError {
  /** The project whose bundle it is (`dist/<project>/bundle/<file>`). */
  readonly project: string;

  constructor(output: string, descriptorFile: string, digest: string, store: ContentStore) {
    super(
      `${output} is not here and ${descriptorFile} names it as ${digest}, which neither the content store ${store.dir} nor ${store.shared ? `the shared store ${store.shared.key}` : 'a shared store (none is set)'} holds: the descriptor came from a cache filled by a machine whose store this one does not reach`,
      { code: 'BUNDLE_NOT_STORED' },
    );
    this.project = basename(dirname(dirname(output)));
  }
}

async function readDescriptor(file: string): Promise<Descriptor | undefined> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Descriptor;
    if (/^sha256:[0-9a-f]{64}$/.test(parsed.digest) && Number.isSafeInteger(parsed.size)) return parsed;
  } catch {
    // Reported below, as a descriptor that is not one.
  }
  throw new DockyardError(`${file}: not a bundle descriptor (an OCI descriptor with a sha256 digest and a size)`, {
    code: 'BUNDLE_DESCRIPTOR',
    hint: 'remove it and make the bundle again',
  });
}
