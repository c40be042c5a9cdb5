import { createHash } from 'node:crypto';
import type { TarEntry } from '@dockyard/oci';
import type { Arch } from '@dockyard/project-spec';

/** Raised when an engine build starts to make something else of the same inputs, so older keys stop matching. */
const KEY_FORMAT = 'dockyard-engine-build-1';

export interface EngineBuildInputs {
  dockerfile: string;
  arch: Arch;
  /** The build-context files besides the Dockerfile. */
  context: readonly TarEntry[];
  /** Digests already known of context files, by path (a base rootfs read from the content store); others are hashed. */
  knownDigests?: ReadonlyMap<string, string>;
}

async function contentDigest(entry: TarEntry): Promise<string> {
  const hash = createHash('sha256');
  if (Buffer.isBuffer(entry.content)) hash.update(entry.content);
  else if (entry.content) for await (const chunk of await entry.content()) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * What decides an engine build's result, as one digest: the Dockerfile, the arch and every context file's path,
 * type, mode, link and content. The build runs offline (network none) with only TARGETARCH and friends as
 * arguments, so two builds with one key differ in timestamps only, the way Docker's own layer cache treats a RUN
 * whose parent and instruction did not change.
 */
export async function engineBuildKey(inputs: EngineBuildInputs): Promise<string> {
  const entries = await Promise.all(
    [...inputs.context]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map(async (entry) => [
        entry.path,
        entry.type,
        entry.mode ?? null,
        entry.linkpath ?? null,
        entry.type === 'file' ? (inputs.knownDigests?.get(entry.path) ?? (await contentDigest(entry))) : null,
      ]),
  );
  const key = JSON.stringify([KEY_FORMAT, inputs.arch, inputs.dockerfile, entries]);
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
