import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { writeRepositoryTree } from '../support/openeuler-repository';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';

const example = join(__dirname, '..', '..', 'releases', 'containers', 'openeuler', 'project.yaml');

export interface ExampleOverrides {
  repo: string;
  registries: { registry: string; repository: string; credentials?: { usernameEnv: string; passwordEnv: string } }[];
  dockerfile?: string;
  versions?: string[];
  arches?: string[];
  check?: { script?: string; timezone?: string };
}

/**
 * A workspace (nx.json unless there is one, + releases/containers/openeuler/project.yaml) holding the example project as committed,
 * with only what cannot work offline replaced (the repository URL and the registries) and what a test narrows.
 */
export async function exampleWorkspace(root: string, overrides: ExampleOverrides): Promise<string> {
  const doc = parseDocument(await readFile(example, 'utf8'));
  doc.setIn(['base', 'repo'], overrides.repo);
  doc.set('registries', doc.createNode(overrides.registries));
  if (overrides.dockerfile) doc.set('dockerfile', overrides.dockerfile);
  if (overrides.versions) doc.set('versions', doc.createNode(overrides.versions));
  if (overrides.arches) doc.set('arches', doc.createNode(overrides.arches));
  if (overrides.check) doc.set('check', doc.createNode(overrides.check));
  const dir = join(root, 'releases', 'containers', 'openeuler');
  await mkdir(dir, { recursive: true });
  if (
    !(await access(join(root, 'nx.json')).then(
      () => true,
      () => false,
    ))
  )
    await writeFile(join(root, 'nx.json'), '{}\n');
  const file = join(dir, 'project.yaml');
  await writeFile(file, doc.toString());
  return file;
}

/** A repository tree with the example's two versions for amd64 and arm64, served on 127.0.0.1 and stopped by `register`. */
export async function serveExampleRepository(register: (cleanup: () => Promise<void>) => void): Promise<StaticServer> {
  const repo = await tempDirFor(register, 'oe-repo');
  for (const version of ['22.03-LTS-SP1', '24.03-LTS'])
    await writeRepositoryTree(repo, { version, arches: ['amd64', 'arm64'] });
  const server = await serveFolder(repo);
  register(() => server.stop());
  return server;
}
