import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { checkReference, formatReference } from '@dockyard/oci';
import { loadChartArchive, loadChartDirectory, type Chart } from './chart';
import { imagesInChart } from './chart-images';
import { imagesInDockerfile } from './dockerfile-images';
import type { DiscoveredImage, DiscoveryProblem, Finding, SourcePosition } from './finding';
import { parseLineList } from '@dockyard/files';
import { imagesInShimList } from './line-lists';
import { imagesInManifest } from './manifest-images';
import { parseYamlTrees, type Tree } from './yaml-tree';

export interface DiscoverOptions {
  /** Source file names are shown relative to this folder (default: the current directory). */
  relativeTo?: string;
  /**
   * Images that default values do not render but a setting switches on (metrics exporters,
   * `volumePermissions` shells, disabled subcharts): listed with `enabledBy` (default), or left out.
   */
  optional?: 'include' | 'exclude';
  /** Images added to the result, e.g. from a project's `images.extra`. */
  extra?: Finding[];
  /** References removed from the result (raw or normalised), in addition to `.sealignore` lines. */
  exclude?: string[];
}

export interface DiscoveryResult {
  /** De-duplicated, sorted by `ref`. */
  images: DiscoveredImage[];
  /** Warnings: unreadable files, references that are not valid, images that cannot be resolved. */
  problems: DiscoveryProblem[];
  /** Input paths that do not exist: an error, the result is incomplete. */
  missing: string[];
}

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);
const DOCKERFILE = /^(?:(?:Dockerfile|Kubefile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|Kubefile|Containerfile))$/;
const MANIFEST = /\.(?:ya?ml|tmpl|json)$/;
const CHART_ARCHIVE = /\.(?:tgz|tar\.gz)$/;
const VALUES_OVERRIDE = /^(.+)\.values\.ya?ml$/;

/**
 * Every image that a set of charts, manifests, shim lists and Dockerfiles/Kubefiles will run,
 * found statically, each with the files and keys it came from.
 */
export async function discoverImages(paths: string[], options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const scan = new Scan(options.relativeTo ?? process.cwd());
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      scan.missing.push(path);
      continue;
    }
    if (info.isDirectory()) await scan.directory(path);
    else await scan.file(path, new Map());
  }
  scan.findings.push(...(options.extra ?? []));
  return { images: merge(scan, options), problems: scan.problems, missing: scan.missing };
}

class Scan {
  readonly findings: Finding[] = [];
  readonly problems: DiscoveryProblem[] = [];
  readonly ignored: string[] = [];
  readonly missing: string[] = [];

  constructor(private readonly root: string) {}

  display(path: string): string {
    const rel = relative(this.root, path);
    return (rel === '' ? basename(path) : rel).split(sep).join('/');
  }

  async directory(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'Chart.yaml')) {
      await this.chart(await loadChartDirectory(dir, this.display(dir), this.problems), new Map(), basename(dir));
      return;
    }
    const overrides = await this.valueOverrides(
      dir,
      entries.filter((e) => e.isFile()).map((e) => e.name),
    );
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) {
        if (await isChartDirectory(full))
          await this.chart(await loadChartDirectory(full, this.display(full), this.problems), overrides, entry.name);
        else await this.directory(full);
      } else if (entry.isFile() && !VALUES_OVERRIDE.test(entry.name)) {
        await this.file(full, overrides);
      }
    }
  }

  /** Sealos `charts/<chart>.values.yaml` files next to the charts they configure. */
  private async valueOverrides(dir: string, names: string[]): Promise<Map<string, Tree | undefined>> {
    const overrides = new Map<string, Tree | undefined>();
    for (const name of names) {
      const match = VALUES_OVERRIDE.exec(name);
      if (!match) continue;
      const file = join(dir, name);
      const parsed = parseYamlTrees(await readFile(file, 'utf8'), this.display(file));
      for (const message of parsed.errors) this.problems.push({ file: this.display(file), message });
      overrides.set(match[1], parsed.documents[0]);
    }
    return overrides;
  }

  async file(path: string, overrides: Map<string, Tree | undefined>): Promise<void> {
    const name = basename(path);
    const shown = this.display(path);
    if (name === '.sealignore') {
      this.ignored.push(...parseLineList(await readFile(path, 'utf8')).map((l) => l.value));
    } else if (DOCKERFILE.test(name)) {
      this.findings.push(...imagesInDockerfile(shown, await readFile(path, 'utf8')));
    } else if (/(^|\/)images\/shim\//.test(path.split(sep).join('/'))) {
      this.findings.push(...imagesInShimList(shown, await readFile(path, 'utf8')));
    } else if (CHART_ARCHIVE.test(name)) {
      const chart = await loadChartArchive(path, shown, this.problems);
      if (chart) await this.chart(chart, overrides, chart.name);
    } else if (MANIFEST.test(name)) {
      this.findings.push(...imagesInManifest(shown, await readFile(path, 'utf8')));
    }
  }

  private async chart(chart: Chart | undefined, overrides: Map<string, Tree | undefined>, key: string): Promise<void> {
    if (chart) this.findings.push(...imagesInChart(chart, overrides.get(key) ?? overrides.get(chart.name)));
  }
}

