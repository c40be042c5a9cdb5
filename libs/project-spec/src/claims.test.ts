import { describe, expect, it } from 'vitest';
import { nameKey, projectClaims } from './claims';
import { parseProject } from './load';

const keysAndPaths = (text: string, file: string) =>
  projectClaims(parseProject(text, file)).map((c) => [c.key, c.path.join('.')]);

describe('projectClaims', () => {
  it('claims the name of every project, and the port and each slot of a Plugin, where each is written', () => {
    expect(keysAndPaths('kind: Release\nname: r\nversion: v1\n', 'releases/r/project.yaml')).toEqual([
      ['name:r', 'name'],
    ]);
    const plugin =
      'kind: Plugin\nname: p\nspec:\n  service:\n    port: 8081\n  modules:\n    - slots: [a]\n    - slots: [b, c]\n';
    expect(keysAndPaths(plugin, 'plugins/p/project.yaml')).toEqual([
      ['name:p', 'name'],
      ['port:8081', 'spec.service.port'],
      ['slot:a', 'spec.modules.0.slots.0'],
      ['slot:b', 'spec.modules.1.slots.0'],
      ['slot:c', 'spec.modules.1.slots.1'],
    ]);
  });

  it('claims the folder name of a file that does not parse, the key a reference to that name looks up', () => {
    expect(keysAndPaths('kind: Plugin\n  name: [\n', 'plugins/broken/project.yaml')).toEqual([
      [nameKey('broken'), 'name'],
    ]);
  });
});
