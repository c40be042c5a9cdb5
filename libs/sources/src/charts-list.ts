import { parseDocument } from 'yaml';
import { projectYaml, type Component } from '@dockyard/project-spec';
import { SourceError } from './source-error';

export interface ChartsListImport {
  name: string;
  description?: string;
  components: Component[];
}

export interface ChartsListOptions {
  /** Prefix for `repositoryFullName` (default `https://github.com`). */
  gitBase?: string;
  /** The old workflow read a GitHub token from a `token` file; name it here to keep doing so. */
  tokenFile?: string;
}

/**
 * Reads the old workflow's `charts_list.yaml` (floating: newest tag) or `release_charts.yaml`
 * (the reviewed tags, kept as pinned policies) into Release components.
 */
export function importChartsList(text: string, file: string, options: ChartsListOptions = {}): ChartsListImport {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new SourceError(`${file}: ${doc.errors[0].message.split('\n')[0]}`, 'fix the YAML syntax');
  const data = doc.toJS() as { metadata?: { name?: string; description?: string }; spec?: unknown };
  if (!Array.isArray(data?.spec))
    throw new SourceError(
      `${file} has no spec: list`,
      'expected spec: [{repositoryFullName, resourcePaths, targetPath}]',
    );
  const base = (options.gitBase ?? 'https://github.com').replace(/\/+$/, '');
  const entries = data.spec as {
    repositoryFullName?: string;
    resourcePaths?: string[];
    targetPath?: string;
    tag?: string;
  }[];
  const repoNames = entries.map(
    (e) =>
      String(e.repositoryFullName ?? '')
        .split('/')
        .pop() ?? '',
  );
  const components = entries.map((entry, index): Component => {
    const full = entry.repositoryFullName;
    if (typeof full !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(full)) {
      throw new SourceError(`${file}: spec[${index}].repositoryFullName must be "org/repo"`, 'fix the entry');
    }
    const short = repoNames[index];
    const name = repoNames.filter((n) => n === short).length > 1 ? full.replace('/', '-') : short;
    return {
      name: name.toLowerCase(),
      git: { url: `${base}/${full}.git`, ...(options.tokenFile ? { tokenFile: options.tokenFile } : {}) },
      tag: entry.tag ? { policy: 'pinned', value: String(entry.tag) } : { policy: 'newest' },
      ...(entry.resourcePaths && entry.resourcePaths.length > 0 ? { paths: entry.resourcePaths.map(String) } : {}),
      ...(entry.targetPath ? { targetPath: String(entry.targetPath) } : {}),
    };
  });
  return { name: data.metadata?.name ?? 'release', description: data.metadata?.description, components };
}

/**
 * A Release project.yaml holding the imported components, for `<root>/project.yaml` (`root` workspace-relative),
 * written as the generators write theirs: it starts with the `$schema` line editors check it against.
 */
export function formatImportedRelease(imported: ChartsListImport, version: string, root = '.'): string {
  return projectYaml(
    root,
    'Release',
    {
      name: imported.name,
      version,
      ...(imported.description ? { description: imported.description } : {}),
      components: imported.components,
    },
    'Imported from charts_list.yaml by `dockyard resolve --import`.',
  );
}
