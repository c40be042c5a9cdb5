import { DockyardError } from '@dockyard/errors';
import { DEFINITION_PROPERTY } from './sbom';
import type { ContainedFile, ContainedImage, ReleaseContents, SourceComponent } from './subject';

interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  'bom-ref'?: string;
  hashes?: { alg: string; content: string }[];
  externalReferences?: { type: string; url: string }[];
  properties?: { name: string; value: string }[];
}

interface CdxDocument {
  bomFormat?: string;
  metadata?: { component?: CdxComponent; properties?: { name: string; value: string }[] };
  components?: CdxComponent[];
}

function property(c: CdxComponent, name: string): string | undefined {
  return c.properties?.find((p) => p.name === name)?.value;
}

function sha256Of(c: CdxComponent): string | undefined {
  return c.hashes?.find((h) => h.alg === 'SHA-256')?.content;
}

function reference(c: CdxComponent, type: string): string | undefined {
  return c.externalReferences?.find((r) => r.type === type)?.url;
}

function imageOf(c: CdxComponent): ContainedImage {
  return {
    name: c.version ? `${c.name}:${c.version}` : c.name,
    digest: property(c, 'dockyard:image:digest') ?? `sha256:${sha256Of(c)}`,
    ...(property(c, 'dockyard:image:mediaType') ? { mediaType: property(c, 'dockyard:image:mediaType') } : {}),
    platforms: (c.properties ?? []).filter((p) => p.name === 'dockyard:image:platform').map((p) => p.value),
    location: property(c, 'dockyard:bundle:location') ?? '',
    ...(property(c, 'dockyard:image:source') ? { source: property(c, 'dockyard:image:source') } : {}),
  };
}

function sourceOf(c: CdxComponent, kind: string): SourceComponent {
  const name = property(c, 'dockyard:component') ?? c.name;
  if (kind === 'git')
    return {
      name,
      git: { url: reference(c, 'vcs') ?? '', tag: c.version ?? '', commit: property(c, 'dockyard:git:commit') ?? '' },
    };
  if (kind === 'helm')
    return {
      name,
      helm: {
        repository: property(c, 'dockyard:helm:repository') ?? '',
        chart: c.name,
        version: c.version ?? '',
        url: reference(c, 'distribution') ?? '',
        digest: `sha256:${sha256Of(c)}`,
      },
    };
  const digest = property(c, 'dockyard:image:digest');
  return { name, image: { repository: c.name, tag: c.version ?? '', ...(digest ? { digest } : {}) } };
}

function fileOf(c: CdxComponent): ContainedFile {
  const url = reference(c, 'distribution');
  return { path: c.name, sha256: sha256Of(c) ?? '', ...(url ? { url } : {}) };
}

/** What a Dockyard SBOM (`releaseSbom`) says a release holds, read back: provenance is stated from the bundle itself. */
export function readReleaseContents(sbom: Buffer, where: string): ReleaseContents {
  let doc: CdxDocument;
  try {
    doc = JSON.parse(sbom.toString('utf8')) as CdxDocument;
  } catch (err) {
    throw new DockyardError(`${where} is not JSON`, { code: 'attest.sbom-unreadable', cause: err });
  }
  if (doc.bomFormat !== 'CycloneDX' || !doc.metadata?.component)
    throw new DockyardError(`${where} is not a CycloneDX document describing a release`, {
      code: 'attest.sbom-unreadable',
    });
  const contents: ReleaseContents = {
    name: doc.metadata.component.name,
    ...(doc.metadata.component.version ? { version: doc.metadata.component.version } : {}),
    images: [],
    sources: [],
    files: [],
  };
  for (const c of doc.components ?? []) {
    const kind = property(c, 'dockyard:source:kind');
    if (kind) contents.sources.push(sourceOf(c, kind));
    else if (c.type === 'container') contents.images.push(imageOf(c));
    else if (c.type === 'file') contents.files.push(fileOf(c));
  }
  const definition = (doc.metadata.properties ?? [])
    .filter((p) => p.name === DEFINITION_PROPERTY)
    .map((p) => /^sha256:([0-9a-f]{64}) (.+)$/.exec(p.value))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[2]!, sha256: m[1]! }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  if (definition.length) contents.definition = definition;
  return contents;
}
