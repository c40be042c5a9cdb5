import { describe, expect, it } from 'vitest';
import { parseProject } from './load';
import { freePort, pluginClaims, pluginImage, portOwner, slotOwner } from './plugin-rules';

const plugin = (name: string, port: unknown, slots: unknown) =>
  parseProject(
    `kind: Plugin\nname: ${name}\nreleaseRegistry: r.example.com\nspec:\n  version: v0.1.0\n  service:\n    port: ${JSON.stringify(port)}\n    image: wrong\n  modules:\n    - name: m\n      slots: ${JSON.stringify(slots)}\n`,
    `plugins/${name}/project.yaml`,
  );

describe('plugin rules', () => {
  it('names the service image <releaseRegistry>/release/compass-plugins-<name>:<version>', () => {
    expect(pluginImage('harbor.example.com', 'alerts', 'v1.2.0')).toBe(
      'harbor.example.com/release/compass-plugins-alerts:v1.2.0',
    );
  });

  it('reads ports and slots of plugins whose files have other problems, skipping values of the wrong type', () => {
    const claims = pluginClaims([
      plugin('a', 8080, ['s1', 's2']),
      plugin('b', '8081', ['s3', 7]),
      parseProject('kind: Release\nname: r\nversion: v1\n', 'r/project.yaml'),
    ]);
    expect(
      claims.map((c) => [
        c.project.name,
        c.releaseRegistry,
        c.port,
        c.slots.map((s) => `${s.slot}@${s.module}.${s.index}`),
      ]),
    ).toEqual([
      ['a', 'r.example.com', 8080, ['s1@0.0', 's2@0.1']],
      ['b', 'r.example.com', undefined, ['s3@0.0']],
    ]);
  });

  it('gives a port or slot to its first holder, and the lowest port nobody holds to a new plugin', () => {
    const claims = pluginClaims([plugin('a', 8080, ['x']), plugin('b', 8080, ['x', 'y']), plugin('c', 8081, [])]);
    expect(portOwner(claims, 8080)?.project.name).toBe('a');
    expect(slotOwner(claims, 'y')?.project.name).toBe('b');
    expect(slotOwner(claims, 'z')).toBeUndefined();
    expect(freePort(claims)).toBe(8082);
    expect(freePort([])).toBe(8080);
  });
});
