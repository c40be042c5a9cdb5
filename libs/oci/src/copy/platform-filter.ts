import { indexChildren, manifestBlob, platformMatches, platformString, type ManifestBlob } from '../manifest';

export const SOURCE_INDEX_ANNOTATION = 'io.dockyard.source.index.digest';

/**
 * An index holding only the wanted platforms. Its digest differs from the source's, so the
 * source index digest is recorded as an annotation; unchanged when every child matches.
 */
export function filterIndex(index: ManifestBlob, platforms: string[]): ManifestBlob {
  const children = indexChildren(index);
  const kept = children.filter((child) => platforms.some((wanted) => platformMatches(child.platform, wanted)));
  if (kept.length === 0) {
    const offered = children.map((c) => platformString(c.platform)).join(', ');
    throw new Error(`index ${index.digest} has no manifest for ${platforms.join(', ')} (it offers ${offered})`);
  }
  if (kept.length === children.length) return index;
  const json = JSON.parse(index.bytes.toString('utf8')) as { manifests: unknown[]; annotations?: Record<string, string> };
  json.manifests = kept;
  json.annotations = { ...json.annotations, [SOURCE_INDEX_ANNOTATION]: index.digest };
  return manifestBlob(Buffer.from(JSON.stringify(json, null, 2)), index.mediaType);
}
