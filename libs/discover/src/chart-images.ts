import type { Chart } from './chart';
import type { Finding } from './finding';
import { renderTemplate, rootScope } from './template-evaluator';
import { newTrace, type ChartContext } from './template-scope';
import { defineSitesIn, mentionedValuesPaths } from './template-parser';
import { imagesInProgram } from './program-images';
import { hasImageLine, imagesInTemplate } from './template-images';
import { imagesInValues } from './values-images';
import { getPath, isTreeMap, Leaf, leafText, mergeTrees, parseYamlTrees, type Tree, type TreeMap } from './yaml-tree';

const IMAGE_ANNOTATIONS = ['helm.sh/images', 'artifacthub.io/images'];

/**
 * Every image a chart runs with its default values (plus `overrides`, e.g. a sealos
 * `charts/<chart>.values.yaml`), and the optional ones with the settings that switch them on:
 * template lines rendered statically, values shapes a template reads, image annotations, and
 * subcharts with the parent's values and globals applied the way Helm coalesces them.
 */
export function imagesInChart(chart: Chart, overrides?: Tree): Finding[] {
  return chartImages(chart, overrides, undefined, allDefines(chart));
}

/**
 * A template file no `image:` line is in, that is not a helpers file: what it prints may be
 * manifests built in helpers (gotohelm's `entry-point.yaml`), so it is also run as a program.
 */
function isProgram(template: { file: string; text: string }): boolean {
  const name = template.file.slice(template.file.lastIndexOf('/') + 1);
  return !name.startsWith('_') && /\.(ya?ml|tpl)$/.test(name) && !hasImageLine(template.text);
}

function chartImages(
  chart: Chart,
  overrides: Tree | undefined,
  parentGlobal: Tree | undefined,
  defines: Defines,
  readByParent: string[] = [],
): Finding[] {
  const context = contextOf(chart, overrides, parentGlobal, defines);
  const readHere: string[] = [];
  const values = context.values;
  const findings: Finding[] = [];
  if (chart.type !== 'library') {
    const testsFolder = `${chart.display}/templates/tests/`;
    const fromTemplates = chart.templates.flatMap((t) => {
      const scope = { context, test: t.file.startsWith(testsFolder) };
      const lines = imagesInTemplate(t.file, t.text, scope);
      return isProgram(t) ? [...lines, ...imagesInProgram(t.file, t.text, scope)] : lines;
    });
    const subchartKeys = chart.subcharts.flatMap((sub) => usesOf(chart, sub).map((use) => use.alias ?? use.name));
    const fromValues = valuesReadByTemplates(
      chart,
      imagesInValues(values, { skipKeys: subchartKeys }),
      fromTemplates,
      defines,
      readByParent,
    );
    readHere.push(...fromTemplates.flatMap((f) => f.valuesRead ?? []));
    const rendering = fromTemplates.filter((f) => !f.neverRendered);
    const fromLines = withFallbacksNamed(rendering, fromValues);
    const own = [...withoutReportedTwice(fromValues, fromLines), ...fromLines, ...imagesInAnnotations(chart)];
    const failures = validationFailures(chart, context);
    findings.push(...(failures.length > 0 ? own.map((f) => ({ ...f, chartFails: failures })) : own));
  }
  const global = isTreeMap(values) ? values.global : undefined;
  for (const subchart of chart.subcharts) {
    for (const use of usesOf(chart, subchart)) {
      const key = use.alias ?? use.name;
      const switchedOff = conditionSwitch(values, use.condition);
      const readOfSubchart = readHere.flatMap((p) => (p.startsWith(`${key}.`) ? [p.slice(key.length + 1)] : []));
      for (const finding of chartImages(subchart, getPath(values, [key]), global, defines, readOfSubchart)) {
        const settings = [...new Set([...(finding.optional ?? []).map((s) => `${key}.${s}`), ...(switchedOff ?? [])])];
        findings.push(settings.length > 0 ? { ...finding, optional: settings } : finding);
      }
    }
  }
  return findings;
}

/** A chart's values as Helm coalesces them (its defaults, the parent's, the parent's globals), with its subcharts' contexts. */
function contextOf(
  chart: Chart,
  overrides: Tree | undefined,
  parentGlobal: Tree | undefined,
  defines: Defines,
): ChartContext {
  let values = mergeTrees(chart.values, overrides);
  if (parentGlobal !== undefined) {
    const global = mergeTrees(isTreeMap(values) ? values.global : undefined, parentGlobal);
    values = mergeTrees(values, { global } as TreeMap);
  }
  const global = isTreeMap(values) ? values.global : undefined;
  const subcharts = new Map<string, ChartContext>();
  for (const subchart of chart.subcharts)
    for (const use of usesOf(chart, subchart)) {
      const key = use.alias ?? use.name;
      subcharts.set(key, { ...contextOf(subchart, getPath(values, [key]), global, defines), valuesPath: key });
    }
  return {
    values,
    chart: { name: chart.name, appVersion: chart.appVersion, version: chart.version },
    defines: defines.bodies,
    defineSites: defines.sites,
    subcharts,
  };
}

