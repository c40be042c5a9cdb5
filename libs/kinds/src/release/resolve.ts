import { isReservedHost, readImageLists } from '@dockyard/oci';
import {
  readsPayloadImages,
  releaseImageOrigin,
  releaseShippedImages,
  type LockFile,
  type ShippedImages,
} from '@dockyard/sources';
import { expandLists } from '../shared/image-lists';
import { resolveLock, type ResolveFacts, type ResolveOptions, type ResolveReport } from '../shared/resolve';
import { collectProject } from './collect';
import { listProjectImages } from './images';
import type { ReleaseProject } from './project';

/**
 * What a Release ships. Its image list comes from its collected charts, and collecting needs the component lock
 * just resolved: so collect and images run here, into the folders their cached steps write.
 */
async function shippedImages(
  project: ReleaseProject,
  lock: LockFile,
  report: ResolveReport,
): Promise<ShippedImages | undefined> {
  const { spec } = project;
  const syncListed = spec.sync?.lists?.length
    ? await readImageLists(await expandLists(spec.sync.lists, project.dir))
    : [];
  const { from } = releaseImageOrigin(spec);
  if (from && isReservedHost(from))
    report.notes.push(
      `not locked: the images ${spec.name} lists, read at ${from} (a documentation-only host, RFC 2606, that never resolves)`,
    );
  if ((spec.components ?? []).length && readsPayloadImages(spec)) {
    const collected = await collectProject(project, { lock });
    if (collected.issues.length) {
      report.issues.push(...collected.issues, `collecting ${spec.name} to list its images failed`);
      return undefined;
    }
    const listed = await listProjectImages(project);
    report.warnings.push(...listed.problems.map((p) => `${p.line ? `${p.file}:${p.line}` : p.file}: ${p.message}`));
    if (!listed.outDir) {
      report.issues.push(...listed.missing.map((path) => `${path}: no such file or folder`));
      return undefined;
    }
  }
  return releaseShippedImages(spec, project.file, project.workspaceRoot, syncListed);
}

/** Pins a Release's components and every image it ships (its image list, release image and base) in its lock. */
export function resolveProject(project: ReleaseProject, options: ResolveOptions): Promise<ResolveFacts> {
  return resolveLock(project, options, shippedImages);
}
