import { PackageURL } from 'packageurl-js';
// Read only inside functions, so that loading this module (every verb that bundles) does not load the library.
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { sha256Hex } from './file-digest';
import type { InstalledPackage } from './package-db';
import type { ContainedFile, ContainedImage, ReleaseContents, SourceComponent } from './subject';
import { dockyardTool } from './tool';

export const SBOM_FILE = 'sbom.cdx.json';
export const SBOM_MEDIA_TYPE = 'application/vnd.cyclonedx+json';

/** A metadata property per file defining the release: `sha256:HEX PATH`. */
export const DEFINITION_PROPERTY = 'dockyard:definition';

/** `host/repo/name:tag` → its repository and tag (a registry port is not a tag). */
export function splitImageName(name: string): { repository: string; tag?: string } {
  const match = /^(.*):([^/:]+)$/.exec(name);
  return match ? { repository: match[1]!, tag: match[2]! } : { repository: name };
}

function properties(entries: [string, string | undefined][]): Models.PropertyRepository {
  const repository = new Models.PropertyRepository();
  for (const [name, value] of entries) if (value !== undefined) repository.add(new Models.Property(name, value));
  return repository;
}

function hashes(sha256: string): Models.HashDictionary {
  return new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], sha256Hex(sha256)]]);
}

function imageComponent(image: ContainedImage): Models.Component {
  const { repository, tag } = splitImageName(image.name);
  return new Models.Component(Enums.ComponentType.Container, repository, {
    bomRef: `image:${image.location}:${image.name}`,
    version: tag,
    hashes: hashes(image.digest),
    purl: new PackageURL('oci', undefined, repository.split('/').pop()!.toLowerCase(), image.digest, {
      repository_url: repository,
      ...(tag ? { tag } : {}),
    }).toString(),
    properties: properties([
      ...image.platforms.map((p): [string, string] => ['dockyard:image:platform', p]),
      ['dockyard:image:digest', image.digest],
      ['dockyard:image:mediaType', image.mediaType],
      ['dockyard:image:source', image.source],
      ['dockyard:bundle:location', image.location],
    ]),
  });
}

function sourceComponent(source: SourceComponent): Models.Component {
  const bomRef = `source:${source.name}`;
  if ('git' in source) {
    const { url, tag, commit } = source.git;
    return new Models.Component(Enums.ComponentType.Application, source.name, {
      bomRef,
      version: tag,
      externalReferences: new Models.ExternalReferenceRepository([
        new Models.ExternalReference(url, Enums.ExternalReferenceType.VCS, { comment: `tag ${tag}, commit ${commit}` }),
      ]),
      properties: properties([
        ['dockyard:source:kind', 'git'],
        ['dockyard:git:tag', tag],
        ['dockyard:git:commit', commit],
      ]),
    });
  }
  if ('helm' in source) {
    const { repository, chart, version, url, digest } = source.helm;
    return new Models.Component(Enums.ComponentType.Application, chart, {
      bomRef,
      version,
      hashes: hashes(digest),
      externalReferences: new Models.ExternalReferenceRepository([
        new Models.ExternalReference(url, Enums.ExternalReferenceType.Distribution, { hashes: hashes(digest) }),
      ]),
      properties: properties([
        ['dockyard:source:kind', 'helm'],
        ['dockyard:component', source.name],
        ['dockyard:helm:repository', repository],
      ]),
    });
  }
  const { repository, tag, digest } = source.image;
  return new Models.Component(Enums.ComponentType.Container, repository, {
    bomRef,
    version: tag,
    ...(digest ? { hashes: hashes(digest) } : {}),
    properties: properties([
      ['dockyard:source:kind', 'image'],
      ['dockyard:component', source.name],
      ['dockyard:image:digest', digest],
    ]),
  });
}

function fileComponent(file: ContainedFile): Models.Component {
  return new Models.Component(Enums.ComponentType.File, file.path, {
    bomRef: `file:${file.path}`,
    hashes: hashes(file.sha256),
    ...(file.url
      ? {
          externalReferences: new Models.ExternalReferenceRepository([
            new Models.ExternalReference(file.url, Enums.ExternalReferenceType.Distribution, {
              hashes: hashes(file.sha256),
            }),
          ]),
        }
      : {}),
  });
}

const PURL_NAMESPACE = { deb: 'debian', rpm: 'openeuler' } as const;

/** `pkg:deb/debian/NAME@VERSION?arch=ARCH`, `pkg:rpm/openeuler/NAME@VERSION-RELEASE?arch=ARCH[&epoch=N]`. */
export function packagePurl(pkg: InstalledPackage): string {
  return new PackageURL(pkg.type, PURL_NAMESPACE[pkg.type], pkg.name, pkg.version, {
    arch: pkg.arch,
    ...(pkg.epoch ? { epoch: pkg.epoch } : {}),
  }).toString();
}

function packageComponent(pkg: InstalledPackage): Models.Component {
  const purl = packagePurl(pkg);
  return new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef: `package:${purl}`,
    version: pkg.epoch ? `${pkg.epoch}:${pkg.version}` : pkg.version,
    purl,
    properties: properties([['dockyard:package:database', pkg.type === 'deb' ? 'dpkg' : 'rpm']]),
  });
}

/**
 * The release's CycloneDX 1.6 document (JSON): its images with digests and platforms, the pinned sources it was
 * collected from, its files with their sha256. Reproducible: no serial number, no timestamp, every list sorted and
 * every bom-ref derived from content, so the same release gives the same bytes on any machine.
 */
export function releaseSbom(contents: ReleaseContents): Buffer {
  const tool = dockyardTool();
  const root = new Models.Component(Enums.ComponentType.Application, contents.name, {
    bomRef: `release:${contents.name}`,
    version: contents.version,
  });
  const bom = new Models.Bom({
    metadata: new Models.Metadata({
      component: root,
      properties: properties(
        (contents.definition ?? []).map((d): [string, string] => [DEFINITION_PROPERTY, `sha256:${d.sha256} ${d.path}`]),
      ),
      tools: new Models.Tools({
        components: new Models.ComponentRepository([
          new Models.Component(Enums.ComponentType.Application, tool.name, { version: tool.version }),
        ]),
      }),
    }),
  });
  const components = [
    ...contents.images.map(imageComponent),
    ...contents.sources.map(sourceComponent),
    ...contents.files.map(fileComponent),
    ...(contents.packages ?? []).map(packageComponent),
  ];
  for (const component of components) {
    bom.components.add(component);
    root.dependencies.add(component.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return Buffer.from(`${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`);
}
