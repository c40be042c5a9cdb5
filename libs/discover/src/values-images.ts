import type { Finding } from './finding';
import { getPath, isTreeMap, joinValuesPath, Leaf, leafText, type Tree, type TreeMap } from './yaml-tree';

export interface ValuesContext {
  /** `global.imageRegistry`, which replaces the `registry` of bitnami-style image maps. */
  globalRegistry?: string;
  /** Top-level keys not to scan: the values of subcharts, which are scanned with the subchart's own defaults. */
  skipKeys?: string[];
}

/**
 * Images in a chart's (effective) values, in the shapes popular charts use:
 * `image: repo:tag`, `{registry, repository, tag, digest}`, `{repository, tag}`, `{name, tag}`,
 * `{registry, image, tag}` and `image` + `imageTag` siblings. These are candidates: the chart
 * decides which its templates read. A map without a tag comes back `unresolved` (the tag is
 * the templates' business), never with a guessed one.
 */
export function imagesInValues(values: Tree | undefined, context: ValuesContext): Finding[] {
  const findings: Finding[] = [];
  const globalRegistry = context.globalRegistry ?? leafTextAt(values, ['global', 'imageRegistry']);
  const skip = new Set(context.skipKeys ?? []);
  if (isTreeMap(values)) {
    const scanned: TreeMap = Object.create(null);
    for (const [key, child] of Object.entries(values)) if (!skip.has(key)) scanned[key] = child;
    walk(scanned, undefined, '', [], { ...context, globalRegistry }, findings);
  }
  return findings;
}

function walk(
  tree: Tree | undefined,
  key: string | undefined,
  path: string,
  switches: string[],
  context: ValuesContext,
  out: Finding[],
): void {
  if (Array.isArray(tree)) {
    tree.forEach((item, i) => walk(item, key, `${path}[${i}]`, switches, context, out));
    return;
  }
  if (!isTreeMap(tree)) return;
  const here =
    leafText(tree, 'enabled') === 'false' ? [...switches, `${joinValuesPath(path, 'enabled')}=true`] : switches;
  const optional = here.length > 0 ? { optional: here } : {};
  const consumed = new Set<string>();
  const fromMap = imageFromMap(tree, key, context);
  if (fromMap) {
    out.push({ ...fromMap.finding, ...optional, valuesPath: path });
    for (const k of fromMap.consumed) consumed.add(k);
  }
  for (const [childKey, child] of Object.entries(tree)) {
    if (consumed.has(childKey)) continue;
    if (child instanceof Leaf) {
      const finding = imageFromScalar(tree, childKey, child);
      if (finding) out.push({ ...finding, ...optional, valuesPath: joinValuesPath(path, childKey) });
    } else {
      walk(child, childKey, joinValuesPath(path, childKey), here, context, out);
    }
  }
}

const IMAGE_KEY = /image$/i;
/** YAML booleans, numbers and nulls: `alwaysPullImage: false` is a switch, not an image called "false". */
const NOT_A_NAME = /^(?:true|false|yes|no|on|off|null|~|[-+]?\d+(?:\.\d+)?)$/i;
const DIGEST = /^sha256:[0-9a-f]{64}$/i;

/** `image: "repo:tag"`, or `sidecarImage: repo` with an optional `sidecarImageTag` sibling (elastic charts). */
function imageFromScalar(parent: TreeMap, key: string, leaf: Leaf): Finding | undefined {
  if (!IMAGE_KEY.test(key)) return undefined;
  const repo = leafText(parent, key);
  if (!repo || NOT_A_NAME.test(repo)) return undefined;
  if (isTemplated(repo))
    return { text: repo, source: sourceOf(leaf), unresolved: 'it holds a template expression or placeholder' };
  const tag = hasTag(repo) ? undefined : leafText(parent, `${key}Tag`);
  return withTagKnown({ text: compose(undefined, repo, tag, undefined), source: sourceOf(leaf) });
}

function imageFromMap(
  map: TreeMap,
  key: string | undefined,
  context: ValuesContext,
): { finding: Finding; consumed: string[] } | undefined {
  const imageish = key !== undefined && IMAGE_KEY.test(key);
  const named = (k: string) => {
    const text = leafText(map, k);
    return text !== undefined && !NOT_A_NAME.test(text);
  };
  const repoKey = named('repository')
    ? 'repository'
    : named('image') && (leafText(map, 'registry') || leafText(map, 'tag'))
      ? 'image'
      : imageish && named('name') && (leafText(map, 'tag') || leafText(map, 'registry'))
        ? 'name'
        : undefined;
  if (!repoKey) return undefined;
  const repo = leafText(map, repoKey)!;
  if (repo.includes('://')) return undefined;
  const consumed = [repoKey, 'registry', 'tag', 'version', 'digest', 'sha'];
  const source = sourceOf(map[repoKey] as Leaf);
  const ownRegistry = leafText(map, 'registry');
  const registry = ownRegistry !== undefined && context.globalRegistry ? context.globalRegistry : ownRegistry;
  // sigstore's charts put the digest in `version:` (or `tag:`); it is a digest wherever it sits.
  const tagFields = [leafText(map, 'tag'), leafText(map, 'version')].filter((t): t is string => t !== undefined);
  const digest = normaliseDigest(
    leafText(map, 'digest') ?? leafText(map, 'sha') ?? tagFields.find((t) => DIGEST.test(t)),
  );
  const tag = tagFields.find((t) => !DIGEST.test(t));
  if ([repo, registry, tag, digest].some((part) => part !== undefined && isTemplated(part))) {
    return {
      finding: {
        text: compose(registry, repo, tag, digest),
        source,
        unresolved: 'it holds a template expression or placeholder',
      },
      consumed,
    };
  }
  return { finding: withTagKnown({ text: compose(registry, repo, tag, digest), source }), consumed };
}

/** Kubernetes would pull `:latest` for a bare name, but a chart's own templates usually add a tag: the scan does not guess which. */
function withTagKnown(finding: Finding): Finding {
  const { text } = finding;
  return hasTag(text)
    ? finding
    : { ...finding, unresolved: 'it has no tag here and no template that adds one could be evaluated' };
}

function compose(
  registry: string | undefined,
  repo: string,
  tag: string | undefined,
  digest: string | undefined,
): string {
  const name = registry ? `${registry.replace(/\/+$/, '')}/${repo.replace(/^\/+/, '')}` : repo;
  const withTag = tag && !hasTag(name) ? `${name}:${tag.replace(/^:/, '')}` : name;
  return digest && !withTag.includes('@') ? `${withTag}@${digest}` : withTag;
}

function hasTag(repo: string): boolean {
  return repo.includes('@') || repo.lastIndexOf(':') > repo.lastIndexOf('/');
}

function normaliseDigest(digest: string | undefined): string | undefined {
  if (!digest) return undefined;
  return /^[0-9a-f]{64}$/i.test(digest) ? `sha256:${digest}` : digest;
}

export function isTemplated(text: string): boolean {
  return text.includes('{{') || text.includes('[[') || text.includes('${');
}

function sourceOf(leaf: Leaf): Finding['source'] {
  return { file: leaf.file, keyPath: leaf.keyPath, line: leaf.line };
}

function leafTextAt(tree: Tree | undefined, path: string[]): string | undefined {
  const parent = getPath(tree, path.slice(0, -1));
  return isTreeMap(parent) ? leafText(parent, path[path.length - 1]) : undefined;
}
