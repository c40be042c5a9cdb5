import { basename } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import type { InstalledPackage } from './package-db';
import { releaseSbom } from './sbom';

/** `name-version-release.arch` lines (rpm's NEVRA without epoch, as `rpms.txt` lists them) → packages. */
export function parseRpmList(text: string, where: string): InstalledPackage[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, number }) => {
      // rpm forbids '-' in a version or a release, so the last two '-' split them off; the arch follows the last '.'.
      const match = /^(.+)-([^-]+)-([^-]+)\.([^.-]+)$/.exec(line);
      if (!match)
        throw new DockyardError(`${where}:${number}: "${line}" is not name-version-release.arch`, {
          code: 'attest.rpm-list-line',
          hint: 'rpms.txt lists one installed package a line, as rpm -qa --qf %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH} does',
        });
      const [, name, version, release, arch] = match;
      return { type: 'rpm' as const, name: name!, version: `${version}-${release}`, arch: arch! };
    });
}

export interface CloudImageDescription {
  /** `<name>-<version>-<arch>`, the image's file stem. */
  name: string;
  version: string;
  /** The base image it was customised from: its URL and the sha256 its `.sha256sum` states. */
  base: { url: string; sha256: string };
  packages: InstalledPackage[];
}

/** A cloud image's CycloneDX document: its base image (URL, sha256) and every rpm it holds, reproducible. */
export function cloudImageSbom(image: CloudImageDescription): Buffer {
  return releaseSbom({
    name: image.name,
    version: image.version,
    images: [],
    sources: [],
    files: [{ path: basename(new URL(image.base.url).pathname), sha256: image.base.sha256, url: image.base.url }],
    packages: image.packages,
  });
}
