import { pathRules } from './path-rules';
import { pluginImage } from './plugin-rules';
import type { AppImage, CloudImage, ContainerImage, Plugin, ProjectSpec, Release } from './types';

/** A rule of one project that JSON Schema cannot express. */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): [number, string][] {
  const seen = new Set<string>();
  return items.flatMap((item, i): [number, string][] => {
    const k = key(item);
    if (seen.has(k)) return [[i, k]];
    seen.add(k);
    return [];
  });
}

function releaseRules(release: Release): RuleIssue[] {
  const components = release.components ?? [];
  const issues: RuleIssue[] = duplicates(components, (c) => c.name).map(([i, name]) => ({
    path: ['components', i, 'name'],
    message: `component "${name}" is declared twice`,
    hint: 'give every component its own name',
  }));
  components.forEach((c, i) => {
    const tag = c.tag;
    if (tag && !c.git)
      issues.push({
        path: ['components', i, 'tag'],
        message: 'a tag policy only applies to git components',
        hint: 'remove tag, or use git:',
      });
    const needs = { semver: 'range', regex: 'pattern', pinned: 'value' } as const;
    if (tag && tag.policy !== 'newest' && !tag[needs[tag.policy]]) {
      issues.push({
        path: ['components', i, 'tag'],
        message: `policy "${tag.policy}" needs "${needs[tag.policy]}"`,
        hint: `add ${needs[tag.policy]}:`,
      });
    }
    if (tag?.policy === 'regex' && tag.pattern) {
      try {
        new RegExp(tag.pattern);
      } catch (err) {
        issues.push({
          path: ['components', i, 'tag', 'pattern'],
          message: `invalid regular expression: ${(err as Error).message}`,
        });
      }
    }
  });
  return issues;
}

function pluginRules(plugin: Plugin): RuleIssue[] {
  const expected = pluginImage(plugin.releaseRegistry, plugin.name, plugin.spec.version);
  const issues: RuleIssue[] = [];
  if (plugin.spec.service.image !== expected) {
    issues.push({
      path: ['spec', 'service', 'image'],
      message: `image "${plugin.spec.service.image}" does not follow the naming rule`,
      hint: `use ${expected}`,
    });
  }
  const slots = (plugin.spec.modules ?? []).flatMap((m, mi) => (m.slots ?? []).map((slot, si) => ({ slot, mi, si })));
  for (const [i, slot] of duplicates(slots, (s) => s.slot)) {
    issues.push({
      path: ['spec', 'modules', slots[i].mi, 'slots', slots[i].si],
      message: `slot "${slot}" is used twice in this plugin`,
      hint: 'each slot belongs to one module',
    });
  }
  return issues;
}

function appImageRules(app: AppImage): RuleIssue[] {
  return duplicates(app.arches ?? [], (a) => a).map(([i, a]) => ({
    path: ['arches', i],
    message: `arch "${a}" listed twice`,
  }));
}

function containerImageRules(image: ContainerImage): RuleIssue[] {
  const versions = new Set(image.versions ?? []);
  return Object.keys(image.tags ?? {})
    .filter((v) => image.base && !versions.has(v))
    .map((v) => ({
      path: ['tags', v],
      message: `tags are given for version "${v}", which is not in versions`,
      hint: `add it to versions or remove these tags`,
    }));
}

/** One image is built per version and arch and published to every target: its disk has one size. */
function differentSizes(image: CloudImage): RuleIssue[] {
  const sized = (image.targets ?? []).flatMap((t, i) => (t.size === undefined ? [] : [{ i, size: t.size }]));
  return sized
    .filter((s) => s.size !== sized[0]!.size)
    .map((s) => ({
      path: ['targets', s.i, 'size'],
      message: `size ${s.size} differs from ${sized[0]!.size} (targets[${sized[0]!.i}].size): every target gets the same image`,
      hint: 'state one disk size',
    }));
}

/** What each publish target needs to reach its cloud, one arch written two ways, and one disk size. */
function cloudImageRules(image: CloudImage): RuleIssue[] {
  const alias: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64' };
  const arches = image.arches.map((a) => alias[a] ?? a);
  const twice = arches.findIndex((a, i) => arches.indexOf(a) !== i);
  return [
    ...(twice >= 0
      ? [
          {
            path: ['arches', twice],
            message: `${image.arches[twice]} names ${arches[twice]} a second time`,
            hint: 'list each arch once',
          },
        ]
      : []),
    ...differentSizes(image),
    ...(image.targets ?? []).flatMap((target, i): RuleIssue[] => {
      const need =
        target.type === 'generic'
          ? (['upload'] as const)
          : target.method === 'import'
            ? (['region', 'bucket', 'credentials'] as const)
            : (['region', 'credentials'] as const);
      return need
        .filter((field) => target[field] === undefined)
        .map((field) => ({
          path: ['targets', i],
          message: `a ${target.type} target needs ${field}`,
          hint:
            target.type === 'aws'
              ? 'aws targets name region, bucket and credentials'
              : 'generic targets name upload.url',
        }));
    }),
  ];
}

export function projectRules(spec: ProjectSpec): RuleIssue[] {
  return [...kindRules(spec), ...pathRules(spec)];
}

function kindRules(spec: ProjectSpec): RuleIssue[] {
  switch (spec.kind) {
    case 'Release':
      return releaseRules(spec);
    case 'Plugin':
      return pluginRules(spec);
    case 'AppImage':
      return appImageRules(spec);
    case 'ContainerImage':
      return containerImageRules(spec);
    case 'CloudImage':
      return cloudImageRules(spec);
  }
}
