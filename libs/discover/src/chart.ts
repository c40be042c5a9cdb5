import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { readTarFiles } from './archive';
import type { DiscoveryProblem } from './finding';
import { isTreeMap, leafText, parseYamlTrees, type Tree, type TreeMap } from './yaml-tree';

export interface ChartDependency {
  name: string;
  alias?: string;
  condition?: string;
}

export interface ChartTemplate {
  file: string;
  text: string;
}

/** A Helm chart read statically: metadata, values, templates and subcharts. */
export interface Chart {
  name: string;
  appVersion?: string;
  version?: string;
  /** `library` charts only hold `define`s for other charts; they render nothing themselves. */
  type?: string;
  /** How files of this chart are named in sources: a folder, or `x.tgz!/name` inside an archive. */
  display: string;
  values: Tree | undefined;
  annotations: TreeMap;
  dependencies: ChartDependency[];
  templates: ChartTemplate[];
  subcharts: Chart[];
}

const TEMPLATE_FILE = /\.(ya?ml|tpl|txt|json)$/;

export async function loadChartDirectory(
  dir: string,
  display: string,
  problems: DiscoveryProblem[],
): Promise<Chart | undefined> {
  const files = new Map<string, Buffer>();
  await readTree(dir, '', files);
  return chartFromFiles(files, display, problems);
}

export async function loadChartArchive(
  path: string,
  display: string,
  problems: DiscoveryProblem[],
): Promise<Chart | undefined> {
  return chartFromArchive(await readFile(path), display, problems);
}

async function chartFromArchive(
  archive: Buffer,
  display: string,
  problems: DiscoveryProblem[],
): Promise<Chart | undefined> {
  let entries: Map<string, Buffer>;
  try {
    entries = await readTarFiles(archive);
  } catch (err) {
    problems.push({
      file: display,
      message: `not a readable chart archive (${(err as Error).message}); re-package it with \`helm package\``,
    });
    return undefined;
  }
  const chartYaml = [...entries.keys()].filter((p) => /^[^/]+\/Chart\.yaml$/.test(p)).sort()[0];
  if (!chartYaml) return undefined;
  const top = chartYaml.slice(0, chartYaml.indexOf('/') + 1);
  const files = new Map<string, Buffer>();
  for (const [path, content] of entries) if (path.startsWith(top)) files.set(path.slice(top.length), content);
  return chartFromFiles(files, `${display}!/${top.slice(0, -1)}`, problems);
}

async function chartFromFiles(
  files: Map<string, Buffer>,
  display: string,
  problems: DiscoveryProblem[],
): Promise<Chart | undefined> {
  const metadata = yamlMap(files, 'Chart.yaml', display, problems);
  if (!metadata) return undefined;
  const name = leafText(metadata, 'name') ?? posix.basename(display);
  const requirements = yamlMap(files, 'requirements.yaml', display, problems);
  const dependencies = [...dependencyList(metadata.dependencies), ...dependencyList(requirements?.dependencies)];
  const valuesText = files.get('values.yaml')?.toString('utf8');
  const parsedValues = valuesText === undefined ? undefined : parseYamlTrees(valuesText, `${display}/values.yaml`);
  for (const error of parsedValues?.errors ?? []) problems.push({ file: `${display}/values.yaml`, message: error });
  const templates: ChartTemplate[] = [];
  const subcharts: Chart[] = [];
  const subchartDirs = new Map<string, Map<string, Buffer>>();
  for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (path.startsWith('templates/') && TEMPLATE_FILE.test(path)) {
      templates.push({ file: `${display}/${path}`, text: content.toString('utf8') });
      continue;
    }
    const sub = /^charts\/([^/]+)(?:\/(.+))?$/.exec(path);
    if (!sub) continue;
    if (sub[2] === undefined && sub[1].endsWith('.tgz')) {
      const chart = await chartFromArchive(content, `${display}/${path}`, problems);
      if (chart) subcharts.push(chart);
    } else if (sub[2] !== undefined) {
      const dir = subchartDirs.get(sub[1]) ?? new Map<string, Buffer>();
      dir.set(sub[2], content);
      subchartDirs.set(sub[1], dir);
    }
  }
  for (const [dirName, dirFiles] of subchartDirs) {
    if (!dirFiles.has('Chart.yaml')) continue;
    const chart = await chartFromFiles(dirFiles, `${display}/charts/${dirName}`, problems);
    if (chart) subcharts.push(chart);
  }
  const annotations = metadata.annotations;
  return {
    name,
    appVersion: leafText(metadata, 'appVersion'),
    version: leafText(metadata, 'version'),
    type: leafText(metadata, 'type'),
    display,
    values: parsedValues?.documents[0],
    annotations: isTreeMap(annotations) ? annotations : Object.create(null),
    dependencies,
    templates,
    subcharts,
  };
}

function yamlMap(
  files: Map<string, Buffer>,
  path: string,
  display: string,
  problems: DiscoveryProblem[],
): TreeMap | undefined {
  const content = files.get(path);
  if (!content) return undefined;
  const parsed = parseYamlTrees(content.toString('utf8'), `${display}/${path}`);
  for (const error of parsed.errors) problems.push({ file: `${display}/${path}`, message: error });
  const doc = parsed.documents[0];
  return isTreeMap(doc) ? doc : undefined;
}

function dependencyList(tree: Tree | undefined): ChartDependency[] {
  if (!Array.isArray(tree)) return [];
  return tree.filter(isTreeMap).flatMap((dep) => {
    const name = leafText(dep, 'name');
    return name ? [{ name, alias: leafText(dep, 'alias'), condition: leafText(dep, 'condition') }] : [];
  });
}

async function readTree(dir: string, prefix: string, out: Map<string, Buffer>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const full = join(dir, entry.name);
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) await readTree(full, rel, out);
    else if (entry.isFile()) out.set(rel, await readFile(full));
  }
}