async function isChartDirectory(dir: string): Promise<boolean> {
  return stat(join(dir, 'Chart.yaml')).then(
    (s) => s.isFile(),
    () => false,
  );
}

function merge(scan: Scan, options: DiscoverOptions): DiscoveredImage[] {
  const excluded = new Set<string>();
  for (const line of [...scan.ignored, ...(options.exclude ?? [])]) {
    excluded.add(line);
    const parsed = checkReference(line);
    if (parsed.ok) excluded.add(formatReference(parsed.ref));
  }
  const byRef = new Map<string, { image: DiscoveredImage; sightings: Finding[] }>();
  for (const finding of scan.findings) {
    if (finding.optional && options.optional === 'exclude') continue;
    const where = finding.source.keyPath ?? '';
    if (finding.unresolved) {
      scan.problems.push({ file: finding.source.file, line: finding.source.line, message: unresolvedMessage(finding) });
      continue;
    }
    const text = digestInTagField(finding.text);
    const parsed = checkReference(text);
    if (!parsed.ok) {
      const why = finding.chartFails
        ? `: the chart needs a value set, its default values fail its own validation: ${finding.chartFails.map((m) => JSON.stringify(m)).join('; ')}`
        : '; ignored';
      scan.problems.push({
        file: finding.source.file,
        line: finding.source.line,
        message: `${where ? `${where}: ` : ''}"${finding.text}" is not an image reference (${parsed.reason})${why}`,
      });
      continue;
    }
    const ref = formatReference(parsed.ref);
    if (excluded.has(finding.text) || excluded.has(ref)) continue;
    const entry = byRef.get(ref) ?? { image: { ref, ...parsed.ref, sources: [] }, sightings: [] };
    entry.image.sources.push(finding.source);
    entry.sightings.push(finding);
    byRef.set(ref, entry);
  }
  return [...byRef.values()]
    .map(({ image, sightings }) => ({ ...image, sources: uniqueSources(image.sources), ...markers(sightings) }))
    .sort((a, b) => compare(a.ref, b.ref));
}

/** An image is optional or a test image only when every sighting of it is. */
function markers(sightings: Finding[]): Pick<DiscoveredImage, 'enabledBy' | 'test'> {
  const optional = sightings.every((f) => f.optional)
    ? { enabledBy: [...new Set(sightings.flatMap((f) => f.optional!))].sort() }
    : {};
  return { ...optional, ...(sightings.every((f) => f.test) ? { test: true } : {}) };
}

/** `repo:sha256:<hex>`, a digest rendered into a tag field, is what the chart means as `repo@sha256:<hex>`. */
function digestInTagField(text: string): string {
  return text.replace(/:(sha256:[0-9a-f]{64})$/i, '@$1');
}

function unresolvedMessage(finding: Finding): string {
  const keys = [
    ...new Set([...(finding.mentions ?? []), ...(finding.valuesPath !== undefined ? [finding.valuesPath] : [])]),
  ];
  const where = finding.source.keyPath ? `${finding.source.keyPath}: ` : '';
  const values = keys.length > 0 ? ` (values key${keys.length === 1 ? '' : 's'} ${keys.join(', ')})` : '';
  const instead =
    finding.fallback === undefined
      ? 'not listed from here (set the value, or add the image to images.extra if nothing else lists it)'
      : `the image of values key ${finding.fallback} is listed in its place, unchecked against what the chart renders (check it, or list the right one in images.extra and exclude the other)`;
  return `${where}image "${finding.text}" cannot be resolved: ${finding.unresolved}${values}; ${instead}`;
}

function uniqueSources(sources: SourcePosition[]): SourcePosition[] {
  const seen = new Map<string, SourcePosition>();
  for (const source of sources) seen.set(`${source.file}\0${source.keyPath ?? ''}\0${source.line ?? ''}`, source);
  return [...seen.values()].sort(
    (a, b) => compare(a.file, b.file) || compare(a.keyPath ?? '', b.keyPath ?? '') || (a.line ?? 0) - (b.line ?? 0),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
