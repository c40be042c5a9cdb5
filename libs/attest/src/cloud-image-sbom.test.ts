import { describe, expect, it } from 'vitest';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { cloudImageSbom, parseRpmList } from './cloud-image-sbom';

const RPMS_TXT = [
  'bash-5.1.8-6.oe2203sp1.x86_64',
  'cloud-init-21.4-15.oe2203sp1.noarch',
  'python3-jinja2-3.0.3-2.oe2203sp1.noarch',
  '',
].join('\n');

const base = {
  url: 'https://repo.openeuler.org/openEuler-22.03-LTS-SP1/virtual_machine_img/x86_64/openEuler-22.03-LTS-SP1-x86_64.qcow2.xz',
  sha256: 'a'.repeat(64),
};

describe('cloudImageSbom', () => {
  it('lists the base image by URL and sha256 and every rpm of rpms.txt with its purl, valid CycloneDX 1.6', async () => {
    const sbom = cloudImageSbom({
      name: 'vm-22.03-x86_64',
      version: '22.03',
      base,
      packages: parseRpmList(RPMS_TXT, 'rpms.txt'),
    });
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(sbom.toString())).toBeNull();
    const bom = JSON.parse(sbom.toString());
    expect(bom.serialNumber).toBeUndefined();
    expect(bom.metadata.timestamp).toBeUndefined();
    expect(bom.components.filter((c: { purl?: string }) => c.purl).map((c: { purl: string }) => c.purl)).toEqual([
      'pkg:rpm/openeuler/bash@5.1.8-6.oe2203sp1?arch=x86_64',
      'pkg:rpm/openeuler/cloud-init@21.4-15.oe2203sp1?arch=noarch',
      'pkg:rpm/openeuler/python3-jinja2@3.0.3-2.oe2203sp1?arch=noarch',
    ]);
    const qcow2 = bom.components.find((c: { type: string }) => c.type === 'file');
    expect(qcow2).toMatchObject({
      name: 'openEuler-22.03-LTS-SP1-x86_64.qcow2.xz',
      hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
      externalReferences: [{ url: base.url }],
    });
    const reordered = cloudImageSbom({
      name: 'vm-22.03-x86_64',
      version: '22.03',
      base,
      packages: parseRpmList(RPMS_TXT.split('\n').reverse().join('\n'), 'rpms.txt'),
    });
    expect(reordered.equals(sbom)).toBe(true);
  });

  it('names the file and line of an entry that is not name-version-release.arch', () => {
    expect(() => parseRpmList('bash-5.1.8-6.x86_64\nbroken\n', 'dist/vm/rpms.txt')).toThrow(
      /dist\/vm\/rpms.txt:2: "broken" is not name-version-release.arch/,
    );
  });
});
