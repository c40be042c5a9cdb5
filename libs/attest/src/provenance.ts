import { PackageURL } from 'packageurl-js';
import { sha256Hex } from './file-digest';
import { splitImageName } from './sbom';
import type { ReleaseContents } from './subject';
import { dockyardTool } from './tool';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_TYPE = 'https://slsa.dev/provenance/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** What a Dockyard bundle's buildDefinition describes: a bundle written from a project and its lock. */
export const BUNDLE_BUILD_TYPE = 'urn:dockyard:buildtype:bundle:v1';
export const DOCKYARD_BUILDER_ID = 'urn:dockyard:builder:cli';

/** An in-toto ResourceDescriptor: at least a uri or a digest. */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, unknown>;
}

export interface Statement<P = unknown> {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: P;
}

export interface SlsaProvenance {
  buildDefinition: {
    buildType: string;
    externalParameters: Record<string, unknown>;
    resolvedDependencies: ResourceDescriptor[];
  };
  runDetails: { builder: { id: string; version: Record<string, string> } };
}

/** The release's inputs as SLSA resolved dependencies: what defined it, its pinned sources, its images, its downloads. */
function materials(contents: ReleaseContents): ResourceDescriptor[] {
  const definition = (contents.definition ?? []).map((d) => ({ name: d.path, digest: { sha256: d.sha256 } }));
  const sources = contents.sources.map((s): ResourceDescriptor => {
    if ('git' in s)
      return {
        name: s.name,
        uri: `git+${s.git.url}@refs/tags/${s.git.tag}`,
        digest: { gitCommit: s.git.commit },
      };
    if ('helm' in s)
      return {
        name: s.name,
        uri: s.helm.url,
        digest: { sha256: sha256Hex(s.helm.digest) },
        annotations: { chart: s.helm.chart, version: s.helm.version, repository: s.helm.repository },
      };
    return {
      name: s.name,
      uri: `${s.image.repository}:${s.image.tag}`,
      ...(s.image.digest ? { digest: { sha256: sha256Hex(s.image.digest) } } : {}),
    };
  });
  const images = contents.images.map((i): ResourceDescriptor => {
    const { repository, tag } = splitImageName(i.name);
    return {
      name: i.name,
      uri: new PackageURL('oci', undefined, repository.split('/').pop()!.toLowerCase(), i.digest, {
        repository_url: repository,
        ...(tag ? { tag } : {}),
      }).toString(),
      digest: { sha256: sha256Hex(i.digest) },
      annotations: { platforms: [...i.platforms].sort(), location: i.location },
    };
  });
  const downloads = contents.files
    .filter((f) => f.url)
    .map((f) => ({ name: f.path, uri: f.url!, digest: { sha256: f.sha256 } }));
  const byName = (a: ResourceDescriptor, b: ResourceDescriptor) =>
    `${a.name}\0${a.uri}` < `${b.name}\0${b.uri}` ? -1 : 1;
  return [...definition, ...sources.sort(byName), ...images.sort(byName), ...downloads.sort(byName)];
}

/**
 * An in-toto Statement v1 about one file (the bundle: its name and sha256) with a SLSA v1 provenance predicate:
 * built by Dockyard at this version, from these project files, pinned sources and image digests.
 */
export function releaseProvenance(
  subject: { name: string; sha256: string },
  contents: ReleaseContents,
): Statement<SlsaProvenance> {
  const tool = dockyardTool();
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: subject.name, digest: { sha256: subject.sha256 } }],
    predicateType: SLSA_PROVENANCE_TYPE,
    predicate: {
      buildDefinition: {
        buildType: BUNDLE_BUILD_TYPE,
        externalParameters: {
          release: contents.name,
          ...(contents.version ? { version: contents.version } : {}),
          ...(contents.definition?.length ? { definition: contents.definition.map((d) => d.path) } : {}),
        },
        resolvedDependencies: materials(contents),
      },
      runDetails: { builder: { id: DOCKYARD_BUILDER_ID, version: { [tool.name]: tool.version } } },
    },
  };
}
