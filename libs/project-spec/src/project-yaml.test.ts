import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { projectYaml } from './project-yaml';

describe('projectYaml', () => {
  it('writes the schema line first and inline lists, quoting what YAML would read as a number', () => {
    const text = projectYaml(
      'releases/containers/x',
      'ContainerImage',
      { name: 'x', versions: ['22.03', '24.03-LTS'] },
      'a note',
    );
    expect(text).toBe(
      '# yaml-language-server: $schema=../../../libs/project-spec/schemas/container-image.schema.json\n# a note\nkind: ContainerImage\nname: x\nversions: ["22.03", 24.03-LTS]\n',
    );
  });

  it('points a file outside any workspace at the schemas of this installation', () => {
    const text = projectYaml('/tmp/imported', 'Release', { name: 'x', version: 'v1' });
    const schema = /\$schema=(\S+)/.exec(text)![1]!;
    expect(join('/tmp/imported', schema)).toBe(join(__dirname, '..', 'schemas', 'release.schema.json'));
  });
});
