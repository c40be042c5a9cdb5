import type { Chart } from './chart';
import type { Finding } from './finding';
import { imagesInTemplate } from './template-images';
import { imagesInValues } from './values-images';
import { getPath, isTreeMap, Leaf, leafText, mergeTrees, parseYamlTrees, type Tree, type TreeMap } from './yaml-tree';

const IMAGE_ANNOTATIONS = ['helm.sh/images', 'artifacthub.io/images'];

/**
 * Every image a chart would run with its default values (plus `overrides`, e.g. a sealos
 * `charts/<chart>.values.yaml`): values shapes, evaluable template lines, image annotations,
 * and subcharts with the parent's values and globals applied the way Helm coalesces them.
 */
export function imagesInChart(chart: Chart, overrides?: Tree, parentGlobal?: Tree, disabled = false): Finding[] {
  let values = mergeTrees(chart.values, overrides);
  if (parentGlobal !== undefined) {
    const global = mergeTrees(isTreeMap(values) ? values.global : undefined, parentGlobal);
    values = mergeTrees(values, { global } as TreeMap);
  }
  const fromTemplates = chart.templates.flatMap((t) => imagesInTemplate(t.file, t.text, { values, chart, disabled }));
  const findings: Finding[] = [
    ...withoutRenderedValues(imagesInValues(values, { appVersion: chart.appVersion, disabled }), fromTemplates),
    ...fromTemplates,
    ...imagesInAnnotations(chart, disabled),
  ];
  const global = isTreeMap(values) ? values.global : undefined;
  for (const subchart of chart.subcharts) {
    const dependencies = chart.dependencies.filter((d) => d.name === subchart.name);
    const uses = dependencies.length > 0 ? dependencies : [{ name: subchart.name, alias: undefined, condition: undefined }];
    for (const use of uses) {
      const key = use.alias ?? use.name;
      const off = disabled || conditionIsFalse(values, use.condition);
      findings.push(...imagesInChart(subchart, getPath(values, [key]), global, off));
    }
  }
  return findings;
}

/**
 * A template line that renders an image from values is better evidence than the values-shape
 * guess for the same map (it knows the chart's own tag default), so the guess is dropped.
 */
function withoutRenderedValues(fromValues: Finding[], fromTemplates: Finding[]): Finding[] {
  const read = fromTemplates.flatMap((f) => f.valuesRead ?? []);
  return fromValues.filter((f) => f.valuesPath === undefined || !read.some((path) => path === f.valuesPath || path.startsWith(`${f.valuesPath}.`)));
}

/** Helm evaluates the first condition path that exists; only an explicit `false` disables. */
function conditionIsFalse(values: Tree | undefined, condition: string | undefined): boolean {
  if (!condition) return false;
  for (const path of condition.split(',').map((p) => p.trim()).filter(Boolean)) {
    const value = getPath(values, path.split('.'));
    if (value instanceof Leaf) return value.text.trim() === 'false';
  }
  return false;
}

/** HIP-0015 `helm.sh/images` and `artifacthub.io/images`: a YAML list of `{name, image}` in a string. */
function imagesInAnnotations(chart: Chart, disabled: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const key of IMAGE_ANNOTATIONS) {
    const annotation = chart.annotations[key];
    if (!(annotation instanceof Leaf)) continue;
    const file = `${chart.display}/Chart.yaml`;
    const parsed = parseYamlTrees(annotation.text, file);
    const list = parsed.documents[0];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const image = entry instanceof Leaf ? entry.text.trim() : isTreeMap(entry) ? leafText(entry, 'image') : undefined;
      if (image) findings.push({ text: image, source: { file, keyPath: `annotations.${JSON.stringify(key)}[${i}]`, line: annotation.line }, disabled });
    });
  }
  return findings;
}
