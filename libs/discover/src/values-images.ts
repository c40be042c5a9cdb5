import type { Finding } from './finding';
import { getPath, isTreeMap, Leaf, leafText, type Tree, type TreeMap } from './yaml-tree';

export interface ValuesContext {
  /** Chart `appVersion`, the usual default when an image has no tag. */
  appVersion?: string;
  /** `global.imageRegistry`, which replaces the `registry` of bitnami-style image maps. */
  globalRegistry?: string;
  /** The whole subtree is switched off (a subchart whose condition is false). */
  disabled?: boolean;
}

/**
 * Images in a chart's (effective) values, in the shapes popular charts use:
 * `image: repo:tag`, `{registry, repository, tag, digest}`, `{repository, tag}`, `{name, tag}`,
 * `{registry, image, tag}` and `image` + `imageTag` siblings.
 */
export function imagesInValues(values: Tree | undefined, context: ValuesContext): Finding[] {
  const findings: Finding[] = [];
  const globalRegistry = context.globalRegistry ?? leafTextAt(values, ['global', 'imageRegistry']);
  walk(values, undefined, '', Boolean(context.disabled), { ...context, globalRegistry }, findings);
  return findings;
}

function walk(tree: Tree | undefined, key: string | undefined, path: string, disabled: boolean, context: ValuesContext, out: Finding[]): void {
  if (Array.isArray(tree)) {
    tree.forEach((item, i) => walk(item, key, `${path}[${i}]`, disabled, context, out));
    return;
  }
  if (!isTreeMap(tree)) return;
  const off = disabled || leafText(tree, 'enabled') === 'false';
  const consumed = new Set<string>();
  const fromMap = imageFromMap(tree, key, context);
  if (fromMap) {
    out.push({ ...fromMap.finding, disabled: off, valuesPath: path });
    for (const k of fromMap.consumed) consumed.add(k);
  }
  for (const [childKey, child] of Object.entries(tree)) {
    if (consumed.has(childKey)) continue;
    if (child instanceof Leaf) {
      const finding = imageFromScalar(tree, childKey, child);
      if (finding) out.push({ ...finding, disabled: off, valuesPath: joinPath(path, childKey) });
    } else {
      walk(child, childKey, joinPath(path, childKey), off, context, out);
    }
  }
}

const IMAGE_KEY = /image$/i;

/** `image: "repo:tag"`, or `sidecarImage: repo` with an optional `sidecarImageTag` sibling (elastic charts). */
function imageFromScalar(parent: TreeMap, key: string, leaf: Leaf): Finding | undefined {
  if (!IMAGE_KEY.test(key)) return undefined;
  const repo = leafText(parent, key);
  if (!repo || isTemplated(repo)) return undefined;
  const tag = hasTag(repo) ? undefined : leafText(parent, `${key}Tag`);
  return { text: compose(undefined, repo, tag, undefined), source: sourceOf(leaf) };
}

function imageFromMap(map: TreeMap, key: string | undefined, context: ValuesContext): { finding: Finding; consumed: string[] } | undefined {
  const imageish = key !== undefined && IMAGE_KEY.test(key);
  const repoKey = leafText(map, 'repository') ? 'repository'
    : leafText(map, 'image') && (leafText(map, 'registry') || leafText(map, 'tag')) ? 'image'
    : imageish && leafText(map, 'name') && (leafText(map, 'tag') || leafText(map, 'registry')) ? 'name'
    : undefined;
  if (!repoKey) return undefined;
  const repo = leafText(map, repoKey)!;
  if (isTemplated(repo) || repo.includes('://')) return undefined;
  const ownRegistry = leafText(map, 'registry');
  const registry = ownRegistry !== undefined && context.globalRegistry ? context.globalRegistry : ownRegistry;
  const digest = normaliseDigest(leafText(map, 'digest') ?? leafText(map, 'sha'));
  let tag = leafText(map, 'tag') ?? leafText(map, 'version');
  if (!tag && !digest && !hasTag(repo)) tag = context.appVersion;
  if ([registry, tag, digest].some((part) => part !== undefined && isTemplated(part))) return undefined;
  const consumed = [repoKey, 'registry', 'tag', 'version', 'digest', 'sha'];
  return { finding: { text: compose(registry, repo, tag, digest), source: sourceOf(map[repoKey] as Leaf) }, consumed };
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function compose(registry: string | undefined, repo: string, tag: string | undefined, digest: string | undefined): string {
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
