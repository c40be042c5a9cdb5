import { pathProblem, type PathRule } from '@dockyard/files';
import type { RuleIssue } from './rules';
import type { ProjectSpec, Release } from './types';

/**
 * Where each project.yaml string that becomes a file or folder must stay. `validate` checks every such
 * field against these rules (below); the engines check the same rules again where they write or read.
 */
export const PATH_RULES = {
  /** The project name, its folder in dist/. */
  projectName: { form: 'name', within: 'dist/' },
  /** A file or folder the project reads from its own folder. */
  projectFile: { form: 'relative', within: 'the project folder' },
  /** A path in a git component's repository at its tag. */
  checkoutPath: { form: 'relative', within: "the component's repository" },
  /** Where collect places a component's files. */
  collectPath: { form: 'relative', within: 'the collect output (dist/<project>/collect)' },
  /** A member of the bundle archive, under its top folder. */
  bundleMember: { form: 'relative', within: 'the bundle' },
  /** The bundle's top folder. */
  bundleTop: { form: 'name', within: 'the bundle' },
  /** The bundle archive itself. */
  bundleFile: { form: 'name', within: 'dist/<project>/bundle' },
  /** A Release's version or a Plugin's spec.version, part of the bundle's file (and folder) names. */
  bundleVersion: { form: 'name', within: 'dist/<project>/bundle' },
  /** An AppImage version: its folder in the project and dist/<project>/<version>. */
  appVersion: { form: 'name', within: 'the project folder and dist/<project>' },
  /** A chart name, which collect turns into `<chart>-<version>.tgz`. */
  chart: { form: 'name', within: 'the collect output' },
} as const satisfies Record<string, PathRule>;

interface PathField {
  path: (string | number)[];
  value: string | undefined;
  rule: PathRule;
}

function releasePaths(r: Release): PathField[] {
  const fields: PathField[] = [{ path: ['version'], value: r.version, rule: PATH_RULES.bundleVersion }];
  (r.components ?? []).forEach((c, i) => {
    fields.push({ path: ['components', i, 'local'], value: c.local, rule: PATH_RULES.projectFile });
    fields.push({ path: ['components', i, 'targetPath'], value: c.targetPath, rule: PATH_RULES.collectPath });
    fields.push({ path: ['components', i, 'helm', 'chart'], value: c.helm?.chart, rule: PATH_RULES.chart });
    (c.paths ?? []).forEach((p, j) =>
      fields.push({ path: ['components', i, 'paths', j], value: p, rule: PATH_RULES.checkoutPath }),
    );
  });
  const bundle = r.bundle ?? {};
  fields.push({ path: ['bundle', 'name'], value: bundle.name, rule: PATH_RULES.bundleTop });
  fields.push({ path: ['bundle', 'file'], value: bundle.file, rule: PATH_RULES.bundleFile });
  fields.push({ path: ['bundle', 'images', 'file'], value: bundle.images?.file, rule: PATH_RULES.bundleMember });
  (bundle.files ?? []).forEach((f, i) => {
    fields.push({ path: ['bundle', 'files', i, 'from'], value: f.from, rule: PATH_RULES.projectFile });
    fields.push({ path: ['bundle', 'files', i, 'to'], value: f.to, rule: PATH_RULES.bundleMember });
  });
  (r.build?.files ?? []).forEach((f, i) => {
    if (!f.from.startsWith('@'))
      fields.push({ path: ['build', 'files', i, 'from'], value: f.from, rule: PATH_RULES.projectFile });
  });
  return fields;
}

/** Fields whose schema pattern already refuses these values are listed too, so loosening a pattern cannot open an escape. */
function specPaths(spec: ProjectSpec): PathField[] {
  const name: PathField = { path: ['name'], value: spec.name, rule: PATH_RULES.projectName };
  return [name, ...kindPaths(spec)];
}

function kindPaths(spec: ProjectSpec): PathField[] {
  const lists = (spec.kind === 'Release' || spec.kind === 'Plugin' ? (spec.sync?.lists ?? []) : []).map((value, i) => ({
    path: ['sync', 'lists', i],
    value,
    rule: PATH_RULES.projectFile,
  }));
  switch (spec.kind) {
    case 'Release':
      return [...releasePaths(spec), ...lists];
    case 'Plugin':
      return [{ path: ['spec', 'version'], value: spec.spec.version, rule: PATH_RULES.bundleVersion }, ...lists];
    case 'AppImage':
      return spec.versions.map((value, i) => ({ path: ['versions', i], value, rule: PATH_RULES.appVersion }));
    case 'ContainerImage':
      return [
        { path: ['dockerfile'], value: spec.dockerfile, rule: PATH_RULES.projectFile },
        { path: ['app', 'meta'], value: spec.app?.meta, rule: PATH_RULES.projectFile },
        { path: ['check', 'script'], value: spec.check?.script, rule: PATH_RULES.projectFile },
      ];
    case 'CloudImage':
      return [
        { path: ['cloudConfig'], value: spec.cloudConfig, rule: PATH_RULES.projectFile },
        ...(spec.repos ?? [])
          .map((repo, i) => ({ path: ['repos', i, 'url'], value: repo.url, rule: PATH_RULES.projectFile }))
          .filter((entry) => !/^https?:\/\//.test(entry.value)),
      ];
  }
}

/** Every path or name of project.yaml that would leave its place: absolute, `..`, or a separator in a name. */
export function pathRules(spec: ProjectSpec): RuleIssue[] {
  return specPaths(spec).flatMap(({ path, value, rule }) => {
    const problem = value === undefined ? undefined : pathProblem(value, rule);
    return problem ? [{ path, message: `"${value}" ${problem.reason}`, hint: problem.hint }] : [];
  });
}
