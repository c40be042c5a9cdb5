/** A release's images by name (repository:tag as shipped), each with its digest. */
export type ImageSet = ReadonlyMap<string, string>;

export interface ImageChanges {
  added: { name: string; digest: string }[];
  removed: { name: string; digest: string }[];
  moved: { name: string; from: string; to: string }[];
}

/** What changed between two image sets, each list sorted by name. */
export function imageChanges(before: ImageSet, after: ImageSet): ImageChanges {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ImageChanges = { added: [], removed: [], moved: [] };
  for (const name of names) {
    const from = before.get(name);
    const to = after.get(name);
    if (from === undefined) changes.added.push({ name, digest: to! });
    else if (to === undefined) changes.removed.push({ name, digest: from });
    else if (from !== to) changes.moved.push({ name, from, to });
  }
  return changes;
}

export interface ReleaseChanges {
  project: string;
  /** Where the image sets were read, e.g. "the bundle inventories" or "project.lock.yaml". */
  source: string;
  changes: ImageChanges;
  /** The project is new at head. */
  isNew?: boolean;
}

const short = (digest: string) => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** The job summary: one section per affected Release with a table of its image changes. */
export function summaryMarkdown(releases: ReleaseChanges[], base: string, head: string): string {
  const lines = [`## Dockyard: images of the affected releases (${short(base)}..${short(head)})`, ''];
  if (!releases.length) lines.push('No release is affected.', '');
  for (const release of releases) {
    const { added, removed, moved } = release.changes;
    const counts = `${added.length} added, ${removed.length} removed, ${moved.length} moved`;
    lines.push(`### ${release.project}${release.isNew ? ' (new)' : ''}`, '', `${counts} (from ${release.source})`, '');
    if (!added.length && !removed.length && !moved.length) continue;
    lines.push('| | image | before | after |', '| --- | --- | --- | --- |');
    for (const a of added) lines.push(`| added | ${code(a.name)} | | ${code(short(a.digest))} |`);
    for (const r of removed) lines.push(`| removed | ${code(r.name)} | ${code(short(r.digest))} | |`);
    for (const m of moved) lines.push(`| moved | ${code(m.name)} | ${code(short(m.from))} | ${code(short(m.to))} |`);
    lines.push('');
  }
  return lines.join('\n');
}