/** The `fail` messages a chart's templates reach with these values: its own validation rejecting them. */
function validationFailures(chart: Chart, context: ChartContext): string[] {
  return chart.templates.flatMap((template) => {
    const trace = { ...newTrace(), failures: [] };
    renderTemplate(template.text, rootScope(context, trace));
    return trace.failures;
  });
}

function usesOf(chart: Chart, subchart: Chart): { name: string; alias?: string; condition?: string }[] {
  const dependencies = chart.dependencies.filter((d) => d.name === subchart.name);
  return dependencies.length > 0 ? dependencies : [{ name: subchart.name }];
}

interface Defines {
  bodies: Map<string, string>;
  sites: Map<string, { file: string; line: number }>;
}

/** Helm shares `define`s across a chart and all its subcharts. */
function allDefines(chart: Chart, into: Defines = { bodies: new Map(), sites: new Map() }): Defines {
  for (const template of chart.templates)
    for (const [name, { body, line }] of defineSitesIn(template.text)) {
      if (into.bodies.has(name)) continue;
      into.bodies.set(name, body);
      into.sites.set(name, { file: template.file, line });
    }
  for (const subchart of chart.subcharts) allDefines(subchart, into);
  return into;
}

/**
 * Values shapes count only when a template reads them: a rendered template line is better
 * evidence (it knows the chart's own tag default), so the shape it rendered is dropped, unless a
 * running line that reads it could not be resolved (then the shape is listed, and that line warns). A
 * parent's program reading a subchart's values through `.Subcharts` counts as the subchart's. A shape
 * no template mentions (a library's example values, leftovers) is not an image that runs. A
 * chart without templates (a values-only sealos chart), or one that hands its whole context to
 * a helper it does not ship, may read any of them, so all are kept.
 */
function valuesReadByTemplates(
  chart: Chart,
  fromValues: Finding[],
  fromTemplates: Finding[],
  defines: Defines,
  readByParent: string[],
): Finding[] {
  const rendered = [
    ...fromTemplates.flatMap((f) => (f.neverRendered ? (f.mentions ?? []) : (f.valuesRead ?? []))),
    ...readByParent,
  ];
  const mentioned = chart.templates.flatMap((t) => mentionedValuesPaths(t.text));
  const readsAnything =
    chart.templates.length === 0 || chart.templates.some((t) => passesContextToMissingHelper(t.text, defines.bodies));
  const unresolved = fromTemplates.flatMap((f) => (!f.neverRendered && f.unresolved ? (f.mentions ?? []) : []));
  const within = (paths: string[], path: string) => paths.some((read) => read === path || read.startsWith(`${path}.`));
  const renders = (path: string) => within(rendered, path) && !within(unresolved, path);
  const mentions = (path: string) =>
    readsAnything || mentioned.some((m) => m === path || path.startsWith(`${m}.`) || m.startsWith(`${path}.`));
  return fromValues.filter((f) => f.valuesPath === undefined || (!renders(f.valuesPath) && mentions(f.valuesPath)));
}

function passesContextToMissingHelper(text: string, defines: Map<string, string>): boolean {
  return [...text.matchAll(/\b(?:include|template)\s+"([^"]+)"\s+(?:\.|\$)\s*[)|}-]/g)].some((m) => !defines.has(m[1]));
}

/**
 * An unresolved template line whose values a kept values shape answers: the shape is listed, but
 * it is a guess at what the line renders, so the line stays a warning that names the shape.
 */
function withFallbacksNamed(fromTemplates: Finding[], fromValues: Finding[]): Finding[] {
  const answered = fromValues.filter((f) => !f.unresolved && f.valuesPath !== undefined).map((f) => f.valuesPath!);
  return fromTemplates.map((f) => {
    const fallback = f.unresolved
      ? answered.find((path) =>
          (f.mentions ?? []).some((m) => m === path || m.startsWith(`${path}.`) || path.startsWith(`${m}.`)),
        )
      : undefined;
    return fallback === undefined ? f : { ...f, fallback };
  });
}

/** An unresolved values shape that an unresolved template line already reports (naming its values keys) is one warning, not two. */
function withoutReportedTwice(fromValues: Finding[], fromTemplates: Finding[]): Finding[] {
  const reported = fromTemplates.filter((f) => f.unresolved).flatMap((f) => f.mentions ?? []);
  return fromValues.filter(
    (f) =>
      !f.unresolved ||
      f.valuesPath === undefined ||
      !reported.some((m) => m === f.valuesPath || m.startsWith(`${f.valuesPath}.`)),
  );
}

/** The settings that switch on a subchart whose condition is false; undefined when it is on. */
function conditionSwitch(values: Tree | undefined, condition: string | undefined): string[] | undefined {
  if (!condition) return undefined;
  // Helm evaluates the first condition path that exists; only an explicit false disables.
  for (const path of condition
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const value = getPath(values, path.split('.'));
    if (value instanceof Leaf) return value.text.trim() === 'false' ? [`${path}=true`] : undefined;
  }
  return undefined;
}

/** HIP-0015 `helm.sh/images` and `artifacthub.io/images`: a YAML list of `{name, image}` in a string. */
function imagesInAnnotations(chart: Chart): Finding[] {
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
      if (image)
        findings.push({
          text: image,
          source: { file, keyPath: `annotations.${JSON.stringify(key)}[${i}]`, line: annotation.line },
        });
    });
  }
  return findings;
}
