import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProject } from '@dockyard/project-spec';
import { parseMeta } from '@dockyard/container';
import { importImageTree } from './import-tree';

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

describe('importImageTree', () => {
  it('writes a ContainerImage project per listed image, generating meta.yml where it is missing', async () => {
    root = await mkdtemp(join(tmpdir(), 'c11-import-'));
    await put('Database/image-list.yml', 'images:\n  redis: redis\n  MySQL: mysql\n');
    await put('Database/redis/7.2.4/24.03-lts/Dockerfile', 'FROM openeuler/openeuler:24.03-lts\n');
    await put('Database/redis/6.2.7/22.03-lts-sp3/Dockerfile', 'FROM openeuler/openeuler:22.03-lts-sp3\n');
    await put('Database/mysql/meta.yml', '8.0.36-oe2203sp3:\n  path: 8.0.36/22.03-lts-sp3/Dockerfile\n');
    await put('Database/mysql/project.yaml', 'kept as is\n');
    await put('Other/README.md', 'no image-list here\n');
    const result = await importImageTree(root, root, { registry: 'docker.io', namespace: 'openeuler' });
    expect(result.map((r) => [r.name, r.status, r.metaGenerated])).toEqual([
      ['redis', 'written', true],
      ['mysql', 'exists', false],
    ]);
    const meta = parseMeta(await readFile(join(root, 'Database/redis/meta.yml'), 'utf8'), 'meta.yml');
    expect(meta.map((e) => [e.tag, e.path])).toEqual([
      ['6.2.7-oe2203sp3', '6.2.7/22.03-lts-sp3/Dockerfile'],
      ['7.2.4-oe2403lts', '7.2.4/24.03-lts/Dockerfile'],
    ]);
    const project = parseProject(
      await readFile(join(root, 'Database/redis/project.yaml'), 'utf8'),
      'redis/project.yaml',
    );
    expect(project.issues).toEqual([]);
    expect(project.spec).toMatchObject({
      kind: 'ContainerImage',
      name: 'redis',
      app: { meta: 'meta.yml' },
      registries: [{ registry: 'docker.io', repository: 'openeuler/redis' }],
    });
    expect(await readFile(join(root, 'Database/mysql/project.yaml'), 'utf8')).toBe('kept as is\n');
  });
});
